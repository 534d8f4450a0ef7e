#include "telemetry/rules.hpp"

#include <array>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

constexpr std::array<const char*, 7> kRuleTypes = {"Host",       "File",           "CloudTrail",      "ThreatIntel",
                                                   "Winsec",     "KubernetesAudit", "KubernetesConfig"};

Error NoRuleset(const std::string& id) { return Error::NotFound("Ruleset not found: " + id.substr(0, 64)); }
Error NoRule(const std::string& id) { return Error::NotFound("Rule not found: " + id.substr(0, 64)); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

Result<std::vector<std::string>> RuleIdsOf(store::V2Store& store, const std::string& org, const std::string& rs) {
  RAMPART_TRY(rules, store.ListObjects(org, "rule", rs));
  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(r.id);
  return ids;
}

// The stored ruleset document with its current rule ids as `rules`.
Result<std::string> RenderRuleset(store::V2Store& store, const store::ObjectRecord& rs) {
  RAMPART_TRY(ids, RuleIdsOf(store, rs.org_id, rs.id));
  json::object doc = json::parse(rs.doc).as_object();
  json::array rules;
  for (auto& id : ids) rules.emplace_back(id);
  doc["rules"] = std::move(rules);
  return json::serialize(doc);
}

// name, description, and ruleIds/rules, which may only name rules already in the ruleset (rules
// are added through POST …/rules); an empty list is always accepted.
Result<json::object> RulesetFields(store::V2Store& store, const std::string& org, const std::string& rs_id,
                                   std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(name, OptString(o, "name"));
  if (!name || name->empty() || name->size() > 200) return InvalidField("name", "Must be between 1 and 200 characters long.");
  RAMPART_TRY(description, OptString(o, "description"));
  if (description && description->size() > 1000) return InvalidField("description", "Must be at most 1000 characters long.");
  RAMPART_TRY(rule_ids, OptStrings(o, "ruleIds"));
  if (!rule_ids) {
    RAMPART_TRY(rules, OptStrings(o, "rules"));
    rule_ids = rules;
  }
  if (rule_ids && !rule_ids->empty()) {
    RAMPART_TRY(have, rs_id.empty() ? Result<std::vector<std::string>>(std::vector<std::string>{})
                                    : RuleIdsOf(store, org, rs_id));
    for (const auto& id : *rule_ids) {
      if (std::find(have.begin(), have.end(), id) == have.end()) {
        return InvalidField("ruleIds", "Rule " + id.substr(0, 64) + " is not in this ruleset (add rules with POST /v2/rulesets/{id}/rules).");
      }
    }
  }
  return json::object{{"name", *name}, {"description", description.value_or("")}};
}

Result<std::vector<std::string>> StringsOr(const json::object& o, const char* key) {
  RAMPART_TRY(v, OptStrings(o, key));
  return v.value_or(std::vector<std::string>{});
}

json::array ToArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// A rule body → the rule's wire fields (without id, rulesetId, createdAt, updatedAt).
Result<json::object> RuleFields(std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(name, OptString(o, "name"));
  if (!name || name->empty() || name->size() > 200) return InvalidField("name", "Must be between 1 and 200 characters long.");
  RAMPART_TRY(title, OptString(o, "title"));
  if (!title || title->empty() || title->size() > 500) return InvalidField("title", "Must be between 1 and 500 characters long.");
  RAMPART_TRY(type, OptString(o, "type"));
  const char* canonical = nullptr;
  for (const char* t : kRuleTypes) {
    if (type && Lower(*type) == Lower(t)) canonical = t;
  }
  if (!canonical) return InvalidField("type", "Must be one of Host, File, CloudTrail, ThreatIntel, Winsec, KubernetesAudit, KubernetesConfig.");
  // Optional (the Terraform provider omits it when a rule has none): the rule's name then.
  RAMPART_TRY(given_desc, OptString(o, "alertDescription"));
  const std::string desc = given_desc.value_or(name->substr(0, 300));
  if (desc.empty() || desc.size() > 300) return InvalidField("alertDescription", "Must be between 1 and 300 characters long.");
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
  json::object out{{"name", *name},         {"title", *title},         {"type", canonical},
                   {"severityOfAlerts", *severity}, {"alertDescription", desc},
                   {"aggregateFields", ToArray(aggregate)}, {"filter", filter.value_or("")},
                   {"window", window.value_or(3600)},       {"threshold", threshold.value_or(1)},
                   {"suppressions", ToArray(suppressions)}, {"enabled", enabled.value_or(true)}};
  if (std::string_view(canonical) == "File") {
    const json::value* paths = o.if_contains("fileIntegrityPaths");
    json::array fip;
    if (paths && !paths->is_null()) {
      if (!paths->is_array()) return InvalidField("fileIntegrityPaths", "Must be an array of {path, recursive}.");
      for (const auto& p : paths->get_array()) {
        const json::object* po = p.if_object();
        const json::value* path = po ? po->if_contains("path") : nullptr;
        const json::value* rec = po ? po->if_contains("recursive") : nullptr;
        if (!path || !path->is_string() || path->get_string().empty() || (rec && !rec->is_bool())) {
          return InvalidField("fileIntegrityPaths", "Must be an array of {path, recursive}.");
        }
        fip.push_back(json::object{{"path", path->get_string()}, {"recursive", rec && rec->get_bool()}});
      }
    }
    out["fileIntegrityPaths"] = std::move(fip);
    RAMPART_TRY(ignore, StringsOr(o, "ignoreFiles"));
    RAMPART_TRY(events, StringsOr(o, "eventsToMonitor"));
    out["ignoreFiles"] = ToArray(ignore);
    out["eventsToMonitor"] = ToArray(events);
  }
  return out;
}

Result<store::ObjectRecord> FindRuleset(store::V2Store& store, const std::string& org, const std::string& id) {
  RAMPART_TRY(rs, store.GetObject(org, "ruleset", id));
  if (!rs) return NoRuleset(id);
  return *rs;
}

Result<store::ObjectRecord> FindRule(store::V2Store& store, const std::string& org, const std::string& rs_id,
                                     const std::string& id) {
  RAMPART_TRY(rule, store.GetObject(org, "rule", id));
  if (!rule || (!rs_id.empty() && rule->parent_id != rs_id)) return NoRule(id);
  return *rule;
}

std::string NewUuid() { return crypto::NewUuidV4(); }

}  // namespace

