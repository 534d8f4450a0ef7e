#include "enforcement/policy_audit.hpp"

#include <boost/json.hpp>

namespace rampart::enforcement {
namespace json = boost::json;

std::string AuditDeviceDoc(const Device& d, const Device* before) {
  json::array acl, notify;
  for (const auto& n : d.transfer_acl) acl.push_back(json::value(n.ToString()));
  for (const auto& t : d.notify) notify.push_back(json::value(t.ToString()));
  json::object o{{"name", d.name}, {"type", PolicyTypeName(d.type)}, {"policy_id", d.policy_id}, {"transfer_acl", acl}, {"notify", notify},
                 {"tsig_key_name", d.tsig_key_name.empty() ? json::value(nullptr) : json::value(d.tsig_key_name)}};
  if (!d.tsig_secret.empty() && (!before || before->tsig_secret != d.tsig_secret)) o["tsig_secret"] = "generated";
  return json::serialize(o);
}

store::AuditRecord PolicyService::Audit(const userlists::Actor& actor, const std::string& kind, const std::string& id,
                                        const std::string& name, const char* action, const std::string& before_doc,
                                        const std::string& after_doc) const {
  auto doc = [](const std::string& text) { return text.empty() ? json::value(nullptr) : json::parse(text); };
  json::object changes{{"before", doc(before_doc)}, {"after", doc(after_doc)}};
  return store::AuditRecord{0, actor.org_id, id, kind, name, actor.actor, action, UnixMillis(clock_.Now()),
                            json::serialize(changes)};
}

}  // namespace rampart::enforcement
