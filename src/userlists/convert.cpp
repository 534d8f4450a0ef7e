#include "userlists/convert.hpp"

#include <boost/json.hpp>

namespace rampart::userlists {

store::EntryRecord ToRecord(const Entry& e) {
  return {e.parsed.value, e.parsed.address_type, e.comments,
          e.expires ? std::optional(e.expires->ToString()) : std::nullopt, e.seq};
}

store::ListRecord ToRecord(const UserList& l) {
  return {l.id, l.org_id, KindName(l.kind), l.name, l.list_type, l.description,
          l.expires ? std::optional(l.expires->ToString()) : std::nullopt, l.created_at_ms, {}};
}

Result<UserList> FromRecord(const store::ListRecord& r) {
  UserList l;
  l.id = r.id;
  l.org_id = r.org_id;
  l.kind = r.kind == "domain" ? ListKind::kDomain : ListKind::kIp;
  l.name = r.name;
  l.list_type = r.list_type;
  l.description = r.description;
  if (r.expires) l.expires = ParseIsoDate(*r.expires);
  l.created_at_ms = r.created_at_ms;
  l.entries.reserve(r.entries.size());
  for (const store::EntryRecord& er : r.entries) {
    auto parsed = ParseEntryValue(l.kind, er.value);
    if (!parsed) return Error::Internal("stored entry no longer parses: " + parsed.error().detail);
    std::optional<Date> expires;
    if (er.expires) expires = ParseIsoDate(*er.expires);
    l.entries.push_back({std::move(*parsed), er.comments, expires, er.seq});
  }
  return l;
}

std::string ChangesJson(const std::vector<std::string>& added, const std::vector<std::string>& removed,
                        const std::vector<std::string>& updated) {
  auto arr = [](const std::vector<std::string>& v) {
    boost::json::array a;
    a.reserve(v.size());
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
  return boost::json::serialize(
      boost::json::object{{"added", arr(added)}, {"removed", arr(removed)}, {"updated", arr(updated)}});
}

}  // namespace rampart::userlists
