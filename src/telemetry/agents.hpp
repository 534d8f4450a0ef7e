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
// key order. Required: id, status, createdAt. Absent scalar fields are null; object and array
// fields never are: ipAddresses defaults to {"private":[],"link_local":[],"public":[]} (each list
// filled in when missing) and tags to [].
Result<store::AgentRecord> AgentFromJson(const boost::json::value& v, const std::string& org_id);

// A stored agent document as served: the same defaults filled in (documents stored before they
// existed carry nulls).
std::string ServedAgentDoc(const std::string& stored);

}  // namespace rampart::telemetry
