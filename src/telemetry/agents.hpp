#pragma once
// Agents of the Threat Stack v2 API: validation of incoming agent documents (import), and the
// paginated listing `{"agents":[…],"token":…}` (exactly those two keys; token null on the last
// page; 100 per page; newest first by (createdAt, id)).
#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/page_token.hpp"

namespace rampart::telemetry {

inline constexpr int64_t kAgentPageSize = 100;

// Checks an agent object and returns its record with the document re-serialized in the wire's
// key order (keys absent from the input are null). Required: id, status, createdAt.
Result<store::AgentRecord> AgentFromJson(const boost::json::value& v, const std::string& org_id);

// `status` defaults to online; a token carries the status it was issued for, and a status given
// alongside a token must agree with it.
Result<std::string> ListAgentsBody(store::TelemetryStore& store, const PageTokenCodec& codec,
                                   const std::string& org_id, const std::optional<std::string>& status,
                                   const std::optional<std::string>& token);

}  // namespace rampart::telemetry
