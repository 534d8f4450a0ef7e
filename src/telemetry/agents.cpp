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

Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

constexpr std::array<const char*, 3> kAddressKinds = {"private", "link_local", "public"};

// Object and array fields are never null or missing on the wire (public scripts index into them):
// ipAddresses gets its three lists, tags an empty list.
void FillDefaults(json::object& doc) {
  json::value& ips = doc["ipAddresses"];
  if (!ips.is_object()) ips = json::object{};
  for (const char* kind : kAddressKinds) {
    json::value& list = ips.as_object()[kind];
    if (!list.is_array()) list = json::array{};
  }
  json::value& tags = doc["tags"];
  if (!tags.is_array()) tags = json::array{};
}

std::optional<Error> CheckShapes(const json::object& o) {
  if (const json::value* ips = o.if_contains("ipAddresses"); ips && !ips->is_null()) {
    if (!ips->is_object()) return Bad("agent 'ipAddresses' must be an object of private, link_local and public lists");
    for (const auto& [kind, list] : ips->get_object()) {
      if (list.is_null()) continue;
      if (!list.is_array()) return Bad("agent 'ipAddresses." + std::string(kind) + "' must be a list of strings");
      for (const auto& a : list.get_array()) {
        if (!a.is_string()) return Bad("agent 'ipAddresses." + std::string(kind) + "' must be a list of strings");
      }
    }
  }
  if (const json::value* tags = o.if_contains("tags"); tags && !tags->is_null() && !tags->is_array()) {
    return Bad("agent 'tags' must be a list");
  }
  return std::nullopt;
}

}  // namespace

std::string ServedAgentDoc(const std::string& stored) {
  json::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec || !v.is_object()) return stored;
  FillDefaults(v.as_object());
  return json::serialize(v);
}

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
  if (auto bad = CheckShapes(*o)) return *bad;
  json::object doc;
  for (const char* k : kAgentKeys) {
    const json::value* f = o->if_contains(k);
    doc[k] = f ? *f : json::value(nullptr);
  }
  doc["createdAt"] = FormatInstant(*created_ms);
  FillDefaults(doc);
  return store::AgentRecord{org_id, std::string(id->get_string()), std::string(status->get_string()), *created_ms,
                            json::serialize(doc)};
}

}  // namespace rampart::telemetry
