#pragma once
// The HTTP application: one route table for everything rampart serves, and the fixed pipeline
// every request goes through: request id -> route -> auth -> handler -> error rendering ->
// access log + metrics. I/O threads run it; anything that may block hops to the blocking pool.
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "api/call.hpp"
#include "api/client_ip.hpp"
#include "api/v2.hpp"
#include "api/policies_handlers.hpp"
#include "auth/bearer.hpp"
#include "base/clock.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/types.hpp"
#include "userlists/service.hpp"

namespace spdlog {
class logger;
}

namespace rampart::api {

struct ApiConfig {
  std::string public_base_url;  // e.g. https://rampart.example.com; empty: from the Host header
  V2Config v2;
  TrustedProxies trusted_proxies;  // whose X-Forwarded-For is believed (rate limits)
};

struct ApiDeps {
  userlists::UserListService& lists;
  auth::TokenAuthenticator& auth;
  boost::asio::thread_pool& pool;
  http::Metrics& metrics;
  std::shared_ptr<spdlog::logger> access_log;  // null: no access log
  std::shared_ptr<spdlog::logger> error_log;
  std::function<bool()> ready;
  FakeClock* test_clock = nullptr;  // non-null only in builds and runs with test hooks enabled
  V2Deps* v2 = nullptr;             // null: the Threat Stack surface is not served
  EnforcementDeps* enforcement = nullptr;  // null: no /v4.0/policies and /v4.0/devices
};

// A protocol error the HTTP server produced itself (408, 413, 431, 400, 503): in the error shape of
// the path's API once the request-target is known, else a short text/plain body.
http::Response RenderServerError(const Error& e, std::optional<std::string_view> target);

class Api {
 public:
  Api(ApiConfig cfg, ApiDeps deps);
  // Phase 1, on the head alone (no body byte read yet): request id, the per-IP rate limit, route,
  // method, authentication (Bearer, or Hawk without its payload hash) and authorization. A refused
  // request gets its answer here; an admitted one continues in `handle` once its body is read.
  boost::asio::awaitable<http::Admission> Admit(const http::Request& head, const http::ConnectionInfo& conn);

 private:
  struct Outcome {
    Result<Reply> reply;
    std::string_view route = "unmatched";  // a Route's name: owned by the router, never freed
    std::string account_id;
    std::vector<http::Verb> allowed;
    // Threat Stack surface only:
    bool v2 = false;
    std::optional<auth::hawk::Failure> hawk_failure;
    std::optional<auth::hawk::Verified> verified;
    std::optional<ratelimit::Decision> rate;
    bool rate_limited = false;
  };
  // What phase 1 learned about a request, carried to phase 2.
  struct Pending {
    std::chrono::steady_clock::time_point t0;
    std::string request_id;
    Outcome out{Error::Internal("no outcome")};
    const Route* route = nullptr;     // owned by router_
    std::vector<std::string> params;  // route parameters, copied out of the head
    std::optional<auth::Principal> principal;
    http::ConnectionInfo conn;
  };
  http::Response RenderOutcome(Outcome& out, const http::Request& req, const std::string& request_id) const;
  boost::asio::awaitable<bool> AuthenticateV2(const http::Request& req, const Route& route, Pending& p);
  // False when `p.out` already holds the answer.
  boost::asio::awaitable<bool> AdmitHead(const http::Request& head, Pending& p);
  boost::asio::awaitable<void> RunHandler(const http::Request& req, Pending& p);
  boost::asio::awaitable<http::Response> Finish(std::shared_ptr<Pending> p, http::Request req);
  http::Response Complete(Pending& p, const http::Request& req);  // render, metrics, access log
  void Failed(Pending& p, const std::exception& e) const;         // an exception escaped a phase
  boost::asio::awaitable<Result<auth::Principal>> Authenticate(const http::Request& req);
  Error MethodMismatch(const http::Request& req, const std::vector<std::string_view>& segs) const;
  std::string BaseUrl(const http::Request& req, const http::ConnectionInfo& conn) const;
  void AddOperationalRoutes();
  void Log(const http::Request& req, const http::Response& res, const Outcome& out,
           const std::string& request_id, const http::ConnectionInfo& conn, double seconds) const;

  ApiConfig cfg_;
  ApiDeps deps_;
  http::Router<Route> router_;
};

}  // namespace rampart::api
