#include "telemetry/rule_doc.hpp"

#include <boost/json.hpp>

#include <array>

#include "base/strings.hpp"
#include "rules/filter.hpp"
#include "telemetry/v2_time.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

constexpr std::array<const char*, 7> kRuleTypes = {"Host",       "File",           "CloudTrail",      "ThreatIntel",
                                                   "Winsec",     "KubernetesAudit", "KubernetesConfig"};

Result<std::vector<std::string>> StringsOr(const json::object& o, const char* key) {
  RAMPART_TRY(v, OptStrings(o, key));
  return v.value_or(std::vector<std::string>{});
}

Result<std::vector<store::FileIntegrityPath>> PathsOf(const json::object& o) {
  std::vector<store::FileIntegrityPath> out;
  const json::value* paths = o.if_contains("fileIntegrityPaths");
  if (!paths || paths->is_null()) return out;
  if (!paths->is_array()) return InvalidField("fileIntegrityPaths", "Must be an array of {path, recursive}.");
  for (const auto& p : paths->get_array()) {
    const json::object* po = p.if_object();
    const json::value* path = po ? po->if_contains("path") : nullptr;
    const json::value* rec = po ? po->if_contains("recursive") : nullptr;
    if (!path || !path->is_string() || path->get_string().empty() || (rec && !rec->is_bool())) {
      return InvalidField("fileIntegrityPaths", "Must be an array of {path, recursive}.");
    }
    out.push_back({std::string(path->get_string()), rec && rec->get_bool()});
  }
  return out;
}

// The File rules' own fields.
Result<void> FileFields(const json::object& o, store::RuleRecord& r) {
  RAMPART_TRY(paths, PathsOf(o));
  RAMPART_TRY(ignore, StringsOr(o, "ignoreFiles"));
  RAMPART_TRY(events, StringsOr(o, "eventsToMonitor"));
  r.file_integrity_paths = std::move(paths);
  r.ignore_files = std::move(ignore);
  r.events_to_monitor = std::move(events);
  return {};
}

}  // namespace

Result<store::RuleRecord> ParseRuleBody(std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  store::RuleRecord r;
  RAMPART_TRY(name, OptString(o, "name"));
  if (!name || name->empty() || name->size() > 200) return InvalidField("name", "Must be between 1 and 200 characters long.");
  RAMPART_TRY(title, OptString(o, "title"));
  if (!title || title->empty() || title->size() > 500) return InvalidField("title", "Must be between 1 and 500 characters long.");
  RAMPART_TRY(type, OptString(o, "type"));
  for (const char* t : kRuleTypes) {
    if (type && AsciiLower(*type) == AsciiLower(t)) r.type = t;
  }
  if (r.type.empty()) return InvalidField("type", "Must be one of Host, File, CloudTrail, ThreatIntel, Winsec, KubernetesAudit, KubernetesConfig.");
  // Optional (the Terraform provider omits it when a rule has none): the rule's name then.
  RAMPART_TRY(given_desc, OptString(o, "alertDescription"));
  r.alert_description = given_desc.value_or(name->substr(0, 300));
  if (r.alert_description.empty() || r.alert_description.size() > 300) {
    return InvalidField("alertDescription", "Must be between 1 and 300 characters long.");
  }
  RAMPART_TRY(severity, OptInt(o, "severityOfAlerts"));
  if (!severity || *severity < 1 || *severity > 3) return InvalidField("severityOfAlerts", "Must be 1, 2 or 3.");
  RAMPART_TRY(window, OptInt(o, "window"));
  if (window && (*window < 1 || *window > 31 * 86400)) return InvalidField("window", "Must be between 1 and 2678400 seconds.");
  RAMPART_TRY(threshold, OptInt(o, "threshold"));
  if (threshold && (*threshold < 1 || *threshold > 1000000)) return InvalidField("threshold", "Must be between 1 and 1000000.");
  RAMPART_TRY(enabled, OptBool(o, "enabled"));
  RAMPART_TRY(filter, OptString(o, "filter"));
  RAMPART_TRY(aggregate, StringsOr(o, "aggregateFields"));
  for (const auto& f : aggregate) {
    if (f == "rule_id") return InvalidField("aggregateFields", "rule_id is deprecated and cannot be set.");
  }
  RAMPART_TRY(suppressions, StringsOr(o, "suppressions"));
  // The filter and each suppression must parse (rules/filter.hpp): the error names the column.
  if (filter && !filter->empty()) {
    if (auto f = rules::ParseFilter(*filter); !f) return InvalidField("filter", f.error().detail + ".");
  }
  for (size_t i = 0; i < suppressions.size(); ++i) {
    if (auto f = rules::ParseFilter(suppressions[i]); !f) {
      return InvalidField("suppressions", "suppression " + std::to_string(i + 1) + ": " + f.error().detail + ".");
    }
  }
  r.name = std::move(*name);
  r.title = std::move(*title);
  r.severity = static_cast<int>(*severity);
  r.filter = filter.value_or("");
  r.aggregate_fields = std::move(aggregate);
  r.suppressions = std::move(suppressions);
  r.window_s = window.value_or(3600);
  r.threshold = threshold.value_or(1);
  r.enabled = enabled.value_or(true);
  if (r.type == "File") RAMPART_CHECK(FileFields(o, r));
  return r;
}

json::object RuleDoc(const store::RuleRecord& r) {
  json::object doc{{"id", r.id},
                   {"rulesetId", r.ruleset_id},
                   {"name", r.name},
                   {"title", r.title},
                   {"type", r.type},
                   {"severityOfAlerts", r.severity},
                   {"alertDescription", r.alert_description},
                   {"aggregateFields", JsonStrings(r.aggregate_fields)},
                   {"filter", r.filter},
                   {"window", r.window_s},
                   {"threshold", r.threshold},
                   {"suppressions", JsonStrings(r.suppressions)},
                   {"enabled", r.enabled}};
  if (r.type == "File") {
    json::array paths;
    for (const auto& p : r.file_integrity_paths) paths.push_back(json::object{{"path", p.path}, {"recursive", p.recursive}});
    doc["fileIntegrityPaths"] = std::move(paths);
    doc["ignoreFiles"] = JsonStrings(r.ignore_files);
    doc["eventsToMonitor"] = JsonStrings(r.events_to_monitor);
  }
  doc["createdAt"] = FormatInstant(r.created_at_ms);
  doc["updatedAt"] = FormatInstant(r.updated_at_ms);
  // A stored filter that no longer parses (saved by an older rampart, or imported) is kept and
  // never fires; it says why.
  if (!r.filter.empty()) {
    if (auto parsed = rules::ParseFilter(r.filter); !parsed) doc["filterError"] = parsed.error().detail;
  }
  return doc;
}

json::object RulesetDoc(const store::RulesetRecord& rs, const std::vector<std::string>& rule_ids) {
  return json::object{{"id", rs.id},
                      {"name", rs.name},
                      {"description", rs.description},
                      {"createdAt", FormatInstant(rs.created_at_ms)},
                      {"updatedAt", FormatInstant(rs.updated_at_ms)},
                      {"rules", JsonStrings(rule_ids)}};
}

}  // namespace rampart::telemetry
