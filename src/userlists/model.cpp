#include "userlists/model.hpp"

#include <strings.h>

#include "net/domain_name.hpp"

namespace rampart::userlists {

const ListLookup::Built& ListLookup::Get(const UserList& l) const {
  std::call_once(cell_->once, [&] {
    Built& b = cell_->built;
    b.positions.reserve(l.entries.size());
    for (uint32_t i = 0; i < l.entries.size(); ++i) {
      const EntryValue& v = l.entries[i].parsed;
      b.positions.emplace(v.value, i);
      if (l.kind == ListKind::kIp && v.span) b.ips.Add(*v.span, i);
    }
    b.ips.Seal();
  });
  return cell_->built;
}

std::optional<uint32_t> UserList::MatchDomain(std::string_view domain) const {
  const auto& positions = lookup.Get(*this).positions;
  while (!domain.empty()) {
    if (auto it = positions.find(domain); it != positions.end()) return it->second;
    domain = net::ParentDomain(domain);
  }
  return std::nullopt;
}

Counts CountActive(const UserList& l, SysTime now) {
  Counts c;
  for (const Entry& e : l.entries) {
    if (!l.IsActive(e, now)) continue;
    ++c.records;
    c.addresses += e.parsed.size;
  }
  return c;
}

std::shared_ptr<const UserList> AccountLists::Find(ListKind kind, std::string_view id) const {
  for (const auto& l : lists) {
    if (l->kind == kind && l->id == id) return l;
  }
  return nullptr;
}

std::shared_ptr<const UserList> AccountLists::FindAnyKind(std::string_view id) const {
  for (const auto& l : lists) {
    if (l->id == id) return l;
  }
  return nullptr;
}

std::shared_ptr<const UserList> AccountLists::FindByName(ListKind kind, std::string_view name) const {
  for (const auto& l : lists) {
    if (l->kind == kind && l->name.size() == name.size() &&
        strncasecmp(l->name.data(), name.data(), name.size()) == 0) {
      return l;
    }
  }
  return nullptr;
}

}  // namespace rampart::userlists
