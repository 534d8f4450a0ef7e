#pragma once
// The host facts an agent reports, checked the same way at enrollment and in every heartbeat
// (docs/ingest.md "Host facts"): short printable strings, and addresses split as /v2/agents
// shows them ({"private":[…],"link_local":[…],"public":[…]}, each entry an address with an
// optional prefix length, at most 64 a list). Errors are Invalid naming the field.
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "base/result.hpp"

namespace rampart::ingest {

// o[key] as a string of 1..max characters with no control characters; nullopt when absent or null.
Result<std::optional<std::string>> HostText(const boost::json::object& o, const char* key, size_t max);

// o["ipAddresses"] checked and with all three lists present (empty when absent or null).
Result<boost::json::value> HostAddresses(const boost::json::object& o);

}  // namespace rampart::ingest
