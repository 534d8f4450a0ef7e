#pragma once
// What a handler sees (Call) and returns (Reply). Handlers are plain functions
// `Result<Reply> (Call&)`: no sockets, no Beast types beyond the parsed request.
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/bearer.hpp"
#include "identity/principal.hpp"
#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::api {

struct Call {
  const http::Request& req;
  std::vector<std::string_view> params;  // route parameters, in template order
  const identity::Principal* principal = nullptr;  // the exchange's, when authenticated (outlives the call)
  std::string base_url;  // scheme://host[:port] for _links
};

struct Reply {
  http::Status status = http::Status::ok;
  boost::json::value body = nullptr;
  std::string content_type = "application/json";
  std::string text = {};  // when non-empty, sent as-is instead of `body` (pre-serialized JSON, or text)
  std::string payload_hash = {};  // v2: Hawk payload hash of `text` when already known (else computed)
  std::shared_ptr<const std::string> shared_text = {};  // when set, sent as-is without a copy (memoized pages)
  // Extra response headers (Location, Cache-Control, Set-Cookie, Retry-After…), set over the
  // rendered ones (a handler's Content-Type wins); the chain's stages decorate after them.
  std::vector<std::pair<http::beast_http::field, std::string>> headers = {};
};

using HandlerFn = std::function<Result<Reply>(Call&)>;
// A handler's non-blocking attempt: a reply when it can answer from memory, nullopt when the
// blocking handler must run instead.
using FastFn = std::function<std::optional<Result<Reply>>(Call&)>;

// Who may call a route: anyone, a principal that may read the route's service, or one that may
// change it.
enum class Access { kPublic, kRead, kWrite };
// Where its handler runs: on the I/O thread; on the blocking pool (it writes to the store, waiting
// for its group's commit, or parses big bodies); or on the read pool (it only reads: the store or
// memory). The read pool has a thread per core, at most one per store reader, and takes work in
// order: reads, CPU-bound, do not outnumber the cores, seldom find every reader connection taken
// (only reads still on the blocking pool share them) and never queue behind writes waiting on
// fsync. A kReads handler that writes still works, holding a read thread while it waits.
enum class Runs { kInline, kBlocking, kReads };

// A route of a surface's router. Built with designated initializers:
//   Route{.name = "lists.get", .access = Access::kRead, .fn = …}
struct Route {
  std::string name = {};  // stable label for logs and metrics
  Access access = Access::kRead;
  auth::Service service = auth::Service::kUserlists;  // v4.0: which permission of a key it needs
  Runs runs = Runs::kInline;
  uint64_t max_body_bytes = 0;  // 0: the server's max_body_bytes; otherwise the smaller of both
  HandlerFn fn = nullptr;
  FastFn fast = nullptr;  // optional: tried on the I/O thread before a `kBlocking` fn
};

}  // namespace rampart::api
