#pragma once
// The SQL of rulesets and rules. Parameters are bound.
namespace rampart::store::sqlite::q {

#define RAMPART_SELECT_RULESET "SELECT org_id, id, name, description, created_at_ms, updated_at_ms FROM rulesets "
inline constexpr const char* kListRulesets = RAMPART_SELECT_RULESET "WHERE org_id = ?1 ORDER BY created_at_ms, id";
inline constexpr const char* kGetRuleset = RAMPART_SELECT_RULESET "WHERE org_id = ?1 AND id = ?2";
#undef RAMPART_SELECT_RULESET
inline constexpr const char* kPutRuleset =
    "INSERT INTO rulesets(org_id, id, name, description, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(org_id, id) DO UPDATE SET name = excluded.name, description = excluded.description,"
    " updated_at_ms = excluded.updated_at_ms";
inline constexpr const char* kDeleteRulesetTags =
    "DELETE FROM v2_objects WHERE org_id = ?1 AND kind = 'rule_tags'"
    " AND id IN (SELECT id FROM rules WHERE org_id = ?1 AND ruleset_id = ?2)";
inline constexpr const char* kDeleteRulesOfRuleset = "DELETE FROM rules WHERE org_id = ?1 AND ruleset_id = ?2";
inline constexpr const char* kDeleteRuleset = "DELETE FROM rulesets WHERE org_id = ?1 AND id = ?2";
// Enrolled agents of the organization evaluated against a ruleset, and dropping it from them.
#define RAMPART_AGENT_HAS_RULESET "EXISTS (SELECT 1 FROM json_each(agent_keys.rulesets) WHERE value = ?2)"
inline constexpr const char* kAgentsUsingRuleset =
    "SELECT agent_id FROM agent_keys WHERE org_id = ?1 AND revoked_at_ms IS NULL AND " RAMPART_AGENT_HAS_RULESET
    " ORDER BY agent_id";
inline constexpr const char* kDropRulesetFromAgents =
    "UPDATE agent_keys SET rulesets = (SELECT json_group_array(value) FROM json_each(agent_keys.rulesets)"
    " WHERE value != ?2) WHERE org_id = ?1 AND " RAMPART_AGENT_HAS_RULESET;
#undef RAMPART_AGENT_HAS_RULESET

#define RAMPART_SELECT_RULE                                                                                    \
  "SELECT org_id, id, ruleset_id, name, title, type, severity, alert_description, filter, aggregate_fields,"  \
  " suppressions, window_s, threshold, enabled, file_integrity_paths, ignore_files, events_to_monitor,"       \
  " created_at_ms, updated_at_ms FROM rules "
inline constexpr const char* kListRules =
    RAMPART_SELECT_RULE "WHERE org_id = ?1 AND (?2 = '' OR ruleset_id = ?2) ORDER BY created_at_ms, id";
inline constexpr const char* kGetRule = RAMPART_SELECT_RULE "WHERE org_id = ?1 AND id = ?2";
#undef RAMPART_SELECT_RULE
inline constexpr const char* kPutRule =
    "INSERT INTO rules(org_id, id, ruleset_id, name, title, type, severity, alert_description, filter,"
    " aggregate_fields, suppressions, window_s, threshold, enabled, file_integrity_paths, ignore_files,"
    " events_to_monitor, created_at_ms, updated_at_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
    " ON CONFLICT(org_id, id) DO UPDATE SET ruleset_id = excluded.ruleset_id, name = excluded.name,"
    " title = excluded.title, type = excluded.type, severity = excluded.severity,"
    " alert_description = excluded.alert_description, filter = excluded.filter,"
    " aggregate_fields = excluded.aggregate_fields, suppressions = excluded.suppressions,"
    " window_s = excluded.window_s, threshold = excluded.threshold, enabled = excluded.enabled,"
    " file_integrity_paths = excluded.file_integrity_paths, ignore_files = excluded.ignore_files,"
    " events_to_monitor = excluded.events_to_monitor, updated_at_ms = excluded.updated_at_ms";
inline constexpr const char* kDeleteRuleTags = "DELETE FROM v2_objects WHERE org_id = ?1 AND kind = 'rule_tags' AND id = ?2";
inline constexpr const char* kDeleteRule = "DELETE FROM rules WHERE org_id = ?1 AND id = ?2";

}  // namespace rampart::store::sqlite::q
