// The request path (api.hpp): phase 1 on the head, phase 2 on the whole request, rendering,
// the access log and metrics.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "api/api.hpp"
#include "api/errors.hpp"
#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "http/blocking.hpp"
#include "http/status.hpp"

namespace rampart::api {
namespace asio = boost::asio;
namespace json = boost::json;
namespace code = userlists::code;
using http::beast_http::field;

namespace {

bool SafeToken(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!(IsAsciiAlnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '[' || c == ']')) return false;
  }
  return true;
}

std::string RequestId(const http::Request& req) {
  std::string_view given = req["X-Request-Id"];
  if (SafeToken(given, 64)) return std::string(given);
  // Unique, not secret: a random per-process prefix and a counter (no CSPRNG call per request).
  // 14 characters: fits std::string's small buffer, so no allocation either.
  static const std::string prefix = [] {
    std::array<uint8_t, 3> b{};
    crypto::RandomBytes(b);
    return crypto::HexEncode(b);
  }();
  static std::atomic<uint64_t> counter{0};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%08llx", prefix.c_str(),
                static_cast<unsigned long long>(counter.fetch_add(1) & 0xffffffffu));
  return buf;
}

http::Response Render(Reply& r, unsigned version) {
  http::Response res{r.status, version};
  res.set(field::content_type, r.content_type);
  if (r.status == http::Status::no_content) return res;
  if (r.shared_text) {
    res.body().Share(std::move(r.shared_text));
  } else {
    res.body() = r.text.empty() ? json::serialize(r.body) : std::move(r.text);
  }
  return res;
}

std::string AllowHeader(const std::vector<http::Verb>& verbs) {
  std::string out;
  for (auto v : verbs) {
    if (!out.empty()) out += ", ";
    out += std::string(http::beast_http::to_string(v));
  }
  return out;
}

}  // namespace

http::Response RenderServerError(const Error& e, std::optional<std::string_view> target) {
  const auto status = http::StatusFor(e.code);
  if (!target) {
    http::Response res{status, 11};
    res.set(field::content_type, "text/plain; charset=utf-8");
    res.body() = std::to_string(static_cast<int>(status)) + " " + e.detail + "\n";
    return res;
  }
  if (IsV2Path(http::PathSegments(*target))) {
    return RenderThreatstackError(static_cast<int>(status), e.detail, "", 11);
  }
  return RenderThreatstopError(e);
}

asio::awaitable<http::Admission> Api::Admit(const http::Request& head, const http::ConnectionInfo& conn) {
  auto p = std::make_shared<Pending>();
  p->t0 = std::chrono::steady_clock::now();
  p->request_id = RequestId(head);
  p->conn = conn;
  bool admitted = false;
  try {
    admitted = co_await AdmitHead(head, *p);
  } catch (const std::exception& e) {  // a catch-all of the request path (phase 1)
    Failed(*p, e);
  }
  http::Admission a;
  if (!admitted) {
    a.answer = Complete(*p, head);
    co_return a;
  }
  // A plain function (not a coroutine lambda): the coroutine it starts owns its arguments.
  a.handle = [this, p](http::Request&& req) { return Finish(p, std::move(req)); };
  co_return a;
}

asio::awaitable<http::Response> Api::Finish(std::shared_ptr<Pending> p, http::Request req) {
  try {
    co_await RunHandler(req, *p);
  } catch (const std::exception& e) {  // a catch-all of the request path (phase 2)
    Failed(*p, e);
  }
  co_return Complete(*p, req);
}

void Api::Failed(Pending& p, const std::exception& e) const {
  if (deps_.error_log) deps_.error_log->error("request {} failed: {}", p.request_id, EscapeForLog(e.what()));
  p.out.reply = Error::Internal(e.what());
}

http::Response Api::Complete(Pending& p, const http::Request& req) {
  http::Response res = RenderOutcome(p.out, req, p.request_id);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - p.t0).count();
  deps_.metrics.ObserveRequest(p.out.route, http::beast_http::to_string(req.method()), res.result_int(), secs);
  Log(req, res, p.out, p.request_id, p.conn, secs);
  return res;
}

