#include "telemetry/agents.hpp"

#include <boost/json.hpp>

#include <array>

#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

// The keys of an agent object, in wire order (the official scripts reject any other key).
constexpr std::array<const char*, 15> kAgentKeys = {
    "id",      "instanceId", "status",   "createdAt", "lastReportedAt", "version",   "name",            "description",
    "hostname", "ipAddresses", "tags",   "agentType", "osVersion",      "kernel",    "agentModuleHealth"};

Error Bad(std::string detail) { return Error::Invalid(0, std::move(detail)); }

}  // namespace

Result<store::AgentRecord> AgentFromJson(const json::value& v, const std::string& org_id) {
  const json::object* o = v.if_object();
  if (!o) return Bad("an agent must be a JSON object");
  for (const auto& [key, val] : *o) {
    bool known = false;
    for (const char* k : kAgentKeys) known = known || key == k;
    if (!known) return Bad("unknown agent field '" + std::string(key) + "'");
  }
  const json::value* id = o->if_contains("id");
  const json::value* status = o->if_contains("status");
  const json::value* created = o->if_contains("createdAt");
  if (!id || !id->is_string() || id->get_string().empty() || id->get_string().size() > 64) {
    return Bad("agent 'id' must be a non-empty string of at most 64 characters");
  }
  if (!status || !status->is_string() || (status->get_string() != "online" && status->get_string() != "offline")) {
    return Bad("agent 'status' must be online or offline");
  }
  std::optional<int64_t> created_ms = created && created->is_string() ? ParseInstant(created->get_string()) : std::nullopt;
  if (!created_ms) return Bad("agent 'createdAt' must be an ISO-8601 time");
  json::object doc;
  for (const char* k : kAgentKeys) {
    const json::value* f = o->if_contains(k);
    doc[k] = f ? *f : json::value(nullptr);
  }
  doc["createdAt"] = FormatInstant(*created_ms);
  return store::AgentRecord{org_id, std::string(id->get_string()), std::string(status->get_string()), *created_ms,
                            json::serialize(doc)};
}

}  // namespace rampart::telemetry
