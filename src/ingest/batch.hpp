#pragma once
// The decoder of an agent's event batch (docs/ingest.md): the body of POST /ingest/v1/events,
// gzip-compressed (Content-Encoding: gzip) or not, is JSON lines, one event per line. Pure:
// bytes in, checked events or an error naming the line out. Untrusted bytes: every size is
// bounded before it is spent (the compressed body by the HTTP layer, the inflated size and the
// events here, a zip bomb stops at `max_inflated_bytes`).
//
// An event is a JSON object keyed like the rule filter keys (rules/filter.hpp):
//   event_type   required: "audit" | "file" | "login" | "host" | "network"
//   timestamp    required: epoch milliseconds, a non-negative integer
//   connection   an object of addr, port, src_addr, src_port, dst_addr, dst_port
//   any other known filter key, with a string, number, boolean or array-of-strings value
// The keys the server sets (agent_id, agent, organization_id, _id) are refused, so an agent
// cannot speak for another; an unknown key is refused (the message names it).
#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace rampart::ingest {

struct BatchLimits {
  size_t max_inflated_bytes = 8 * 1024 * 1024;
  size_t max_events = 10000;
  size_t max_line_bytes = 64 * 1024;
  size_t max_string_bytes = 16 * 1024;  // one field's value
};

inline constexpr std::string_view kEventTypes[] = {"audit", "file", "login", "host", "network"};

// Inflates a gzip body into at most `max_bytes` (TooLarge past it; Invalid when not gzip).
Result<std::string> Gunzip(std::string_view body, size_t max_bytes);
// Compresses (for tests, the benchmark's synthetic agents and the reference client).
std::string Gzip(std::string_view text);

// `gzip`: the body is gzip-compressed. Invalid naming the line ("line 3: …"), TooLarge past a limit.
Result<std::vector<boost::json::object>> DecodeBatch(std::string_view body, bool gzip, const BatchLimits& limits);

// One event's checks (DecodeBatch's per-line part; also the rule test's sample events).
Result<boost::json::object> CheckEvent(boost::json::object event, const BatchLimits& limits);

}  // namespace rampart::ingest