Result<std::string> ListRulesetsBody(store::V2Store& store, const std::string& org_id) {
  RAMPART_TRY(sets, store.ListObjects(org_id, "ruleset", ""));
  std::vector<std::string> docs;
  for (const auto& rs : sets) {
    RAMPART_TRY(doc, RenderRuleset(store, rs));
    docs.push_back(std::move(doc));
  }
  return DocsBody("rulesets", docs, true);
}

Result<std::string> GetRulesetBody(store::V2Store& store, const std::string& org_id, const std::string& id) {
  RAMPART_TRY(rs, FindRuleset(store, org_id, id));
  return RenderRuleset(store, rs);
}

Result<std::string> CreateRuleset(store::V2Store& store, const Actor& actor, std::string_view body) {
  RAMPART_TRY(doc, RulesetFields(store, actor.org_id, "", body));
  const std::string id = NewUuid();
  const std::string now = FormatInstant(actor.now_ms);
  json::object stored{{"id", id}, {"name", doc["name"]}, {"description", doc["description"]}, {"createdAt", now}, {"updatedAt", now}};
  store::ObjectRecord rec{actor.org_id, "ruleset", id, "", actor.now_ms, json::serialize(stored)};
  store::V2Write w{.org_id = actor.org_id, .put_objects = {rec},
                   .audit = AuditFor(actor, "create", "ruleset.create", "Created ruleset " + std::string(doc["name"].as_string()),
                                     json::object{{"rulesetId", id}})};
  RAMPART_CHECK(store.Commit(w));
  return RenderRuleset(store, rec);
}

Result<std::string> UpdateRuleset(store::V2Store& store, const Actor& actor, const std::string& id,
                                  std::string_view body) {
  RAMPART_TRY(rs, FindRuleset(store, actor.org_id, id));
  RAMPART_TRY(doc, RulesetFields(store, actor.org_id, id, body));
  json::object stored = json::parse(rs.doc).as_object();
  stored["name"] = doc["name"];
  stored["description"] = doc["description"];
  stored["updatedAt"] = FormatInstant(actor.now_ms);
  rs.doc = json::serialize(stored);
  store::V2Write w{.org_id = actor.org_id, .put_objects = {rs},
                   .audit = AuditFor(actor, "update", "ruleset.update", "Updated ruleset " + std::string(doc["name"].as_string()),
                                     json::object{{"rulesetId", id}})};
  RAMPART_CHECK(store.Commit(w));
  return RenderRuleset(store, rs);
}

Result<std::string> DeleteRuleset(store::V2Store& store, const Actor& actor, const std::string& id) {
  RAMPART_TRY(rs, FindRuleset(store, actor.org_id, id));
  RAMPART_TRY(rule_ids, RuleIdsOf(store, actor.org_id, id));
  store::V2Write w{actor.org_id};
  w.delete_objects.push_back({"ruleset", id});
  for (const auto& r : rule_ids) {
    w.delete_objects.push_back({"rule", r});
    w.delete_objects.push_back({"rule_tags", r});
  }
  w.audit = AuditFor(actor, "delete", "ruleset.delete", "Deleted ruleset " + id,
                     json::object{{"rulesetId", id}, {"ruleIds", ToArray(rule_ids)}});
  RAMPART_CHECK(store.Commit(w));
  return std::string(R"({"server_ids":[]})");
}

