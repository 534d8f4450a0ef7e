#pragma once
// The HTTP application: a middleware chain per surface (chain.hpp), built once at start, and the
// dispatch of each request to the chain of its path:
//   /v4.0/…         ThreatSTOP:   route → Bearer → authorize → body gate → handler
//   /v2/…, /help/…  Threat Stack: IP rate limit → route → Hawk (+ org rate limit) → authorize →
//                                 body gate → [body read] → Hawk payload → handler →
//                                 Server-Authorization, x-rate-limit-*
//   /ingest/…       agents:       IP rate limit → route → deploy key or agent Hawk (+ agent and
//                                 organization limits) → body gate → [body read] → Hawk payload →
//                                 handler → Server-Authorization (api/ingest.hpp)
//   anything else   operational:  route → body gate → handler (/healthz, /readyz, /metrics,
//                                 /openapi.json)
// Adding a surface is adding a chain here. I/O threads run the chains; stages that may block
// continue on the blocking pool.
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <memory>
#include <string>

#include "api/call.hpp"
#include "api/chain.hpp"
#include "api/client_ip.hpp"
#include "api/ingest.hpp"
#include "api/middleware.hpp"
#include "api/policies_handlers.hpp"
#include "api/v2.hpp"
#include "identity/api_keys.hpp"
#include "base/clock.hpp"
#include "http/metrics.hpp"
#include "http/types.hpp"
#include "userlists/service.hpp"

namespace rampart::api {

struct ApiConfig {
  std::string public_base_url = {};  // e.g. https://rampart.example.com; empty: from the Host header
  V2Config v2 = {};
  TrustedProxies trusted_proxies = {};  // whose X-Forwarded-For is believed (rate limits)
  uint64_t max_body_bytes = 16 * 1024 * 1024;
  uint64_t large_body_bytes = 1024 * 1024;  // bodies past this need one of `max_large_bodies` slots
  int max_large_bodies = 4;
};

struct ApiDeps {
  userlists::UserListService& lists;
  identity::ApiKeyService& auth;
  boost::asio::thread_pool& pool;       // writes and other waits
  boost::asio::thread_pool& read_pool;  // reads only (Runs::kReads)
  http::Metrics& metrics;
  std::shared_ptr<spdlog::logger> access_log;  // null: no access log
  std::shared_ptr<spdlog::logger> error_log;
  std::function<bool()> ready;
  FakeClock* test_clock = nullptr;  // non-null only in builds and runs with test hooks enabled
  V2Deps* v2 = nullptr;             // null: the Threat Stack surface is not served
  EnforcementDeps* enforcement = nullptr;  // null: no /v4.0/policies and /v4.0/devices
  IngestDeps* ingest = nullptr;            // null: no /ingest/v1 and no v2 agent management
  alerting::WebhookService* webhooks = nullptr;  // null: no /v2/webhooks
};

// A protocol error the HTTP server produced itself (408, 413, 431, 400, 503): in the error shape of
// the path's API once the request-target is known, else a short text/plain body.
http::Response RenderServerError(const Error& e, std::optional<std::string_view> target);

class Api {
 public:
  Api(ApiConfig cfg, ApiDeps deps);
  // Phase 1 of the path's chain, on the head alone (no body byte read yet). A refused request
  // gets its answer here; an admitted one continues in `handle` once its body is read.
  boost::asio::awaitable<http::Admission> Admit(const http::Request& head, const http::ConnectionInfo& conn);
  // The same for the ingest-only listener: every path goes through the ingest surface's chain, so
  // anything but /ingest/v1 is a 404 in its error shape (and the other surfaces are not reachable).
  boost::asio::awaitable<http::Admission> AdmitIngestOnly(const http::Request& head, const http::ConnectionInfo& conn);

 private:
  struct Surface {
    bool (*claims)(const std::vector<std::string_view>& segments);  // null: every path (the last one)
    std::unique_ptr<Chain> chain;
  };
  ChainDeps MakeChainDeps() const;
  std::vector<std::unique_ptr<Middleware>> Tail(std::unique_ptr<Middleware> authenticate, Error denied);
  void AddOperationalRoutes(http::Router<Route>& r);
  void Record(const http::Router<Route>& routes);  // into route_table_, /_test/ hooks left out
  std::shared_ptr<Exchange> NewExchange(const http::Request& head, const http::ConnectionInfo& conn) const;

  ApiConfig cfg_;
  ApiDeps deps_;
  LargeBodySlots large_bodies_;
  std::vector<Surface> surfaces_;
  size_t ingest_surface_ = 0;  // its index in surfaces_ (with deps_.ingest)
  std::vector<std::pair<http::Verb, std::string>> route_table_;  // every surface's (method, template)
};

}  // namespace rampart::api
