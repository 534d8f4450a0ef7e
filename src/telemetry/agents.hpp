#pragma once
// Agents of the Threat Stack v2 API: validation of incoming agent documents (import). Listing is
// served from telemetry/agent_directory.hpp: `{"agents":[…],"token":…}` (exactly those two keys;
// token null on the last page; 100 per page; newest first by (createdAt, id)).
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

}  // namespace rampart::telemetry
