#include "ingest/enroll.hpp"

#include <boost/json.hpp>

#include <array>

#include "crypto/crypto.hpp"
#include "ingest/host_fields.hpp"
#include "telemetry/agents.hpp"
#include "telemetry/v2_time.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::ingest {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 12> kRequestKeys = {
    "hostname", "machineId", "name",       "description", "kernel", "osVersion",
    "version",  "agentType", "ipAddresses", "instanceId", "tags",   "rulesets"};

Result<std::string> Required(const json::object& o, const char* key, size_t max) {
  RAMPART_TRY(text, HostText(o, key, max));
  if (!text) return Error::Invalid(std::string("'") + key + "' is required");
  return std::string(*text);
}

Result<json::value> Tags(const json::object& o) {
  const json::value* v = o.if_contains("tags");
  if (!v || v->is_null()) return json::value(json::array{});
  const json::array* a = v->if_array();
  if (!a || a->size() > 50) return Error::Invalid("'tags' must be a list of at most 50 {key, value[, source]}");
  for (const auto& t : *a) {
    const json::object* to = t.if_object();
    if (!to) return Error::Invalid("a tag must be an object {key, value[, source]}");
    for (const auto& [k, val] : *to) {
      if ((k != "key" && k != "value" && k != "source") || !val.is_string() || val.get_string().size() > 256) {
        return Error::Invalid("a tag has only key, value and source, each a string of at most 256 characters");
      }
    }
    if (!to->contains("key")) return Error::Invalid("a tag needs a key");
  }
  return *v;
}

// The named rulesets' ids; none named: the organization's "Base Rule Set" (every ruleset when
// it has none by that name).
Result<std::vector<std::string>> Rulesets(store::V2Store& store, const std::string& org, const json::object& o) {
  RAMPART_TRY(all, store.ListRulesets(org));
  std::vector<std::string> out;
  const json::value* v = o.if_contains("rulesets");
  if (!v || v->is_null() || (v->is_array() && v->get_array().empty())) {
    for (const auto& r : all) {
      if (r.name == "Base Rule Set") return std::vector<std::string>{r.id};
    }
    for (const auto& r : all) out.push_back(r.id);
    return out;
  }
  const json::array* a = v->if_array();
  if (!a || a->size() > 16) return Error::Invalid("'rulesets' must be a list of at most 16 ruleset names");
  for (const auto& n : *a) {
    if (!n.is_string()) return Error::Invalid("'rulesets' must hold ruleset names");
    bool found = false;
    for (const auto& r : all) {
      if (r.name == n.get_string() || r.id == n.get_string()) {
        out.push_back(r.id);
        found = true;
        break;
      }
    }
    if (!found) return Error::Invalid("no such ruleset '" + std::string(n.get_string().subview(0, 100)) + "'");
  }
  return out;
}

std::string NewAgentKey() {
  std::array<uint8_t, 32> b{};
  crypto::RandomBytes(b);
  return crypto::Base64UrlEncode(b);
}

}  // namespace