Result<std::string> ListRulesBody(store::V2Store& store, const std::string& org_id, const std::string& ruleset_id) {
  RAMPART_CHECK(FindRuleset(store, org_id, ruleset_id));
  RAMPART_TRY(rules, store.ListObjects(org_id, "rule", ruleset_id));
  std::vector<std::string> docs;
  for (auto& r : rules) docs.push_back(std::move(r.doc));
  return DocsBody("rules", docs, true);
}

Result<std::string> GetRuleBody(store::V2Store& store, const std::string& org_id, const std::string& ruleset_id,
                                const std::string& rule_id) {
  RAMPART_CHECK(FindRuleset(store, org_id, ruleset_id));
  RAMPART_TRY(rule, FindRule(store, org_id, ruleset_id, rule_id));
  return rule.doc;
}

namespace {

Result<std::string> WriteRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                              const std::string& rule_id, int64_t created_ms, std::string_view body, bool create) {
  RAMPART_TRY(fields, RuleFields(body));
  json::object doc{{"id", rule_id}, {"rulesetId", ruleset_id}};
  for (auto& [k, v] : fields) doc[k] = v;
  doc["createdAt"] = FormatInstant(created_ms);
  doc["updatedAt"] = FormatInstant(actor.now_ms);
  store::ObjectRecord rec{actor.org_id, "rule", rule_id, ruleset_id, created_ms, json::serialize(doc)};
  store::V2Write w{actor.org_id, {rec}};
  w.audit = AuditFor(actor, create ? "create" : "update", create ? "rule.create" : "rule.update",
                     std::string(create ? "Created" : "Updated") + " rule " + std::string(fields["name"].as_string()),
                     json::object{{"rulesetId", ruleset_id}, {"ruleId", rule_id}});
  RAMPART_CHECK(store.Commit(w));
  return rec.doc;
}

}  // namespace

Result<std::string> CreateRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               std::string_view body) {
  RAMPART_CHECK(FindRuleset(store, actor.org_id, ruleset_id));
  return WriteRule(store, actor, ruleset_id, NewUuid(), actor.now_ms, body, true);
}

Result<std::string> UpdateRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               const std::string& rule_id, std::string_view body) {
  RAMPART_CHECK(FindRuleset(store, actor.org_id, ruleset_id));
  RAMPART_TRY(rule, FindRule(store, actor.org_id, ruleset_id, rule_id));
  return WriteRule(store, actor, ruleset_id, rule_id, rule.created_at_ms, body, false);
}

Result<std::string> DeleteRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               const std::string& rule_id) {
  RAMPART_CHECK(FindRuleset(store, actor.org_id, ruleset_id));
  RAMPART_CHECK(FindRule(store, actor.org_id, ruleset_id, rule_id));
  store::V2Write w{actor.org_id, {}, {{"rule", rule_id}, {"rule_tags", rule_id}}};
  w.audit = AuditFor(actor, "delete", "rule.delete", "Deleted rule " + rule_id,
                     json::object{{"rulesetId", ruleset_id}, {"ruleId", rule_id}});
  RAMPART_CHECK(store.Commit(w));
  return std::string("{}");
}

Result<std::string> GetRuleTagsBody(store::V2Store& store, const std::string& org_id, const std::string& rule_id) {
  RAMPART_CHECK(FindRule(store, org_id, "", rule_id));
  RAMPART_TRY(tags, store.GetObject(org_id, "rule_tags", rule_id));
  if (!tags) return Error::NotFound("No tags found for rule " + rule_id.substr(0, 64));
  return tags->doc;
}

Result<std::string> PutRuleTags(store::V2Store& store, const Actor& actor, const std::string& rule_id,
                                std::string_view body) {
  RAMPART_CHECK(FindRule(store, actor.org_id, "", rule_id));
  RAMPART_TRY(o, BodyObject(body));
  json::object doc;
  for (const char* side : {"inclusion", "exclusion"}) {
    json::array out;
    const json::value* v = o.if_contains(side);
    if (v && !v->is_null()) {
      if (!v->is_array()) return InvalidField(side, "Must be an array of {source, key, value}.");
      for (const auto& t : v->get_array()) {
        const json::object* to = t.if_object();
        if (!to) return InvalidField(side, "Must be an array of {source, key, value}.");
        json::object tag;
        for (const char* k : {"source", "key", "value"}) {
          const json::value* f = to->if_contains(k);
          if (!f || !f->is_string() || f->get_string().size() > 256) {
            return InvalidField(side, std::string("Each tag needs a string ") + k + ".");
          }
          tag[k] = *f;
        }
        out.push_back(std::move(tag));
      }
    }
    doc[side] = std::move(out);
  }
  store::ObjectRecord rec{actor.org_id, "rule_tags", rule_id, "", actor.now_ms, json::serialize(doc)};
  store::V2Write w{actor.org_id, {rec}};
  w.audit = AuditFor(actor, "update", "rule.tags.update", "Set tags of rule " + rule_id, json::object{{"ruleId", rule_id}});
  RAMPART_CHECK(store.Commit(w));
  return rec.doc;
}

}  // namespace rampart::telemetry
