#include "enforcement/policy_doc.hpp"

#include <boost/json.hpp>

#include "enforcement/service_util.hpp"

namespace rampart::enforcement {
namespace json = boost::json;
using detail::StringField;

std::optional<PolicyType> ParsePolicyType(std::string_view s) {
  if (s == "dns") return PolicyType::kDns;
  if (s == "ip") return PolicyType::kIp;
  return std::nullopt;
}

const char* PolicyTypeName(PolicyType t) { return t == PolicyType::kDns ? "dns" : "ip"; }

json::object PolicyDoc(const Policy& p) {
  json::array lists;
  for (const auto& l : p.lists) {
    lists.push_back({{"list_id", l.list_id}, {"behavior", BehaviorName(l.action.behavior)}, {"cname", l.action.cname}});
  }
  return {{"type", PolicyTypeName(p.type)}, {"zone_name", p.zone_name}, {"lists", lists}};
}

Result<Policy> PolicyFromRecord(const store::PolicyObjectRecord& r) {
  Policy p{r.id, r.org_id, r.name, PolicyType::kDns, "", r.created_at_ms, {}};
  json::error_code ec;
  const json::value doc = json::parse(r.doc, ec);
  const json::object* o = doc.if_object();
  auto type = o ? ParsePolicyType(StringField(*o, "type")) : std::nullopt;
  const json::value* lists = o ? o->if_contains("lists") : nullptr;
  if (!type || !lists || !lists->is_array()) return Error::Internal("stored policy " + r.id + " is unreadable");
  p.type = *type;
  p.zone_name = StringField(*o, "zone_name");
  for (const auto& l : lists->get_array()) {
    const json::object* lo = l.if_object();
    if (!lo) return Error::Internal("stored policy " + r.id + " is unreadable");
    auto a = ParseAction(StringField(*lo, "behavior"), StringField(*lo, "cname"));
    p.lists.push_back({StringField(*lo, "list_id"), a.value_or(Action{})});
  }
  return p;
}

}  // namespace rampart::enforcement
