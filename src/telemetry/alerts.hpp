#pragma once
// Alerts of the Threat Stack v2 API: import validation, the filtered and paginated listing
// `{"alerts":[…],"token":…}`, one alert, its events, and severity counts.
#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/page_token.hpp"

namespace rampart::telemetry {

inline constexpr int64_t kAlertPageSize = 100;

// Query parameters as received (already percent-decoded); all optional.
struct AlertParams {
  std::optional<std::string> status, severity, rule_id, agent_id, from, until, token;
};

// `data` is an alert object plus an optional "events" array (stored apart, served by /events).
Result<store::AlertRecord> AlertFromJson(const boost::json::value& data, const std::string& org_id);

Result<std::string> ListAlertsBody(store::TelemetryStore& store, const PageTokenCodec& codec,
                                   const std::string& org_id, const AlertParams& params);
// `{"events":[…]}`, or NotFound.
Result<std::string> AlertEventsBody(store::TelemetryStore& store, const std::string& org_id, const std::string& id);
// `{"severityCounts":[{"severity":1,"count":…},…]}` for active alerts, every severity listed.
Result<std::string> SeverityCountsBody(store::TelemetryStore& store, const std::string& org_id,
                                       const std::optional<std::string>& from, const std::optional<std::string>& until);

}  // namespace rampart::telemetry
