#include "api/threatstack_stages.hpp"

#include "http/status.hpp"

namespace rampart::api {
using http::beast_http::field;
namespace asio = boost::asio;
namespace hawk = auth::hawk;

namespace {

// The reference's 429: a short text body and Retry-After.
Reply TooManyRequestsReply(const ratelimit::Decision& d) {
  return Reply{.status = http::Status::too_many_requests,
               .content_type = "text/plain",
               .text = "Too Many Requests\n",
               .headers = {{field::retry_after, std::to_string((d.reset_ms + 999) / 1000)}}};
}

Errc ErrcOf(int hawk_status) {
  switch (hawk_status) {
    case 400: return Errc::kInvalid;
    case 403: return Errc::kForbidden;
    case 401: return Errc::kUnauthorized;
    default: return Errc::kInternal;
  }
}

Reply NonceCacheFullReply() {
  return Reply{.status = http::Status::too_many_requests,
               .content_type = "text/plain",
               .text = "Too Many Requests\n",
               .headers = {{field::retry_after, std::to_string(auth::kNonceFullRetryAfterS)}}};
}

Step Refuse(const hawk::Failure& f, Exchange& ex) {
  if (f.status == 429) {  // the nonce cache is full: like a rate limit, retried later
    ex.reply = NonceCacheFullReply();
    return Step::kAnswer;
  }
  ex.reply = Error{ErrcOf(f.status), Reason::kNone, f.message};
  if (!f.www_authenticate.empty()) ex.headers.emplace_back(field::www_authenticate, f.www_authenticate);
  return Step::kAnswer;
}

// Readers are refused a write route inside Hawk, before the organization's rate limit is spent.
bool Writes(const Exchange& ex) { return ex.route->access == Access::kWrite; }

}  // namespace

Step IpRateLimitStage::OnHead(const http::Request& head, Exchange& ex) const {
  auto d = limit_.TryTake(proxies_.ClientOf(ex.conn.remote_address, head));
  return d ? Decide(*d, ex) : Step::kAwait;
}

asio::awaitable<Step> IpRateLimitStage::OnHeadAsync(const http::Request& head, Exchange& ex) const {
  ratelimit::Decision d =
      co_await limit_.TakeAsync(proxies_.ClientOf(ex.conn.remote_address, head));
  co_return Decide(d, ex);
}

Step IpRateLimitStage::Decide(ratelimit::Decision d, Exchange& ex) const {
  ex.rate = d;
  if (ex.rate->allowed) return Step::kNext;
  ex.reply = TooManyRequestsReply(*ex.rate);
  return Step::kAnswer;
}

void IpRateLimitStage::OnResponse(http::Response& res, const Exchange& ex) const {
  if (ex.rate) SetRateLimitHeaders(res, *ex.rate);
}

Step HawkStage::OnHead(const http::Request& head, Exchange& ex) const {
  if (ex.route->access == Access::kPublic) return Step::kNext;
  auto parsed = hawk::ParseAuthorization(head[field::authorization]);
  if (!parsed) return Refuse(parsed.failure, ex);
  if (!deps_.identity.IsCached(parsed->id)) return Step::kOffload;
  HawkAuth a = AuthenticateHawk(head, *parsed, ex.conn, Writes(ex), cfg_, deps_, /*may_block=*/false);
  // The user's cache entry can be dropped between IsCached and the lookups (a change another
  // process logged arrives on another thread): what the I/O thread could not find is asked
  // again on the blocking pool, where the store is read, instead of answering 401 or 403.
  const bool lookup_missed = a.failure.message == "Unknown credentials" ||
                             a.failure.message.starts_with("not a member of organization");
  if (!a.principal && lookup_missed) return Step::kOffload;
  return Admit(std::move(a), ex);
}

Step HawkStage::OnHeadBlocking(const http::Request& head, Exchange& ex) const {
  auto parsed = hawk::ParseAuthorization(head[field::authorization]);  // checked on the I/O thread
  return Admit(AuthenticateHawk(head, *parsed, ex.conn, Writes(ex), cfg_, deps_), ex);
}

Step HawkStage::Admit(HawkAuth a, Exchange& ex) const {
  if (!a.principal) return Refuse(a.failure, ex);
  ex.principal = std::move(a.principal);
  ex.verified = std::move(a.verified);
  ex.pending_nonce = std::move(a.pending_nonce);
  if (ex.pending_nonce) return Step::kAwait;
  return AfterNonce(ex);
}

Step HawkStage::AfterNonce(Exchange& ex) const {
  auto org = deps_.org_limit.TryTake(ex.principal->org_id);
  if (!org) {
    ex.org_limit_pending = true;
    return Step::kAwait;
  }
  return OrgLimit(*org, ex);
}

Step HawkStage::OrgLimit(ratelimit::Decision org, Exchange& ex) const {
  ex.rate = ex.rate ? ratelimit::Tighter(*ex.rate, org) : org;
  if (!org.allowed) {
    ex.verified.reset();
    ex.reply = TooManyRequestsReply(*ex.rate);
    return Step::kAnswer;
  }
  return Step::kNext;
}

asio::awaitable<Step> HawkStage::OnHeadAsync(const http::Request&, Exchange& ex) const {
  if (ex.pending_nonce) {
    auth::NonceEntry e = std::move(*ex.pending_nonce);
    ex.pending_nonce.reset();
    const auth::NonceVerdict v = co_await deps_.nonces.InsertAsync(std::move(e));
    if (v != auth::NonceVerdict::kFresh) {
      ex.verified.reset();
      ex.principal.reset();
      if (v == auth::NonceVerdict::kFull) co_return Refuse({429, "Too Many Requests", ""}, ex);
      co_return Refuse({401, "Invalid nonce", "Hawk error=\"Invalid nonce\""}, ex);
    }
    if (Step next = AfterNonce(ex); !ex.org_limit_pending) co_return next;
  }
  ex.org_limit_pending = false;
  const std::string org = ex.principal->org_id;
  ratelimit::Decision d = co_await deps_.org_limit.TakeAsync(org);
  co_return OrgLimit(d, ex);
}

Step HawkStage::OnRequest(const http::Request& req, Exchange& ex) const {
  if (!ex.verified) return Step::kNext;
  // The signed payload hash (when the request has one), now that the body is in.
  if (auto bad = hawk::VerifyPayload(*ex.verified, req[field::content_type], req.body())) {
    ex.verified.reset();
    return Refuse(*bad, ex);
  }
  return Step::kNext;
}

void HawkStage::OnResponse(http::Response& res, const Exchange& ex) const {
  if (ex.verified && res.result_int() < 300) SignResponse(res, *ex.verified, ex.payload_hash);
}

http::Response RenderThreatstackErrorFor(const Error& e, unsigned http_version) {
  return RenderThreatstackError(static_cast<int>(http::StatusFor(e)),
                                e.code == Errc::kInternal ? "internal server error" : e.detail, "", http_version);
}

}  // namespace rampart::api
