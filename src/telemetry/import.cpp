#include "telemetry/import.hpp"

#include <boost/json.hpp>

#include "telemetry/agents.hpp"
#include "telemetry/alerts.hpp"
#include "telemetry/vulns.hpp"

namespace rampart::telemetry {
namespace json = boost::json;

Result<ImportCounts> ImportJsonLines(std::istream& in, const std::string& org_id, store::Store& store, int64_t now_ms) {
  std::vector<store::AgentRecord> agents;
  std::vector<store::VulnRecord> vulns;
  std::vector<store::AlertRecord> alerts;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto at = [n](std::string why) { return Error::Invalid("line " + std::to_string(n) + ": " + why); };
    json::error_code ec;
    json::value v = json::parse(line, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    const json::value* kind = o ? o->if_contains("kind") : nullptr;
    const json::value* data = o ? o->if_contains("data") : nullptr;
    if (!kind || !data || !kind->is_string()) return at("expected {\"kind\":…,\"data\":{…}}");
    if (kind->get_string() == "agent") {
      auto rec = AgentFromJson(*data, org_id);
      if (!rec) return at(rec.error().detail);
      agents.push_back(std::move(*rec));
    } else if (kind->get_string() == "alert") {
      auto rec = AlertFromJson(*data, org_id);
      if (!rec) return at(rec.error().detail);
      alerts.push_back(std::move(*rec));
    } else if (kind->get_string() == "vulnerability") {
      auto rec = VulnFromJson(*data, org_id, now_ms);
      if (!rec) return at(rec.error().detail);
      vulns.push_back(std::move(*rec));
    } else {
      return at("kind '" + std::string(kind->get_string()) + "' is not importable yet");
    }
  }
  RAMPART_CHECK(store.PutAgents(agents));
  RAMPART_CHECK(store.PutAlerts(alerts));
  // A CVE under an active suppression stays suppressed whatever the imported document says.
  RAMPART_TRY(suppressions, store.ListObjects(org_id, "suppression", ""));
  for (auto& v : vulns) {
    for (const auto& s : suppressions) v.suppressed = v.suppressed || s.parent_id == v.id;
    if (v.suppressed) {
      auto doc = json::parse(v.doc).as_object();
      doc["isSuppressed"] = true;
      v.doc = json::serialize(doc);
    }
  }
  RAMPART_CHECK(store.PutVulnerabilities(vulns));
  return ImportCounts{agents.size(), alerts.size(), vulns.size()};
}

}  // namespace rampart::telemetry
