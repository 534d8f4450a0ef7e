#include "rpz/names.hpp"

#include <cstdio>

namespace rampart::rpz {
namespace {

std::string V4Owner(uint32_t bits, int prefix) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%d.%u.%u.%u.%u.rpz-ip", prefix, bits & 255u, (bits >> 8) & 255u,
                (bits >> 16) & 255u, bits >> 24);
  return buf;
}

std::string V6Owner(net::U128 bits, int prefix) {
  uint16_t w[8];
  for (int i = 0; i < 8; ++i) w[i] = static_cast<uint16_t>(bits >> (112 - 16 * i));
  // The longest run of at least two zero words, the first one on a tie (RFC 5952 §4.2).
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  std::string out = std::to_string(prefix);
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) out += ".zz";
      continue;
    }
    std::snprintf(buf, sizeof buf, ".%x", w[i]);
    out += buf;
  }
  return out + ".rpz-ip";
}

}  // namespace

std::string IpTriggerOwner(const net::IpNetwork& network) {
  const net::U128 masked = network.base.bits & net::PrefixMask(network.base.family, network.prefix);
  if (network.base.family == net::Family::kV4) return V4Owner(static_cast<uint32_t>(masked), network.prefix);
  return V6Owner(masked, network.prefix);
}

std::vector<std::string> RangeTriggerOwners(const net::IpRange& range) {
  std::vector<std::string> out;
  for (const auto& n : range.ToPrefixes()) out.push_back(IpTriggerOwner(n));
  return out;
}

}  // namespace rampart::rpz
