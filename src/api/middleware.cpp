#include "api/middleware.hpp"

#include <charconv>

#include "api/query.hpp"
#include "base/strings.hpp"
#include "userlists/values.hpp"

namespace rampart::api {
using http::beast_http::field;

namespace {

std::string AllowHeader(const std::vector<http::Verb>& verbs) {
  std::string out;
  for (auto v : verbs) {
    if (!out.empty()) out += ", ";
    out += std::string(http::beast_http::to_string(v));
  }
  return out;
}

}  // namespace

RouteStage::RouteStage(http::Router<Route> router, NotFoundFn not_found, MismatchFn mismatch)
    : router_(std::move(router)), not_found_(not_found), mismatch_(mismatch) {}

Step RouteStage::OnHead(const http::Request& head, Exchange& ex) const {
  auto match = router_.Find(head.method(), ex.segments);
  if (!match.value) {
    if (match.allowed.empty()) {
      ex.reply = not_found_(head);
      return Step::kAnswer;
    }
    ex.reply = mismatch_(head, ex.segments);
    if (ex.reply.error().code == Errc::kMethodNotAllowed) ex.headers.emplace_back(field::allow, AllowHeader(match.allowed));
    return Step::kAnswer;
  }
  ex.route = match.value;
  ex.route_name = match.value->name;
  ex.params.assign(match.params.begin(), match.params.end());
  if (auto bad = CheckQuery(head.target())) {  // else a parameter would read as absent
    ex.reply = std::move(*bad);
    return Step::kAnswer;
  }
  return Step::kNext;
}

Step AuthorizeStage::OnHead(const http::Request&, Exchange& ex) const {
  if (ex.route->access != Access::kPublic && !ex.principal) {  // fail closed: a chain without authentication
    ex.reply = Error::Internal("route " + ex.route->name + " needs a principal; its surface authenticates none");
    return Step::kAnswer;
  }
  if (ex.route->access == Access::kPublic) return Step::kNext;
  const bool write = ex.route->access == Access::kWrite;
  if (ex.principal->perms.Allows(ex.route->service, write)) return Step::kNext;
  Error denied = denied_;
  if (!write || ex.principal->perms.Of(ex.route->service) == auth::Level::kNone) {
    denied.detail = std::string("this key has no access to ") +
                    (ex.route->service == auth::Service::kPolicies ? "policies and devices" : "user lists");
  }
  ex.reply = std::move(denied);
  return Step::kAnswer;
}

LargeBodySlots::LargeBodySlots(int capacity) : state_(std::make_shared<State>()) {
  state_->free = capacity;
  state_->per_holder = std::max(1, capacity / 2);
}

std::shared_ptr<void> LargeBodySlots::TryTake(const std::string& holder) {
  std::lock_guard lock(state_->mu);
  int& mine = state_->held[holder];
  if (state_->free <= 0 || mine >= state_->per_holder) {
    if (mine == 0) state_->held.erase(holder);
    return nullptr;
  }
  --state_->free;
  ++mine;
  // The release: a shared_ptr whose deleter returns the slot; it holds the state, not this object.
  return std::shared_ptr<void>(state_.get(), [st = state_, holder](void*) {
    std::lock_guard release_lock(st->mu);
    ++st->free;
    if (--st->held[holder] == 0) st->held.erase(holder);
  });
}

Step BodyGate::OnHead(const http::Request& head, Exchange& ex) const {
  const std::string_view length = head[field::content_length];
  const bool chunked = head.chunked();
  if (head.method() == http::Verb::get && (chunked || (!length.empty() && length != "0"))) {
    ex.reply = Error::Invalid(Reason::kMalformed, "a GET request must not carry a body");
    return Step::kAnswer;
  }
  const uint64_t limit = ex.route->max_body_bytes ? std::min(ex.route->max_body_bytes, rules_.max_body_bytes)
                                                  : rules_.max_body_bytes;
  uint64_t announced = 0;  // the framing check let through only one well-formed Content-Length
  std::from_chars(length.data(), length.data() + length.size(), announced);
  if (announced > limit) {
    ex.reply = Error{Errc::kTooLarge, Reason::kMalformed, "request body too large"};
    return Step::kAnswer;
  }
  // A chunked body may grow to the limit: it needs a slot when the limit is large.
  if (rules_.slots && (chunked ? limit > rules_.large_body_bytes : announced > rules_.large_body_bytes)) {
    ex.held = rules_.slots->TryTake(ex.principal ? ex.principal->org_id : ex.conn.remote_address);
    if (!ex.held) {
      ex.reply = Error::Unavailable("too many large request bodies at once; retry shortly");
      ex.headers.emplace_back(field::retry_after, "1");
      return Step::kAnswer;
    }
  }
  return Step::kNext;
}

Step BodyGate::OnRequest(const http::Request& req, Exchange& ex) const {
  if (req.method() == http::Verb::get && !req.body().empty()) {
    ex.reply = Error::Invalid(Reason::kMalformed, "a GET request must not carry a body");
    return Step::kAnswer;
  }
  return Step::kNext;
}

Call HandlerStage::CallFor(const http::Request& req, const Exchange& ex) const {
  std::vector<std::string_view> params(ex.params.begin(), ex.params.end());
  return Call{req, std::move(params), ex.principal ? &*ex.principal : nullptr, BaseUrl(req, ex.conn)};
}

Step HandlerStage::OnRequest(const http::Request& req, Exchange& ex) const {
  const Route& route = *ex.route;
  const Step offload = route.runs == Runs::kReads ? Step::kOffloadRead : Step::kOffload;
  if (!route.fast && route.runs != Runs::kInline) return offload;
  Call call = CallFor(req, ex);
  if (route.fast) {
    if (auto quick = route.fast(call)) {
      ex.reply = std::move(*quick);
      return Step::kAnswer;
    }
    if (route.runs != Runs::kInline) return offload;
  }
  ex.reply = route.fn(call);
  return Step::kAnswer;
}

Step HandlerStage::OnRequestBlocking(const http::Request& req, Exchange& ex) const {
  const auto t0 = std::chrono::steady_clock::now();
  Call call = CallFor(req, ex);
  ex.reply = ex.route->fn(call);
  metrics_.ObserveStore(ex.route->name, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return Step::kAnswer;
}

std::string HandlerStage::BaseUrl(const http::Request& req, const http::ConnectionInfo& conn) const {
  if (!public_base_url_.empty()) return public_base_url_;
  std::string_view host = req[field::host];
  if (!IsSafeToken(host, 255)) host = "localhost";
  return std::string(conn.tls ? "https://" : "http://") + std::string(host);
}

}  // namespace rampart::api
