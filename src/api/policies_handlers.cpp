#include "api/policies_handlers.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/query.hpp"
#include "api/userlists_handlers.hpp"
#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "enforcement/export.hpp"

namespace rampart::api {
namespace json = boost::json;
constexpr auth::Service kPolicies = auth::Service::kPolicies;  // devices go with policies

namespace {

// Policies and devices are small documents (a device's notify targets, a policy's list ids).
constexpr uint64_t kMaxDocumentBytes = 1024 * 1024;

Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

Result<std::optional<std::string>> OptText(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return Bad(std::string(key) + " must be a string");
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<std::vector<std::string>>> OptTexts(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array() || v->get_array().size() > 1000) return Bad(std::string(key) + " must be an array of strings");
  std::vector<std::string> out;
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) return Bad(std::string(key) + " must be an array of strings");
    out.emplace_back(e.get_string());
  }
  return std::optional(std::move(out));
}

Result<json::object> BodyObject(const Call& c, std::initializer_list<std::string_view> allowed) {
  RAMPART_TRY(body, ParseJsonBody(c.req));
  if (!body.is_object()) return Bad("the body must be a JSON object");
  for (const auto& [k, v] : body.get_object()) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(k)) == allowed.end() && k != "object_id") {
      return Bad("unknown field " + QuoteForDetail(k));
    }
  }
  return std::move(body.get_object());
}

// "dns" or "ip", parsed at the edge.
Result<std::optional<enforcement::PolicyType>> TypeOf(const std::optional<std::string>& text) {
  if (!text) return std::optional<enforcement::PolicyType>();
  auto t = enforcement::ParsePolicyType(*text);
  if (!t) return Bad("type must be dns or ip");
  return std::optional<enforcement::PolicyType>(*t);
}

Result<enforcement::PolicyInput> DecodePolicy(const Call& c) {
  RAMPART_TRY(o, BodyObject(c, {"name", "type", "zone_name", "lists"}));
  enforcement::PolicyInput in;
  RAMPART_TRY(name, OptText(o, "name"));
  RAMPART_TRY(type, OptText(o, "type"));
  RAMPART_TRY(zone, OptText(o, "zone_name"));
  RAMPART_TRY(kind, TypeOf(type));
  in.name = name, in.type = kind, in.zone_name = zone;
  if (const json::value* lists = o.if_contains("lists")) {
    if (!lists->is_array() || lists->get_array().size() > 64) return Bad("lists must be an array of at most 64 objects");
    in.lists.emplace();
    for (const auto& item : lists->get_array()) {
      const json::object* l = item.if_object();
      if (!l) return Bad("each entry of lists must be an object");
      RAMPART_TRY(id, OptText(*l, "list_id"));
      RAMPART_TRY(behavior, OptText(*l, "behavior"));
      RAMPART_TRY(cname, OptText(*l, "cname"));
      if (!id) return Bad("each entry of lists needs a list_id");
      in.lists->push_back({*id, {behavior.value_or(""), cname.value_or("")}});
    }
  }
  return in;
}

Result<enforcement::DeviceInput> DecodeDevice(const Call& c) {
  RAMPART_TRY(o, BodyObject(c, {"name", "type", "policy_id", "transfer_acl", "notify", "tsig"}));
  enforcement::DeviceInput in;
  RAMPART_TRY(name, OptText(o, "name"));
  RAMPART_TRY(type, OptText(o, "type"));
  RAMPART_TRY(policy, OptText(o, "policy_id"));
  RAMPART_TRY(acl, OptTexts(o, "transfer_acl"));
  RAMPART_TRY(notify, OptTexts(o, "notify"));
  RAMPART_TRY(kind, TypeOf(type));
  in.name = name, in.type = kind, in.policy_id = policy, in.transfer_acl = acl, in.notify = notify;
  if (const json::value* t = o.if_contains("tsig")) {
    if (!t->is_bool()) return Bad("tsig must be true (generate a new key) or false (no key)");
    in.tsig = t->get_bool();
  }
  return in;
}

std::string Collection(const Call& c, const char* name) { return c.base_url + "/v4.0/" + name; }

