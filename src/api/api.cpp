#include "api/api.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <chrono>

#include "api/errors.hpp"
#include "api/openapi.hpp"
#include "http/status.hpp"
#include "api/threatstack_stages.hpp"
#include "api/threatstop_stages.hpp"
#include "api/userlists_handlers.hpp"
#include "base/recycling_allocator.hpp"
#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "userlists/values.hpp"

namespace rampart::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

bool IsV4Path(const std::vector<std::string_view>& segs) { return !segs.empty() && segs[0] == "v4.0"; }

Error NoSuchService(const http::Request& head) {
  return {Errc::kNotFound, Reason::kNoRoute, "no such service: " + QuoteForDetail(head.target().substr(0, 200))};
}

Error V2NotFound(const http::Request&) { return {Errc::kNotFound, Reason::kNone, "Not Found"}; }

std::string RequestId(const http::Request& req) {
  std::string_view given = req["X-Request-Id"];
  if (IsSafeToken(given, 64)) return std::string(given);
  // Unique, not secret: a random per-process prefix and a counter (no CSPRNG call per request).
  // 14 characters: fits std::string's small buffer, so no allocation either.
  static const std::string prefix = [] {
    std::array<uint8_t, 3> b{};
    crypto::RandomBytes(b);
    return crypto::HexEncode(b);
  }();
  static std::atomic<uint64_t> counter{0};
  // Written by hand: snprintf was 1 % of a heartbeat's CPU.
  std::string id = prefix;
  const uint32_t n = static_cast<uint32_t>(counter.fetch_add(1));
  for (int shift = 28; shift >= 0; shift -= 4) id.push_back("0123456789abcdef"[(n >> shift) & 0xfu]);
  return id;
}

}  // namespace