Result<Enrolled> Enroller::Enroll(const store::DeployKeyRecord& dk, std::string_view body) {
  RAMPART_TRY(o, telemetry::BodyObject(body));
  for (const auto& [key, val] : o) {
    bool known = false;
    for (auto k : kRequestKeys) known = known || key == k;
    if (!known) return Error::Invalid("unknown field '" + std::string(key.substr(0, 64)) + "'");
  }
  RAMPART_TRY(hostname, Required(o, "hostname", 253));
  RAMPART_TRY(machine_id, Required(o, "machineId", 128));
  if (machine_id.size() < 8) return Error::Invalid("'machineId' must have at least 8 characters");
  RAMPART_TRY(name, HostText(o, "name", 253));
  RAMPART_TRY(description, HostText(o, "description", 1000));
  RAMPART_TRY(kernel, HostText(o, "kernel", 200));
  RAMPART_TRY(os_version, HostText(o, "osVersion", 200));
  RAMPART_TRY(version, HostText(o, "version", 64));
  RAMPART_TRY(agent_type, HostText(o, "agentType", 16));
  if (agent_type && *agent_type != "investigate" && *agent_type != "monitor") {
    return Error::Invalid("'agentType' must be investigate or monitor");
  }
  RAMPART_TRY(instance_id, HostText(o, "instanceId", 128));
  RAMPART_TRY(addresses, HostAddresses(o));
  RAMPART_TRY(tags, Tags(o));
  RAMPART_TRY(rulesets, Rulesets(store_, dk.org_id, o));

  const int64_t now = UnixMillis(clock_.Now());
  const auto digest = crypto::Sha256(dk.org_id + "\n" + machine_id);
  const std::string fingerprint = crypto::HexEncode(digest);
  RAMPART_TRY(existing, store_.FindAgentByFingerprint(dk.org_id, fingerprint));
  if (existing && existing->revoked_at_ms) return Error::Forbidden("this host's agent was revoked");
  const std::string agent_id = existing ? existing->agent_id : crypto::NewUuidV4();
  int64_t created = now;
  if (existing) {
    RAMPART_TRY(agent, store_.GetAgent(dk.org_id, agent_id));
    if (agent) created = agent->created_at_ms;
  }
  auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
  json::object doc{{"id", agent_id},
                   {"instanceId", opt(instance_id)},
                   {"status", "online"},
                   {"createdAt", telemetry::FormatInstant(created)},
                   {"lastReportedAt", telemetry::FormatInstant(now)},
                   {"version", opt(version)},
                   {"name", name ? *name : hostname},
                   {"description", description ? *description : ""},
                   {"hostname", hostname},
                   {"ipAddresses", addresses},
                   {"tags", tags},
                   {"agentType", agent_type ? *agent_type : "investigate"},
                   {"osVersion", opt(os_version)},
                   {"kernel", opt(kernel)},
                   {"agentModuleHealth", json::object{{"isHealthy", false}}}};  // until the first heartbeat
  RAMPART_TRY(record, telemetry::AgentFromJson(doc, dk.org_id));
  Enrolled out{agent_id, Secret(NewAgentKey()), existing.has_value(), rulesets};
  store::Enrollment e;
  e.key = {agent_id, dk.org_id, fingerprint, box_.Seal(out.key.Reveal()), now, rulesets, dk.id, std::nullopt};
  e.agent = std::move(record);
  e.hostname = hostname;
  e.at_ms = now;
  telemetry::Actor actor{dk.org_id, "deploykey:" + dk.id, "", now};
  e.audit = telemetry::AuditFor(actor, existing ? "update" : "create", existing ? "agent.reenroll" : "agent.enroll",
                                (existing ? "re-enrolled agent " : "enrolled agent ") + agent_id + " (" + hostname + ")",
                                json::object{{"agentId", agent_id}, {"hostname", hostname}, {"deployKeyId", dk.id}});
  RAMPART_CHECK(store_.Enroll(e));
  keys_.Forget(agent_id);
  directory_.Invalidate(dk.org_id);
  return out;
}

Result<void> Enroller::Revoke(const std::string& org_id, const std::string& agent_id, const std::string& actor) {
  const int64_t now = UnixMillis(clock_.Now());
  auto audit = telemetry::AuditFor({org_id, actor, "", now}, "update", "agent.revoke", "revoked agent " + agent_id,
                                   json::object{{"agentId", agent_id}});
  RAMPART_TRY(revoked, store_.RevokeAgent(org_id, agent_id, now, audit));
  if (!revoked) return Error::NotFound("no such enrolled agent " + agent_id.substr(0, 64) + " (or it was revoked)");
  keys_.Forget(agent_id);
  directory_.Invalidate(org_id);
  return {};
}

std::string EnrolledJson(const Enrolled& e) {
  return json::serialize(json::object{
      {"agentId", e.agent_id},
      {"hawk", json::object{{"id", e.agent_id}, {"key", e.key.Reveal()}, {"algorithm", "sha256"}}},
      {"heartbeatIntervalSeconds", kHeartbeatIntervalS},
      {"reenrolled", e.reenrolled},
      {"rulesets", telemetry::JsonStrings(e.rulesets)}});
}

}  // namespace rampart::ingest
