#pragma once
// POST /v2/rules/test (a rampart extension): what a rule author needs before saving — a filter
// (and suppressions) run over the organization's newest stored events. Body:
// {"filter": "...", "suppressions": ["..."]?, "limit": 1..10000 (default 1000)}. Reply:
// {"examined", "matched", "suppressed", "unknownKeys": [...], "events": [the first 100 matches,
// newest first]}. A filter that does not parse is a 400 naming the column. Blocking.
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::ingest {

inline constexpr int64_t kMaxTestEvents = 10000;
inline constexpr size_t kMaxTestMatchesShown = 100;

Result<std::string> TestRule(store::AgentStore& store, const std::string& org_id, std::string_view body);

}  // namespace rampart::ingest
