#pragma once
// Rules and rulesets between their typed records and the v2 wire: a request body parsed into a
// record's fields, and a record rendered in the fields' documented order.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/records.hpp"

namespace rampart::telemetry {

// A rule body → name, title, type (matched case-insensitively, stored capitalized), severity,
// description (defaults to the name), filter, aggregate fields, window, threshold, suppressions,
// enabled, and the File rules' paths, ignored files and events. Ids and times are the caller's.
Result<store::RuleRecord> ParseRuleBody(std::string_view body);
boost::json::object RuleDoc(const store::RuleRecord& r);
// A ruleset with its rule ids as `rules`.
boost::json::object RulesetDoc(const store::RulesetRecord& rs, const std::vector<std::string>& rule_ids);

}  // namespace rampart::telemetry
