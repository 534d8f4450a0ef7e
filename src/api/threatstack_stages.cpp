#include "api/threatstack_stages.hpp"

#include "http/status.hpp"

namespace rampart::api {
using http::beast_http::field;
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

Step Refuse(const hawk::Failure& f, Exchange& ex) {
  ex.reply = Error{ErrcOf(f.status), Reason::kNone, f.message};
  if (!f.www_authenticate.empty()) ex.headers.emplace_back(field::www_authenticate, f.www_authenticate);
  return Step::kAnswer;
}

// Readers are refused a write route inside Hawk, before the organization's rate limit is spent.
bool Writes(const Exchange& ex) { return ex.route->access == Access::kWrite; }

}  // namespace

Step IpRateLimitStage::OnHead(const http::Request& head, Exchange& ex) const {
  ex.rate = limit_.Take(proxies_.ClientAddress(ex.conn.remote_address, head["X-Forwarded-For"]));
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
  return Admit(AuthenticateHawk(head, *parsed, ex.conn, Writes(ex), cfg_, deps_, /*may_block=*/false), ex);
}

Step HawkStage::OnHeadBlocking(const http::Request& head, Exchange& ex) const {
  auto parsed = hawk::ParseAuthorization(head[field::authorization]);  // checked on the I/O thread
  return Admit(AuthenticateHawk(head, *parsed, ex.conn, Writes(ex), cfg_, deps_), ex);
}

Step HawkStage::Admit(HawkAuth a, Exchange& ex) const {
  if (!a.principal) return Refuse(a.failure, ex);
  ex.principal = std::move(a.principal);
  ratelimit::Decision org = deps_.org_limit.Take(ex.principal->org_id);
  ex.rate = ex.rate ? ratelimit::Tighter(*ex.rate, org) : org;
  if (!org.allowed) {
    ex.reply = TooManyRequestsReply(*ex.rate);
    return Step::kAnswer;
  }
  ex.verified = std::move(a.verified);
  return Step::kNext;
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
