#include "ingest/rule_test.hpp"

#include <boost/json.hpp>

#include "rules/filter.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::ingest {
namespace json = boost::json;

Result<std::string> TestRule(store::AgentStore& store, const std::string& org, std::string_view body) {
  RAMPART_TRY(o, telemetry::BodyObject(body));
  for (const auto& [k, v] : o) {
    if (k != "filter" && k != "suppressions" && k != "limit") return Error::Invalid("unknown field '" + std::string(k.substr(0, 64)) + "'");
  }
  RAMPART_TRY(filter, telemetry::OptString(o, "filter"));
  if (!filter) return Error::Invalid("'filter' is required");
  RAMPART_TRY(sups, telemetry::OptStrings(o, "suppressions"));
  RAMPART_TRY(limit, telemetry::OptInt(o, "limit"));
  const int64_t n = limit.value_or(1000);
  if (n < 1 || n > kMaxTestEvents) return Error::Invalid("'limit' must be 1 to 10000");
  auto compiled = rules::CompiledFilter::Compile(*filter);
  if (!compiled) return Error::Invalid("filter: " + compiled.error().detail);
  std::vector<rules::CompiledFilter> suppressions;
  for (const auto& s : sups.value_or(std::vector<std::string>{})) {
    auto cs = rules::CompiledFilter::Compile(s);
    if (!cs) return Error::Invalid("suppression '" + s.substr(0, 200) + "': " + cs.error().detail);
    suppressions.push_back(std::move(*cs));
  }
  RAMPART_TRY(events, store.RecentEvents(org, n));
  json::array shown;
  int64_t matched = 0, suppressed = 0;
  for (const auto& e : events) {
    json::error_code ec;
    json::value v = json::parse(e.doc, ec);
    if (ec || !v.is_object() || !compiled->Matches(v.get_object())) continue;
    bool hidden = false;
    for (const auto& s : suppressions) hidden = hidden || s.Matches(v.get_object());
    if (hidden) {
      ++suppressed;
      continue;
    }
    ++matched;
    if (shown.size() < kMaxTestMatchesShown) shown.push_back(std::move(v));
  }
  json::array unknown;
  for (const auto& k : compiled->unknown_keys()) unknown.emplace_back(k);
  return json::serialize(json::object{{"examined", events.size()},
                                      {"matched", matched},
                                      {"suppressed", suppressed},
                                      {"unknownKeys", std::move(unknown)},
                                      {"events", std::move(shown)}});
}

}  // namespace rampart::ingest