json::object PolicyObject(const Call& c, const enforcement::Policy& p, const rpz::ZoneRegistry& zones) {
  json::array lists;
  for (const auto& a : p.lists) {
    json::object l{{"list_id", a.list_id}, {"behavior", enforcement::BehaviorName(a.action.behavior)}};
    if (a.action.behavior == rpz::Behavior::kCname) l["cname"] = a.action.cname;
    lists.push_back(std::move(l));
  }
  json::object o{{"_links", {{"self", {{"href", Collection(c, "policies") + "/" + p.id}}}}},
                 {"object_id", p.id}, {"name", p.name}, {"type", enforcement::PolicyTypeName(p.type)}, {"lists", std::move(lists)}};
  if (p.type == enforcement::PolicyType::kDns) {
    o["zone_name"] = p.zone_name;
    auto z = zones.FindByPolicy(p.id);
    o["serial"] = z ? json::value(z->soa.serial) : json::value(nullptr);
  }
  return o;
}

json::object DeviceObject(const Call& c, const enforcement::Device& d) {
  json::array acl, notify;
  for (const auto& n : d.transfer_acl) acl.push_back(json::value(n.ToString()));
  for (const auto& t : d.notify) notify.push_back(json::value(t.ToString()));
  json::object o{{"_links", {{"self", {{"href", Collection(c, "devices") + "/" + d.id}}}}},
                 {"object_id", d.id}, {"name", d.name}, {"type", enforcement::PolicyTypeName(d.type)}, {"policy_id", d.policy_id}};
  if (d.type == enforcement::PolicyType::kDns) {
    o["transfer_acl"] = std::move(acl);
    o["notify"] = std::move(notify);
    o["tsig_key_name"] = d.tsig_key_name.empty() ? json::value(nullptr) : json::value(d.tsig_key_name);
    if (!d.tsig_key_name.empty()) o["tsig_algorithm"] = "hmac-sha256";
    // Shown once, in the answer to the request that generated it; stored sealed.
    if (d.secret_is_new) o["tsig_secret"] = crypto::Base64Encode(d.tsig_secret);
  }
  return o;
}

Reply Envelope(http::Status s, const Call& c, const char* collection, json::array data) {
  size_t n = data.size();
  return {s, json::object{{"_data", std::move(data)}, {"_links", {{"self", {{"href", Collection(c, collection)}}}}},
                          {"_meta", {{"count", n}}}},
          "application/json", {}};
}

const std::string& Account(const Call& c) { return c.principal->org_id; }
userlists::Actor Who(const Call& c) { return {c.principal->org_id, c.principal->Actor()}; }

Result<const enforcement::Policy*> FindPolicy(const enforcement::PolicySet& set, const Call& c) {
  const enforcement::Policy* p = set.FindPolicy(c.params[0]);
  if (!p) return Error::NotFound("no such policy " + QuoteForDetail(c.params[0]));
  return p;
}

void AddDeviceRoutes(http::Router<Route>& r, EnforcementDeps& d) {
  r.Add(http::Verb::get, "/v4.0/devices", {.name = "devices.list", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          json::array data;
          for (const auto& dev : set->devices) data.push_back(DeviceObject(c, dev));
          return Envelope(http::Status::ok, c, "devices", std::move(data));
        }});
  r.Add(http::Verb::post, "/v4.0/devices", {.name = "devices.create", .access = Access::kWrite, .service = kPolicies, .runs = Runs::kBlocking, .max_body_bytes = kMaxDocumentBytes, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(in, DecodeDevice(c));
          RAMPART_TRY(dev, d.policies.CreateDevice(Who(c), in));
          return Envelope(http::Status::created, c, "devices", {DeviceObject(c, dev)});
        }});
  r.Add(http::Verb::get, "/v4.0/devices/{id}", {.name = "devices.get", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          const enforcement::Device* dev = set->FindDevice(c.params[0]);
          if (!dev) return Error::NotFound("no such device " + QuoteForDetail(c.params[0]));
          return Envelope(http::Status::ok, c, "devices", {DeviceObject(c, *dev)});
        }});
  for (auto verb : {http::Verb::put, http::Verb::patch}) {
    r.Add(verb, "/v4.0/devices/{id}", {.name = "devices.update", .access = Access::kWrite, .service = kPolicies, .runs = Runs::kBlocking, .max_body_bytes = kMaxDocumentBytes, .fn = [&d](Call& c) -> Result<Reply> {
            RAMPART_TRY(in, DecodeDevice(c));
            RAMPART_TRY(dev, d.policies.UpdateDevice(Who(c), std::string(c.params[0]), in));
            return Envelope(http::Status::ok, c, "devices", {DeviceObject(c, dev)});
          }});
  }
  r.Add(http::Verb::get, "/v4.0/devices/{id}/history", {.name = "devices.history", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          if (!set->FindDevice(c.params[0])) return Error::NotFound("no such device " + QuoteForDetail(c.params[0]));
          return HistoryReply(d.lists, c, std::string(c.params[0]), Collection(c, "devices") + "/" + std::string(c.params[0]) + "/history");
        }});
  r.Add(http::Verb::delete_, "/v4.0/devices/{id}", {.name = "devices.delete", .access = Access::kWrite, .service = kPolicies, .runs = Runs::kBlocking, .max_body_bytes = kMaxDocumentBytes, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_CHECK(d.policies.DeleteDevice(Who(c), std::string(c.params[0])));
          return Envelope(http::Status::ok, c, "devices", {json::object{{"object_id", c.params[0]}}});
        }});
}

}  // namespace

