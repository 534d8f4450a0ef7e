#pragma once
// Dismissing and undismissing alerts (threatstack-api.md §8.3). `POST /v2/alerts/dismiss` takes
// either `{"ids":[…], "dismissReason", "dismissReasonText"}` or a query `{"from","until",
// "severity","ruleID","agentID", "dismissReason", …}` (capital ID in this body; from and until
// required, plus at least one of severity/ruleID/agentID). All matching alerts change in one
// transaction with one audit record, or none do. Undismiss (`POST /v2/alerts/undismiss`,
// `{"ids":[…]}`) is rampart's own: no public client shows the reference's form.
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::telemetry {

inline constexpr int64_t kMaxDismissPerRequest = 100000;

// Returns `{}` (the reference's body is unknown; clients only check the status).
Result<std::string> DismissAlerts(store::TelemetryStore& alerts, store::V2Store& store, const Actor& actor,
                                  std::string_view body);
Result<std::string> UndismissAlerts(store::TelemetryStore& alerts, store::V2Store& store, const Actor& actor,
                                    std::string_view body);

}  // namespace rampart::telemetry
