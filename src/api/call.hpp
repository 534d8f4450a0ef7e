#pragma once
// What a handler sees (Call) and returns (Reply). Handlers are plain functions
// `Result<Reply> (Call&)`: no sockets, no Beast types beyond the parsed request.
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/bearer.hpp"
#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::api {

struct Call {
  const http::Request& req;
  std::vector<std::string_view> params;  // route parameters, in template order
  std::optional<auth::Principal> principal;
  std::string base_url;  // scheme://host[:port] for _links
};

struct Reply {
  http::Status status = http::Status::ok;
  boost::json::value body;
  std::string content_type = "application/json";
  std::string text;  // when non-empty, sent as-is instead of `body` (pre-serialized JSON, or text)
  std::string payload_hash;  // v2: Hawk payload hash of `text` when already known (else computed)
  std::shared_ptr<const std::string> shared_text;  // when set, sent as-is without a copy (memoized pages)
};

using HandlerFn = std::function<Result<Reply>(Call&)>;
// A handler's non-blocking attempt: a reply when it can answer from memory, nullopt when the
// blocking handler must run instead.
using FastFn = std::function<std::optional<Result<Reply>>(Call&)>;

// Which API a route belongs to: decides authentication, error shape and rate limiting.
enum class Surface {
  kThreatstop,  // /v4.0: Bearer tokens, ThreatSTOP error body
  kThreatstack, // /v2, /help: Hawk, {"errors":[…]}, rate limits, Server-Authorization
};

struct Route {
  std::string name;        // stable label for logs and metrics
  bool auth = true;        // requires credentials (Bearer or Hawk, by surface)
  bool write = false;      // requires userlists:write
  bool blocking = false;   // runs on the blocking pool (it calls the store or parses big bodies)
  HandlerFn fn;
  Surface surface = Surface::kThreatstop;
  FastFn fast;  // optional: tried on the I/O thread before a blocking `fn`
};

}  // namespace rampart::api
