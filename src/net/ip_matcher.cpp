#include "net/ip_matcher.hpp"

namespace rampart::net {

void IpMatcher::Add(const IpNetwork& n, uint32_t id) {
  if (TableFor(n.base.family).by_prefix[n.prefix].emplace(n.base.bits, id).second) ++count_;
}

void IpMatcher::Add(const IpRange& r, uint32_t id) {
  for (const IpNetwork& n : r.ToPrefixes()) Add(n, id);
}

void IpMatcher::Seal() {
  for (Table* t : {&v4_, &v6_}) {
    t->lengths.clear();
    for (int len = 128; len >= 0; --len) {
      if (!t->by_prefix[len].empty()) t->lengths.push_back(len);
    }
  }
}

std::optional<uint32_t> IpMatcher::Match(const IpAddress& a) const {
  const Table& t = TableFor(a.family);
  for (int len : t.lengths) {
    auto it = t.by_prefix[len].find(a.bits & PrefixMask(a.family, len));
    if (it != t.by_prefix[len].end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace rampart::net
