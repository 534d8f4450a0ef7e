#include "telemetry/rules.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "crypto/crypto.hpp"
#include "telemetry/rule_doc.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

Error NoRuleset(const std::string& id) { return Error::NotFound("Ruleset not found: " + id.substr(0, 64)); }
Error NoRule(const std::string& id) { return Error::NotFound("Rule not found: " + id.substr(0, 64)); }

Result<std::vector<std::string>> RuleIdsOf(store::V2Store& store, const std::string& org, const std::string& rs) {
  RAMPART_TRY(rules, store.ListRules(org, rs));
  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(r.id);
  return ids;
}

Result<std::string> RenderRuleset(store::V2Store& store, const store::RulesetRecord& rs) {
  RAMPART_TRY(ids, RuleIdsOf(store, rs.org_id, rs.id));
  return json::serialize(RulesetDoc(rs, ids));
}

struct RulesetInput {
  std::string name, description;
};

// name, description, and ruleIds/rules, which may only name rules already in the ruleset (rules
// are added through POST …/rules); an empty list is always accepted.
Result<RulesetInput> RulesetFields(store::V2Store& store, const std::string& org, const std::string& rs_id,
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
  return RulesetInput{std::move(*name), description.value_or("")};
}

Result<store::RulesetRecord> FindRuleset(store::V2Store& store, const std::string& org, const std::string& id) {
  RAMPART_TRY(rs, store.GetRuleset(org, id));
  if (!rs) return NoRuleset(id);
  return *rs;
}

Result<store::RuleRecord> FindRule(store::V2Store& store, const std::string& org, const std::string& rs_id,
                                   const std::string& id) {
  RAMPART_TRY(rule, store.GetRule(org, id));
  if (!rule || (!rs_id.empty() && rule->ruleset_id != rs_id)) return NoRule(id);
  return *rule;
}

}  // namespace

Result<std::string> ListRulesetsBody(store::V2Store& store, const std::string& org_id) {
  RAMPART_TRY(sets, store.ListRulesets(org_id));
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
  RAMPART_TRY(in, RulesetFields(store, actor.org_id, "", body));
  store::RulesetRecord rs{actor.org_id, crypto::NewUuidV4(), in.name, in.description, actor.now_ms, actor.now_ms};
  store::V2Write w{.org_id = actor.org_id,
                   .put_rulesets = {rs},
                   .audit = AuditFor(actor, "create", "ruleset.create", "Created ruleset " + rs.name,
                                     json::object{{"rulesetId", rs.id}})};
  RAMPART_CHECK(store.Commit(w));
  return json::serialize(RulesetDoc(rs, {}));
}

Result<std::string> UpdateRuleset(store::V2Store& store, const Actor& actor, const std::string& id,
                                  std::string_view body) {
  RAMPART_TRY(rs, FindRuleset(store, actor.org_id, id));
  RAMPART_TRY(in, RulesetFields(store, actor.org_id, id, body));
  rs.name = in.name;
  rs.description = in.description;
  rs.updated_at_ms = actor.now_ms;
  store::V2Write w{.org_id = actor.org_id,
                   .put_rulesets = {rs},
                   .audit = AuditFor(actor, "update", "ruleset.update", "Updated ruleset " + rs.name,
                                     json::object{{"rulesetId", id}})};
  RAMPART_CHECK(store.Commit(w));
  return RenderRuleset(store, rs);
}

Result<std::string> DeleteRuleset(store::V2Store& store, const Actor& actor, const std::string& id) {
  RAMPART_CHECK(FindRuleset(store, actor.org_id, id));
  RAMPART_TRY(rule_ids, RuleIdsOf(store, actor.org_id, id));
  RAMPART_TRY(agents, store.AgentsUsingRuleset(actor.org_id, id));
  store::V2Write w{.org_id = actor.org_id,
                   .delete_rulesets = {id},
                   .audit = AuditFor(actor, "delete", "ruleset.delete", "Deleted ruleset " + id,
                                     json::object{{"rulesetId", id},
                                                  {"ruleIds", JsonStrings(rule_ids)},
                                                  {"serverIds", JsonStrings(agents)}})};
  RAMPART_CHECK(store.Commit(w));
  return json::serialize(json::object{{"server_ids", JsonStrings(agents)}});
}

Result<std::string> ListRulesBody(store::V2Store& store, const std::string& org_id, const std::string& ruleset_id) {
  RAMPART_CHECK(FindRuleset(store, org_id, ruleset_id));
  RAMPART_TRY(rules, store.ListRules(org_id, ruleset_id));
  std::vector<std::string> docs;
  for (const auto& r : rules) docs.push_back(json::serialize(RuleDoc(r)));
  return DocsBody("rules", docs, true);
}

Result<std::string> GetRuleBody(store::V2Store& store, const std::string& org_id, const std::string& ruleset_id,
                                const std::string& rule_id) {
  RAMPART_CHECK(FindRuleset(store, org_id, ruleset_id));
  RAMPART_TRY(rule, FindRule(store, org_id, ruleset_id, rule_id));
  return json::serialize(RuleDoc(rule));
}

namespace {

Result<std::string> WriteRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                              const std::string& rule_id, int64_t created_ms, std::string_view body, bool create) {
  RAMPART_TRY(rule, ParseRuleBody(body));
  rule.org_id = actor.org_id;
  rule.id = rule_id;
  rule.ruleset_id = ruleset_id;
  rule.created_at_ms = created_ms;
  rule.updated_at_ms = actor.now_ms;
  store::V2Write w{.org_id = actor.org_id,
                   .put_rules = {rule},
                   .audit = AuditFor(actor, create ? "create" : "update", create ? "rule.create" : "rule.update",
                                     std::string(create ? "Created" : "Updated") + " rule " + rule.name,
                                     json::object{{"rulesetId", ruleset_id}, {"ruleId", rule_id}})};
  RAMPART_CHECK(store.Commit(w));
  return json::serialize(RuleDoc(rule));
}

}  // namespace

Result<std::string> CreateRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               std::string_view body) {
  RAMPART_CHECK(FindRuleset(store, actor.org_id, ruleset_id));
  return WriteRule(store, actor, ruleset_id, crypto::NewUuidV4(), actor.now_ms, body, true);
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
  store::V2Write w{.org_id = actor.org_id,
                   .delete_rules = {rule_id},
                   .audit = AuditFor(actor, "delete", "rule.delete", "Deleted rule " + rule_id,
                                     json::object{{"rulesetId", ruleset_id}, {"ruleId", rule_id}})};
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