http::Response Api::RenderOutcome(Outcome& out, const http::Request& req, const std::string& request_id) const {
  http::Response res;
  if (out.rate_limited) {
    res = TooManyRequests(*out.rate, req.version());
  } else if (out.reply) {
    std::string known_hash = std::move(out.reply->payload_hash);
    res = Render(*out.reply, req.version());
    if (out.verified && res.result_int() < 300) SignResponse(res, *out.verified, known_hash);
  } else {
    const Error& e = out.reply.error();
    if (e.code == Errc::kInternal && deps_.error_log) deps_.error_log->error("request {}: {}", request_id, EscapeForLog(e.detail));
    if (!out.v2) {
      res = RenderThreatstopError(e, req.version());
    } else if (out.hawk_failure) {
      res = RenderThreatstackError(out.hawk_failure->status, out.hawk_failure->message,
                                   out.hawk_failure->www_authenticate, req.version());
    } else {
      res = RenderThreatstackError(static_cast<int>(http::StatusFor(e.code)),
                                   e.code == Errc::kInternal ? "internal server error" : e.detail, "", req.version());
    }
    if (!out.allowed.empty()) res.set(field::allow, AllowHeader(out.allowed));
  }
  if (out.v2 && out.rate) SetRateLimitHeaders(res, *out.rate);
  res.set("X-Request-Id", request_id);
  return res;
}

asio::awaitable<bool> Api::AuthenticateV2(const http::Request& req, const Route& route, Pending& p) {
  Outcome& out = p.out;
  const http::ConnectionInfo& conn = p.conn;
  // Known users verify on the I/O thread (cached keys: no store access); others load off-thread.
  // (An if, not a conditional expression: GCC 12 miscompiles co_await inside `?:`.)
  HawkAuth a;
  auto parsed = auth::hawk::ParseAuthorization(req[field::authorization]);  // once per request
  if (!parsed) {
    a.failure = parsed.failure;
  } else if (deps_.v2->identity.IsCached(parsed->id)) {
    a = AuthenticateHawk(req, *parsed, conn, route.write, cfg_.v2, *deps_.v2, /*may_block=*/false);
  } else {
    a = co_await http::RunBlocking(
        deps_.pool, [&] { return AuthenticateHawk(req, *parsed, conn, route.write, cfg_.v2, *deps_.v2); });
  }
  if (!a.principal) {
    out.hawk_failure = a.failure;
    out.reply = Error{a.failure.status == 403 ? Errc::kForbidden : Errc::kUnauthenticated, 0, a.failure.message};
    co_return false;
  }
  out.account_id = a.principal->account_id;
  ratelimit::Decision org = deps_.v2->org_limit.Take(a.principal->account_id);
  out.rate = ratelimit::Tighter(*out.rate, org);
  if (!org.allowed) {
    out.rate_limited = true;
    co_return false;
  }
  p.principal = *a.principal;
  out.verified = std::move(a.verified);
  co_return true;
}

