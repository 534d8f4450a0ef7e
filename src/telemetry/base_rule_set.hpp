#pragma once
// The Base Rule Set (rules/base_rules.hpp) as stored rules: a ruleset named "Base Rule Set" with
// its 15 rules, given to an organization once — by the CLI when it creates one, and by the server
// at start to every organization that never had it (migration V13 marks which have). A set the
// organization later deletes is not given again. Blocking (the store).
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::telemetry {

inline constexpr const char* kBaseRuleSetName = "Base Rule Set";

// True when it was added now; false when the organization had it before.
Result<bool> AddBaseRuleSet(store::V2Store& store, const std::string& org_id, int64_t now_ms);

// Every organization that never had it gets it. Returns how many did.
Result<size_t> AddMissingBaseRuleSets(store::Store& store, int64_t now_ms);

}  // namespace rampart::telemetry
