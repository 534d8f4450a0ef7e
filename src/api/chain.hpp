#pragma once
// A surface's middleware chain (Envoy's filter chains): the stages every request of one API goes
// through, in order, built once at start. A request meets the chain twice:
//   phase 1, on the head alone (no body byte read): every stage's OnHead, in order, until one
//     answers; an admitted request's body is read only after the last one;
//   phase 2, on the whole request: every stage's OnRequest (the payload check, the handler);
// and its answer, from either phase, goes back through every stage's OnResponse in reverse order
// (rate-limit headers, Server-Authorization), then to the access log and metrics.
// Stages are shared by all requests and keep no per-request state: that lives in the Exchange.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/call.hpp"
#include "auth/hawk.hpp"
#include "auth/nonce_store.hpp"
#include "http/metrics.hpp"
#include "http/types.hpp"
#include "ratelimit/keyed_limiter.hpp"

namespace spdlog {
class logger;
}

namespace rampart::api {

// One request on its way through a chain.
struct Exchange {
  std::chrono::steady_clock::time_point t0;
  std::string request_id;
  http::ConnectionInfo conn;
  std::vector<std::string_view> segments;  // the target's path segments: views into the head, phase 1 only
  const Route* route = nullptr;            // owned by the chain's router
  std::string_view route_name = "unmatched";
  std::vector<std::string> params;    // route parameters, copied out of the head
  // Headers a stage adds to the answer, error or not (Allow, Retry-After, WWW-Authenticate).
  std::vector<std::pair<http::beast_http::field, std::string>> headers;
  std::optional<identity::Principal> principal;
  Result<Reply> reply{Error::Internal("no outcome")};  // the answer, once a stage gives one
  // Set by the Threat Stack stages:
  std::optional<ratelimit::Decision> rate;
  std::optional<auth::hawk::Verified> verified;  // the request's Hawk artifacts, for the response signature
  std::optional<auth::NonceEntry> pending_nonce;  // a nonce a shared store must still accept
  bool org_limit_pending = false;                 // the organization's limit must still be asked
  std::string payload_hash;  // the reply body's Hawk payload hash when the handler knew it
  std::shared_ptr<void> held;  // a resource held until the exchange ends (a large-body slot)
};

// What a stage tells the chain: go on, stop (ex.reply holds the answer), go on in the stage's
// *Blocking method on the blocking pool (it needs the store) or on the read pool (it only reads;
// see Runs in call.hpp), or go on in its OnHeadAsync coroutine on the I/O thread (it waits for
// shared state: a limiter or nonce store elsewhere).
enum class Step { kNext, kAnswer, kOffload, kOffloadRead, kAwait };

class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual Step OnHead(const http::Request&, Exchange&) const { return Step::kNext; }
  virtual Step OnHeadBlocking(const http::Request&, Exchange&) const { return Step::kNext; }
  // A stage that returns kAwait overrides this; one that does not fails closed (500, logged).
  virtual boost::asio::awaitable<Step> OnHeadAsync(const http::Request&, Exchange& ex) const {
    ex.reply = Error::Internal("a stage awaited without an OnHeadAsync");
    co_return Step::kAnswer;
  }
  virtual Step OnRequest(const http::Request&, Exchange&) const { return Step::kNext; }
  virtual Step OnRequestBlocking(const http::Request&, Exchange&) const { return Step::kNext; }
  virtual void OnResponse(http::Response&, const Exchange&) const {}
};

// Renders an error in the surface's shape.
using ErrorRenderer = http::Response (*)(const Error& e, unsigned http_version);

struct ChainDeps {
  boost::asio::thread_pool& pool;       // writes and other waits
  boost::asio::thread_pool& read_pool;  // reads: a thread per core (Runs::kReads)
  http::Metrics& metrics;
  std::shared_ptr<spdlog::logger> access_log;  // null: no access log
  std::shared_ptr<spdlog::logger> error_log;
};

class Chain {
 public:
  Chain(std::vector<std::unique_ptr<Middleware>> stages, ErrorRenderer render_error, ChainDeps deps);

  // Phase 1 for `ex` (request id, connection and segments filled in); the admission's `handle`
  // runs phase 2. The chain must outlive both.
  boost::asio::awaitable<http::Admission> Admit(const http::Request& head, std::shared_ptr<Exchange> ex) const;

 private:
  boost::asio::awaitable<http::Response> Finish(std::shared_ptr<Exchange> ex, http::Request req) const;
  http::Response Complete(Exchange& ex, const http::Request& req) const;  // render, decorate, log
  http::Response Render(Exchange& ex, unsigned version) const;
  void Failed(Exchange& ex, const std::exception& e) const;  // an exception escaped a phase
  boost::asio::thread_pool& PoolFor(Step offload) const;
  void Log(const http::Request& req, const http::Response& res, const Exchange& ex, double seconds) const;

  std::vector<std::unique_ptr<Middleware>> stages_;
  ErrorRenderer render_error_;
  ChainDeps deps_;
};

}  // namespace rampart::api
