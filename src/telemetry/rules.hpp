#pragma once
// Rulesets, rules and rule tags of the Threat Stack v2 API (threatstack-api.md §8.5):
// responses carry a ruleset's rule ids as `rules`, writes take `ruleIds` (or `rules`); lists are
// not paginated (`"token": null`); rule types are matched case-insensitively and returned
// capitalized; `alertDescription` (1–300 characters) defaults to the rule's name. Every write is one store
// commit with its audit record. Bodies are returned serialized.
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::telemetry {

Result<std::string> ListRulesetsBody(store::V2Store& store, const std::string& org_id);
Result<std::string> GetRulesetBody(store::V2Store& store, const std::string& org_id, const std::string& id);
Result<std::string> CreateRuleset(store::V2Store& store, const Actor& actor, std::string_view body);
Result<std::string> UpdateRuleset(store::V2Store& store, const Actor& actor, const std::string& id,
                                  std::string_view body);
// Deletes the ruleset with its rules and their tags: `{"server_ids":[…]}`, the enrolled agents
// that were evaluated against it and no longer are.
Result<std::string> DeleteRuleset(store::V2Store& store, const Actor& actor, const std::string& id);

Result<std::string> ListRulesBody(store::V2Store& store, const std::string& org_id, const std::string& ruleset_id);
Result<std::string> GetRuleBody(store::V2Store& store, const std::string& org_id, const std::string& ruleset_id,
                                const std::string& rule_id);
Result<std::string> CreateRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               std::string_view body);
Result<std::string> UpdateRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               const std::string& rule_id, std::string_view body);
Result<std::string> DeleteRule(store::V2Store& store, const Actor& actor, const std::string& ruleset_id,
                               const std::string& rule_id);

// `{"inclusion":[…],"exclusion":[…]}`; 404 "No tags found for rule <id>" when none were set.
Result<std::string> GetRuleTagsBody(store::V2Store& store, const std::string& org_id, const std::string& rule_id);
Result<std::string> PutRuleTags(store::V2Store& store, const Actor& actor, const std::string& rule_id,
                                std::string_view body);

}  // namespace rampart::telemetry
