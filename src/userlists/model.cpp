#include "userlists/model.hpp"

#include <strings.h>

#include "net/domain_name.hpp"

namespace rampart::userlists {

std::shared_ptr<const CompiledList> CompiledList::Build(ListKind kind, const std::vector<Entry>& entries) {
  auto c = std::make_shared<CompiledList>();
  for (uint32_t i = 0; i < entries.size(); ++i) {
    const EntryValue& v = entries[i].parsed;
    if (kind == ListKind::kIp && v.span) {
      c->ips_.Add(*v.span, i);
    } else {
      c->domains_.emplace(v.value, i);
    }
  }
  c->ips_.Seal();
  return c;
}

std::optional<uint32_t> CompiledList::MatchDomain(std::string_view name) const {
  if (domains_.empty()) return std::nullopt;
  std::string key;
  while (!name.empty()) {
    key.assign(name);
    if (auto it = domains_.find(key); it != domains_.end()) return it->second;
    name = net::ParentDomain(name);
  }
  return std::nullopt;
}

void UserList::Reindex() {
  index.clear();
  index.reserve(entries.size());
  for (uint32_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].parsed.value, i);
  compiled = CompiledList::Build(kind, entries);
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