asio::awaitable<bool> Api::AdmitHead(const http::Request& head, Pending& p) {
  Outcome& out = p.out;
  const std::vector<std::string_view> segs = http::PathSegments(head.target());  // parsed once
  out.v2 = deps_.v2 && IsV2Path(segs);
  if (out.v2) {  // per client IP, before anything else is spent on the request
    out.rate = deps_.v2->ip_limit.Take(
        cfg_.trusted_proxies.ClientAddress(p.conn.remote_address, head["X-Forwarded-For"]));
    out.rate_limited = !out.rate->allowed;
    if (out.rate_limited) co_return false;
  }
  auto match = router_.Find(head.method(), segs);
  if (!match.value) {
    out.allowed = match.allowed;
    out.reply = match.allowed.empty() ? Error{Errc::kNotFound, 10000, "no such service: " + QuoteForDetail(head.target().substr(0, 200))}
                                      : MethodMismatch(head, segs);
    if (out.v2 && match.allowed.empty()) out.reply = Error{Errc::kNotFound, 0, "Not Found"};
    if (out.reply.error().code != Errc::kMethodNotAllowed) out.allowed.clear();
    co_return false;
  }
  const Route& route = *match.value;
  out.route = route.name;
  p.route = &route;
  p.params.assign(match.params.begin(), match.params.end());
  if (route.auth && route.surface == Surface::kThreatstack) {
    if (!co_await AuthenticateV2(head, route, p)) co_return false;
  } else if (route.auth) {
    Result<auth::Principal> who = co_await Authenticate(head);
    if (!who) {
      out.reply = who.error();
      co_return false;
    }
    out.account_id = who->account_id;
    if (route.write && !who->can_write) {
      out.reply = Error{Errc::kForbidden, code::kPermissionDenied, "this token is read-only"};
      co_return false;
    }
    p.principal = *who;
    if (!deps_.lists.Snapshot(who->account_id)) {  // first request of this account: load off-thread
      std::string account = who->account_id;
      auto loaded = co_await http::RunBlocking(deps_.pool, [&] { return deps_.lists.Load(account); });
      if (!loaded) {
        out.reply = loaded.error();
        co_return false;
      }
    }
  }
  const std::string_view length = head[field::content_length];
  if (head.method() == http::Verb::get && (head.chunked() || (!length.empty() && length != "0"))) {
    out.reply = Error::Invalid(code::kBadRequest, "a GET request must not carry a body");
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Api::RunHandler(const http::Request& req, Pending& p) {
  Outcome& out = p.out;
  const Route& route = *p.route;
  if (out.verified) {  // Hawk: the signed payload hash (when the request has one), now that the body is in
    if (auto bad = auth::hawk::VerifyPayload(*out.verified, req[field::content_type], req.body())) {
      out.hawk_failure = *bad;
      out.verified.reset();
      out.reply = Error{Errc::kUnauthenticated, 0, bad->message};
      co_return;
    }
  }
  if (req.method() == http::Verb::get && !req.body().empty()) {
    out.reply = Error::Invalid(code::kBadRequest, "a GET request must not carry a body");
    co_return;
  }
  std::vector<std::string_view> params(p.params.begin(), p.params.end());
  Call call{req, std::move(params), p.principal, BaseUrl(req, p.conn)};
  if (route.fast) {
    if (auto quick = route.fast(call)) {
      out.reply = std::move(*quick);
      co_return;
    }
  }
  if (route.blocking) {
    auto t0 = std::chrono::steady_clock::now();
    out.reply = co_await http::RunBlocking(deps_.pool, [&] { return route.fn(call); });
    deps_.metrics.ObserveStore(route.name, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  } else {
    out.reply = route.fn(call);
  }
}

asio::awaitable<Result<auth::Principal>> Api::Authenticate(const http::Request& req) {
  std::string header(req[field::authorization]);
  if (auto cached = deps_.auth.TryCached(header)) co_return *cached;
  co_return co_await http::RunBlocking(deps_.pool, [&] { return deps_.auth.Authenticate(header); });
}

Error Api::MethodMismatch(const http::Request& req, const std::vector<std::string_view>& segs) const {
  const bool v4 = !segs.empty() && segs[0] == "v4.0";
  if (v4 && segs.size() == 2 && req.method() == http::Verb::delete_) {
    return {Errc::kMethodNotAllowed, code::kCollectionDelete, "a collection cannot be deleted"};
  }
  if (v4 && segs.size() == 3 && req.method() == http::Verb::post) {
    return Error::Invalid(code::kObjectIdInPost, "POST request with an object id in the URL");
  }
  return {Errc::kMethodNotAllowed, code::kMethodNotAllowed,
          "method " + std::string(http::beast_http::to_string(req.method())) + " not allowed here"};
}

std::string Api::BaseUrl(const http::Request& req, const http::ConnectionInfo& conn) const {
  if (!cfg_.public_base_url.empty()) return cfg_.public_base_url;
  std::string_view host = req[field::host];
  if (!SafeToken(host, 255)) host = "localhost";
  return std::string(conn.tls ? "https://" : "http://") + std::string(host);
}

void Api::Log(const http::Request& req, const http::Response& res, const Outcome& out,
              const std::string& request_id, const http::ConnectionInfo& conn, double seconds) const {
  if (!deps_.access_log) return;
  std::string_view target = req.target();
  json::object line{{"request_id", request_id},
                    {"remote", conn.remote_address},
                    {"method", http::beast_http::to_string(req.method())},
                    {"path", target.substr(0, std::min(target.find('?'), size_t{512}))},
                    {"route", out.route},
                    {"status", res.result_int()},
                    {"bytes", res.body().size()},
                    {"duration_ms", seconds * 1000.0},
                    {"account_id", out.account_id}};
  if (!out.reply) line["error_code"] = out.reply.error().ext;
  deps_.access_log->info(json::serialize(line));
}

}  // namespace rampart::api