http::Response RenderServerError(const Error& e, std::optional<std::string_view> target) {
  const auto status = http::StatusFor(e);
  if (!target) {
    http::Response res{status, 11};
    res.set(http::beast_http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::to_string(static_cast<int>(status)) + " " + e.detail + "\n";
    return res;
  }
  const auto segments = http::PathSegments(*target);
  if (IsV2Path(segments) || IsIngestPath(segments)) return RenderThreatstackErrorFor(e, 11);
  return RenderThreatstopError(e);
}

Api::Api(ApiConfig cfg, ApiDeps deps)
    : cfg_(std::move(cfg)), deps_(std::move(deps)), large_bodies_(cfg_.max_large_bodies) {
  while (!cfg_.public_base_url.empty() && cfg_.public_base_url.back() == '/') cfg_.public_base_url.pop_back();
  if (deps_.v2) {
    http::Router<Route> routes;
    AddV2Routes(routes, *deps_.v2);
    if (deps_.ingest) AddAgentAdminRoutes(routes, *deps_.v2, *deps_.ingest);
    if (deps_.webhooks) AddWebhookRoutes(routes, *deps_.v2, *deps_.webhooks);
    Record(routes);
    std::vector<std::unique_ptr<Middleware>> stages;
    stages.push_back(std::make_unique<IpRateLimitStage>(deps_.v2->ip_limit, cfg_.trusted_proxies));
    stages.push_back(std::make_unique<RouteStage>(std::move(routes), V2NotFound, ThreatstopMethodMismatch));
    for (auto& s : Tail(std::make_unique<HawkStage>(cfg_.v2, *deps_.v2),
                        Error{Errc::kForbidden, Reason::kNone, "readers cannot make changes"})) {
      stages.push_back(std::move(s));
    }
    surfaces_.push_back({IsV2Path, std::make_unique<Chain>(std::move(stages), RenderThreatstackErrorFor, MakeChainDeps())});
  }
  if (deps_.ingest) {
    http::Router<Route> routes;
    AddIngestRoutes(routes, *deps_.ingest);
    Record(routes);
    std::vector<std::unique_ptr<Middleware>> stages;
    stages.push_back(std::make_unique<IpRateLimitStage>(deps_.ingest->ip_limit, cfg_.trusted_proxies));
    stages.push_back(std::make_unique<RouteStage>(std::move(routes), V2NotFound, ThreatstopMethodMismatch));
    stages.push_back(std::make_unique<IngestAuthStage>(*deps_.ingest));
    stages.push_back(std::make_unique<BodyGate>(BodyRules{cfg_.max_body_bytes, cfg_.large_body_bytes, &large_bodies_}));
    stages.push_back(std::make_unique<HandlerStage>(cfg_.public_base_url, deps_.metrics));
    ingest_surface_ = surfaces_.size();
    surfaces_.push_back({IsIngestPath, std::make_unique<Chain>(std::move(stages), RenderThreatstackErrorFor, MakeChainDeps())});
  }
  {
    http::Router<Route> routes;
    AddUserListRoutes(routes, deps_.lists);
    if (deps_.enforcement) AddPolicyRoutes(routes, *deps_.enforcement);
    Record(routes);
    std::vector<std::unique_ptr<Middleware>> stages;
    stages.push_back(std::make_unique<RouteStage>(std::move(routes), NoSuchService, ThreatstopMethodMismatch));
    for (auto& s : Tail(std::make_unique<BearerAuthStage>(deps_.auth, deps_.lists, cfg_.trusted_proxies),
                        Error{Errc::kForbidden, Reason::kNone, "this token is read-only"})) {
      stages.push_back(std::move(s));
    }
    surfaces_.push_back({IsV4Path, std::make_unique<Chain>(std::move(stages), RenderThreatstopError, MakeChainDeps())});
  }
  http::Router<Route> routes;
  AddOperationalRoutes(routes);
  Record(routes);
  std::vector<std::unique_ptr<Middleware>> stages;
  stages.push_back(std::make_unique<RouteStage>(std::move(routes), NoSuchService, ThreatstopMethodMismatch));
  for (auto& s : Tail(nullptr, Error{Errc::kForbidden, Reason::kNone, "forbidden"})) stages.push_back(std::move(s));
  surfaces_.push_back({nullptr, std::make_unique<Chain>(std::move(stages), RenderThreatstopError, MakeChainDeps())});
}

// What follows the route in every chain: authenticate (when the surface has credentials),
// authorize, the body gate, the handler.
std::vector<std::unique_ptr<Middleware>> Api::Tail(std::unique_ptr<Middleware> authenticate, Error denied) {
  std::vector<std::unique_ptr<Middleware>> out;
  if (authenticate) out.push_back(std::move(authenticate));
  out.push_back(std::make_unique<AuthorizeStage>(std::move(denied)));
  out.push_back(std::make_unique<BodyGate>(BodyRules{cfg_.max_body_bytes, cfg_.large_body_bytes, &large_bodies_}));
  out.push_back(std::make_unique<HandlerStage>(cfg_.public_base_url, deps_.metrics));
  return out;
}

void Api::Record(const http::Router<Route>& routes) {
  routes.ForEach([this](http::Verb method, std::string_view pattern) {
    if (!pattern.starts_with("/_test/")) route_table_.emplace_back(method, std::string(pattern));
  });
}

ChainDeps Api::MakeChainDeps() const { return {deps_.pool, deps_.read_pool, deps_.metrics, deps_.access_log, deps_.error_log}; }

std::shared_ptr<Exchange> Api::NewExchange(const http::Request& head, const http::ConnectionInfo& conn) const {
  // Recycled: an Exchange is past glibc's small-request size (base/recycling_allocator.hpp).
  auto ex = std::allocate_shared<Exchange>(RecyclingAllocator<Exchange>());
  ex->t0 = std::chrono::steady_clock::now();
  ex->request_id = RequestId(head);
  ex->conn = conn;
  ex->segments = http::PathSegments(head.target());
  return ex;
}

asio::awaitable<http::Admission> Api::Admit(const http::Request& head, const http::ConnectionInfo& conn) {
  auto ex = NewExchange(head, conn);
  const Surface* surface = &surfaces_.back();
  for (const Surface& s : surfaces_) {
    if (s.claims && s.claims(ex->segments)) {
      surface = &s;
      break;
    }
  }
  return surface->chain->Admit(head, std::move(ex));  // no frame of its own: the chain's coroutine runs it
}

asio::awaitable<http::Admission> Api::AdmitIngestOnly(const http::Request& head, const http::ConnectionInfo& conn) {
  const Surface& surface = deps_.ingest ? surfaces_[ingest_surface_] : surfaces_.back();
  return surface.chain->Admit(head, NewExchange(head, conn));
}

void Api::AddOperationalRoutes(http::Router<Route>& r) {
  r.Add(http::Verb::get, "/healthz", {.name = "healthz", .access = Access::kPublic, .fn = [](Call&) -> Result<Reply> {
          return Reply{.body = json::object{{"status", "ok"}}};
        }});
  r.Add(http::Verb::get, "/readyz", {.name = "readyz", .access = Access::kPublic, .fn = [this](Call&) -> Result<Reply> {
          if (deps_.ready && !deps_.ready()) return Error::Unavailable("not ready");
          return Reply{.body = json::object{{"status", "ready"}}};
        }});
  r.Add(http::Verb::get, "/metrics", {.name = "metrics", .access = Access::kPublic, .fn = [this](Call&) -> Result<Reply> {
          return Reply{.content_type = "text/plain; version=0.0.4", .text = deps_.metrics.Render()};
        }});
  r.Add(http::Verb::get, "/openapi.json", {.name = "openapi", .access = Access::kPublic, .fn = [](Call&) -> Result<Reply> {
          return Reply{.text = std::string(OpenApiDocument())};
        }});
  if (!deps_.test_clock) return;
  // Test hook: the route table, which the OpenAPI test compares with /openapi.json both ways.
  r.Add(http::Verb::get, "/_test/routes", {.name = "test.routes", .access = Access::kPublic, .fn = [this](Call&) -> Result<Reply> {
          json::array out;
          for (const auto& [method, pattern] : route_table_) {
            out.push_back(json::object{{"method", std::string(http::beast_http::to_string(method))}, {"path", pattern}});
          }
          return Reply{.body = std::move(out)};
        }});
  // Test hook: set or advance the injected clock, then run the expiry sweep.
  r.Add(http::Verb::post, "/_test/clock",
        {.name = "test.clock", .access = Access::kPublic, .runs = Runs::kBlocking, .fn = [this](Call& c) -> Result<Reply> {
           RAMPART_TRY(body, ParseJsonBody(c.req));
           const json::object* o = body.if_object();
           const json::value* adv = o ? o->if_contains("advance_seconds") : nullptr;
           if (!adv || !adv->is_int64()) return Error::Invalid("advance_seconds required");
           deps_.test_clock->Advance(std::chrono::seconds(adv->get_int64()));
           RAMPART_TRY(purged, deps_.lists.SweepExpired());
           return Reply{.body = json::object{{"now_ms", UnixMillis(deps_.test_clock->Now())}, {"purged", purged}}};
         }});
}

}  // namespace rampart::api
