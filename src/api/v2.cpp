#include "api/v2.hpp"

#include <boost/json.hpp>

#include "api/query.hpp"
#include "telemetry/alerts.hpp"

namespace rampart::api {
namespace json = boost::json;
using http::beast_http::field;
namespace hawk = auth::hawk;

namespace {

using SnapshotHandler = std::function<Result<Reply>(Call&, const telemetry::AgentSnapshot&)>;
SnapshotHandler HandlerOn(SnapshotHandler f) { return f; }

HawkAuth Fail(int status, std::string message, std::string www = "") {
  return {std::nullopt, std::nullopt, {status, std::move(message), std::move(www)}};
}

}  // namespace

bool IsV2Path(const std::vector<std::string_view>& segs) {
  return !segs.empty() && (segs[0] == "v2" || segs[0] == "help");
}

HawkAuth AuthenticateHawk(const http::Request& req, const hawk::Attributes& parsed,
                          const http::ConnectionInfo& conn, bool write, const V2Config& cfg, V2Deps& deps,
                          bool may_block) {
  hawk::HostPort hp;
  if (cfg.external_host.empty() || cfg.external_port.empty()) {
    auto resolved = hawk::ResolveHost(req[field::host], conn.tls);
    if (!resolved) return {std::nullopt, std::nullopt, resolved.failure};
    hp = *resolved;
  }
  if (!cfg.external_host.empty()) hp.host = cfg.external_host;
  if (!cfg.external_port.empty()) hp.port = cfg.external_port;
  const int64_t now = UnixMillis(deps.clock.Now());
  hawk::RequestView view{http::beast_http::to_string(req.method()), req.target(), req[field::authorization],
                         req[field::content_type], std::nullopt, hp};  // on the head: the payload is checked
                                                                       // once the body is read (VerifyPayload)
  // A user may hold two valid keys during a rotation's grace period: try each.
  std::vector<hawk::Credentials> keys = deps.identity.CredentialsFor(parsed.id, may_block);
  // Nonces count against the organization the request names (ext, covered by the MAC checked
  // before this runs), and only when the user is a member of it: otherwise a user could spend
  // another organization's share by naming it. (A non-member is refused right after: 403.)
  const std::string org_of_request = parsed.ext.value_or("");
  std::optional<auth::NonceEntry> pending;
  bool full = false;
  hawk::NonceCheck nonces = [&](std::string_view id, std::string_view nonce, std::string_view ts, int64_t until) {
    if (!deps.identity.RoleIn(std::string(id), org_of_request, may_block)) return true;
    std::optional<auth::NonceVerdict> v = deps.nonces.TryInsert(org_of_request, id, nonce, ts, until, now);
    if (!v) {  // a shared store: decided after the MAC and the clock, by the caller (HawkStage)
      pending = auth::NonceEntry{org_of_request, std::string(id), std::string(nonce), std::string(ts), until, now};
      return true;
    }
    // Full: the rest is still checked, so a stale request gets the server's time (a client
    // corrects its clock with it); one that passes everything is refused below, 429.
    full = *v == auth::NonceVerdict::kFull;
    return *v != auth::NonceVerdict::kReplay;
  };
  hawk::Outcome<hawk::Verified> v = hawk::Outcome<hawk::Verified>::Fail({401, "Unknown credentials",
                                                                          "Hawk error=\"Unknown credentials\""});
  for (const auto& k : keys) {
    v = hawk::Verify(view, parsed, [&k](std::string_view) { return std::optional(k); }, {cfg.skew_ms}, now, nonces);
    if (v || v.failure.message != "Bad mac") break;
  }
  if (!v) return {std::nullopt, std::nullopt, v.failure};
  if (full) return Fail(429, "Too Many Requests");  // the nonce cache is full (nonce_store.hpp)
  const std::string org = v->artifacts.ext.value_or("");
  if (org.empty()) return Fail(403, "the Hawk ext attribute must carry the organization id");
  auto role = deps.identity.RoleIn(v->credentials.id, org, may_block);
  if (!role) return Fail(403, "not a member of organization " + org.substr(0, 64));
  if (write && *role == identity::Role::kReader) return Fail(403, "readers cannot make changes");
  deps.identity.NoteAuthenticated(v->credentials.id, now);
  const auth::Level level = *role == identity::Role::kReader ? auth::Level::kRead : auth::Level::kWrite;
  return {identity::Principal{identity::Principal::Kind::kUser, org, v->credentials.id, {level, level}}, *v, {},
          std::move(pending)};
}

http::Response RenderThreatstackError(int status, const std::string& message, const std::string& www,
                                      unsigned version) {
  http::Response res{static_cast<http::Status>(status), version};
  res.set(field::content_type, "application/json");
  if (!www.empty()) res.set(field::www_authenticate, www);
  res.body() = json::serialize(json::object{{"errors", json::array{json::value(message)}}});
  return res;
}

void SetRateLimitHeaders(http::Response& res, const ratelimit::Decision& d) {
  res.set("x-rate-limit-limit", std::to_string(d.limit));
  res.set("x-rate-limit-remaining", std::to_string(d.remaining));
  res.set("x-rate-limit-reset", std::to_string(d.reset_ms));
}

void SignResponse(http::Response& res, const hawk::Verified& v, const std::string& known_hash) {
  std::string ct(res[field::content_type]);
  const bool reuse = !known_hash.empty() && v.alg == crypto::HashAlg::kSha256 && ct == "application/json";
  res.set("Server-Authorization",
          hawk::ServerAuthorization(v, reuse ? known_hash : hawk::PayloadHash(v.alg, ct, res.body().view()), std::nullopt));
}

namespace {

void AddAlertRoutes(http::Router<Route>& r, V2Deps& deps) {
  r.Add(http::Verb::get, "/v2/alerts",
        {.name = "v2.alerts.list", .access = Access::kRead, .runs = Runs::kReads,
         .fn = [&deps](Call& c) -> Result<Reply> {
           telemetry::AlertParams p{QueryParam(c.req, "status"), QueryParam(c.req, "severity"),
                                    QueryParam(c.req, "ruleId"),  QueryParam(c.req, "agentId"),
                                    QueryParam(c.req, "from"),    QueryParam(c.req, "until"),
                                    QueryParam(c.req, "token")};
           RAMPART_TRY(body, deps.telemetry.Alerts(c.principal->org_id, p));
           return Reply{http::Status::ok, nullptr, "application/json", std::move(body)};
         }});
  // Before /v2/alerts/{id}: the first matching template wins.
  r.Add(http::Verb::get, "/v2/alerts/severity-counts",
        {.name = "v2.alerts.severity_counts", .access = Access::kRead, .runs = Runs::kReads,
         .fn = [&deps](Call& c) -> Result<Reply> {
           RAMPART_TRY(body, deps.telemetry.SeverityCounts(c.principal->org_id, QueryParam(c.req, "from"),
                                                             QueryParam(c.req, "until")));
           return Reply{http::Status::ok, nullptr, "application/json", std::move(body)};
         }});
  r.Add(http::Verb::get, "/v2/alerts/{id}",
        {.name = "v2.alerts.get", .access = Access::kRead, .runs = Runs::kReads,
         .fn = [&deps](Call& c) -> Result<Reply> {
           RAMPART_TRY(alert, deps.telemetry.Alert(c.principal->org_id, std::string(c.params[0])));
           return Reply{http::Status::ok, nullptr, "application/json", std::move(alert)};
         }});
  r.Add(http::Verb::get, "/v2/alerts/{id}/events",
        {.name = "v2.alerts.events", .access = Access::kRead, .runs = Runs::kReads,
         .fn = [&deps](Call& c) -> Result<Reply> {
           RAMPART_TRY(body, deps.telemetry.AlertEvents(c.principal->org_id, std::string(c.params[0])));
           return Reply{http::Status::ok, nullptr, "application/json", std::move(body)};
         }});
}

}  // namespace

void AddV2Routes(http::Router<Route>& r, V2Deps& deps) {
  AddV2WriteRoutes(r, deps);  // first: /v2/alerts/dismiss and friends before /v2/alerts/{id}
  AddAlertRoutes(r, deps);
  // Agents come from the organization's in-memory snapshot; only loading it blocks.
  auto list = [&deps](Call& c, const telemetry::AgentSnapshot& snap) -> Result<Reply> {
    RAMPART_TRY(page, deps.telemetry.agents().ListBody(snap, QueryParam(c.req, "status"), QueryParam(c.req, "token")));
    return Reply{http::Status::ok, nullptr, "application/json", {}, std::move(page.payload_hash), std::move(page.body)};
  };
  auto get = [](Call& c, const telemetry::AgentSnapshot& snap) -> Result<Reply> {
    const store::AgentRecord* agent = snap.Find(std::string(c.params[0]));
    if (!agent) return Error::NotFound("Agent not found");
    return Reply{http::Status::ok, nullptr, "application/json", agent->doc};
  };
  for (auto [path, name, fn] : {std::tuple{"/v2/agents", "v2.agents.list", HandlerOn(list)},
                                std::tuple{"/v2/agents/{id}", "v2.agents.get", HandlerOn(get)}}) {
    Route route{.name = name, .access = Access::kRead, .runs = Runs::kReads,
                .fn = [&deps, fn](Call& c) -> Result<Reply> {
                  RAMPART_TRY(snap, deps.telemetry.agents().Load(c.principal->org_id));
                  return fn(c, *snap);
                }};
    route.fast = [&deps, fn](Call& c) -> std::optional<Result<Reply>> {
      auto snap = deps.telemetry.agents().Cached(c.principal->org_id);
      if (!snap) return std::nullopt;
      return fn(c, *snap);
    };
    r.Add(http::Verb::get, path, std::move(route));
  }
  r.Add(http::Verb::get, "/help/hawk/self-test",
        {.name = "v2.hawk_self_test", .access = Access::kRead,
         .fn = [](Call&) -> Result<Reply> {
           return Reply{http::Status::ok, json::object{{"authenticated", true}}, "application/json", {}};
         }});
}

}  // namespace rampart::api