void AddPolicyRoutes(http::Router<Route>& r, EnforcementDeps& d) {
  r.Add(http::Verb::get, "/v4.0/policies", {.name = "policies.list", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          json::array data;
          for (const auto& p : set->policies) data.push_back(PolicyObject(c, p, d.zones));
          return Envelope(http::Status::ok, c, "policies", std::move(data));
        }});
  r.Add(http::Verb::post, "/v4.0/policies", {.name = "policies.create", .access = Access::kWrite, .service = kPolicies, .runs = Runs::kBlocking, .max_body_bytes = kMaxDocumentBytes, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(in, DecodePolicy(c));
          RAMPART_TRY(p, d.policies.CreatePolicy(Who(c), in));
          return Envelope(http::Status::created, c, "policies", {PolicyObject(c, p, d.zones)});
        }});
  r.Add(http::Verb::get, "/v4.0/policies/{id}", {.name = "policies.get", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          RAMPART_TRY(p, FindPolicy(*set, c));
          return Envelope(http::Status::ok, c, "policies", {PolicyObject(c, *p, d.zones)});
        }});
  for (auto verb : {http::Verb::put, http::Verb::patch}) {
    r.Add(verb, "/v4.0/policies/{id}", {.name = "policies.update", .access = Access::kWrite, .service = kPolicies, .runs = Runs::kBlocking, .max_body_bytes = kMaxDocumentBytes, .fn = [&d](Call& c) -> Result<Reply> {
            RAMPART_TRY(in, DecodePolicy(c));
            RAMPART_TRY(p, d.policies.UpdatePolicy(Who(c), std::string(c.params[0]), in));
            return Envelope(http::Status::ok, c, "policies", {PolicyObject(c, p, d.zones)});
          }});
  }
  r.Add(http::Verb::delete_, "/v4.0/policies/{id}", {.name = "policies.delete", .access = Access::kWrite, .service = kPolicies, .runs = Runs::kBlocking, .max_body_bytes = kMaxDocumentBytes, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_CHECK(d.policies.DeletePolicy(Who(c), std::string(c.params[0])));
          return Envelope(http::Status::ok, c, "policies", {json::object{{"object_id", c.params[0]}}});
        }});
  r.Add(http::Verb::get, "/v4.0/policies/{id}/history", {.name = "policies.history", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          RAMPART_TRY(p, FindPolicy(*set, c));
          return HistoryReply(d.lists, c, p->id, Collection(c, "policies") + "/" + p->id + "/history");
        }});
  r.Add(http::Verb::get, "/v4.0/policies/{id}/zone", {.name = "policies.zone", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          RAMPART_TRY(p, FindPolicy(*set, c));
          if (p->type != enforcement::PolicyType::kDns) return Bad("only dns policies have an RPZ zone");
          auto z = d.zones.FindByPolicy(p->id);
          if (!z) return Error::Unavailable("the zone is being built");
          return Reply{http::Status::ok, nullptr, "text/dns; charset=utf-8", rpz::ZoneText(z->soa, z->records)};
        }});
  r.Add(http::Verb::get, "/v4.0/policies/{id}/export", {.name = "policies.export", .access = Access::kRead, .service = kPolicies, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
          RAMPART_TRY(set, d.policies.Load(Account(c)));
          RAMPART_TRY(p, FindPolicy(*set, c));
          if (p->type != enforcement::PolicyType::kIp) return Bad("only ip policies have firewall exports");
          auto format = QueryParam(c.req, "format").value_or("plain");
          RAMPART_TRY(lists, d.lists.Load(Account(c)));
          RAMPART_TRY(text, enforcement::ExportIpPolicy(*p, *lists, d.lists.clock().Now(), format));
          return Reply{http::Status::ok, nullptr, "text/plain; charset=utf-8", std::move(text)};
        }});
  AddDeviceRoutes(r, d);
}

}  // namespace rampart::api
