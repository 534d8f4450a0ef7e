#pragma once
// Rulesets and rules as typed rows (migration V12): reads over a connection, writes inside the
// caller's transaction (SqliteV2::Commit). String lists are kept as JSON arrays in their column.
#include "store/sqlite/connections.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

// A list of strings as a JSON array column, and back (a malformed column, never written by
// rampart, reads as empty). Rules' lists and agents' rulesets are stored this way.
std::string Strings(const std::vector<std::string>& v);
std::vector<std::string> StringsOf(const std::string& text);

Result<std::vector<RulesetRecord>> ListRulesetRows(Db& db, const std::string& org_id);
Result<std::optional<RulesetRecord>> GetRulesetRow(Db& db, const std::string& org_id, const std::string& id);
Result<std::vector<RuleRecord>> ListRuleRows(Db& db, const std::string& org_id, const std::string& ruleset_id);
Result<std::optional<RuleRecord>> GetRuleRow(Db& db, const std::string& org_id, const std::string& id);
Result<std::vector<std::string>> AgentsUsingRulesetRows(Db& db, const std::string& org_id,
                                                        const std::string& ruleset_id);

// The rule and ruleset parts of a V2Write, in the caller's transaction: deletions first (a
// ruleset takes its rules and their tags along, and leaves the agents evaluated against it), then puts (a rule's ruleset must exist: the
// foreign key refuses one that does not, as Invalid).
Result<void> ApplyRuleChanges(Db& db, const V2Write& w);

}  // namespace rampart::store::sqlite
