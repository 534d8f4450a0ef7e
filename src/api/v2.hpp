#pragma once
// The Threat Stack v2 surface: Hawk authentication against the identity store (the Hawk id is
// the user id, `ext` names the organization), per-IP and per-organization rate limits with their
// headers on every response, `{"errors":[…]}` error bodies, and Server-Authorization on 2xx.
#include <optional>
#include <string>

#include "api/call.hpp"
#include "auth/hawk.hpp"
#include "auth/nonce_store.hpp"
#include "base/clock.hpp"
#include "http/router.hpp"
#include "http/types.hpp"
#include "identity/identity.hpp"
#include "ratelimit/limiter.hpp"
#include "store/store.hpp"
#include "telemetry/service.hpp"

namespace rampart::api {

struct V2Config {
  int64_t skew_ms = 60000;
  std::string external_host;  // non-empty: sign with this host instead of the Host header's
  std::string external_port;  // non-empty: sign with this port (TLS-terminating proxy: "443")
};

struct V2Deps {
  identity::IdentityService& identity;
  auth::NonceStore& nonces;
  ratelimit::Limiter& ip_limit;
  ratelimit::Limiter& org_limit;
  const Clock& clock;
  telemetry::TelemetryService& telemetry;
};

// A v2 request's authentication: the principal and what the response signature needs, or the
// reference's rejection (status, message, WWW-Authenticate).
struct HawkAuth {
  std::optional<identity::Principal> principal;
  std::optional<auth::hawk::Verified> verified;
  auth::hawk::Failure failure;
  // A nonce the store could not decide without waiting: the caller awaits it before admitting.
  std::optional<auth::NonceEntry> pending_nonce = {};
};

// `write`: the route changes data, so readers get 403. With `may_block` the identity store may be
// read (blocking pool only); without it only cached users are known (I/O thread).
// `parsed` is ParseAuthorization() of the request's Authorization header, done once by the caller.
HawkAuth AuthenticateHawk(const http::Request& req, const auth::hawk::Attributes& parsed,
                          const http::ConnectionInfo& conn, bool write, const V2Config& cfg, V2Deps& deps,
                          bool may_block = true);

http::Response RenderThreatstackError(int status, const std::string& message, const std::string& www_authenticate,
                                      unsigned version);
void SetRateLimitHeaders(http::Response& res, const ratelimit::Decision& d);
// `known_hash`: the body's payload hash if already computed (for application/json), else empty.
void SignResponse(http::Response& res, const auth::hawk::Verified& v, const std::string& known_hash = "");

// Every v2 route. `deps` must outlive the router.
void AddV2Routes(http::Router<Route>& router, V2Deps& deps);
// Alert dismissal, vulnerabilities, rulesets/rules/tags, members/invites, audit logs (v2_routes.cpp).
void AddV2WriteRoutes(http::Router<Route>& router, V2Deps& deps);

// True for paths of the v2 surface (/v2/…, /help/…), so unknown ones get its error shape.
bool IsV2Path(const std::vector<std::string_view>& segments);

}  // namespace rampart::api
