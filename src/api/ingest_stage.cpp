// The ingest surface's authentication (api/ingest.hpp): a deploy key for enrollment, the agent's
// Hawk credentials for everything else, then the per-agent and per-organization limits.
#include "api/ingest.hpp"

namespace rampart::api {
using http::beast_http::field;
namespace asio = boost::asio;
namespace hawk = auth::hawk;

namespace {

bool IsEnroll(const Exchange& ex) { return ex.route->name == "ingest.enroll"; }

Step Refuse(Exchange& ex, Errc code, std::string message, std::string www = "") {
  ex.reply = Error{code, Reason::kNone, std::move(message)};
  if (!www.empty()) ex.headers.emplace_back(field::www_authenticate, std::move(www));
  return Step::kAnswer;
}

Step RefuseHawk(Exchange& ex, const hawk::Failure& f) {
  const Errc code = f.status == 400 ? Errc::kInvalid : f.status == 403 ? Errc::kForbidden : Errc::kUnauthorized;
  return Refuse(ex, code, f.message, f.www_authenticate);
}

// The nonce cache (or the organization's share of it) is full (auth/nonce_store.hpp).
Step NonceCacheFull(Exchange& ex) {
  ex.reply = Reply{.status = http::Status::too_many_requests,
                   .body = boost::json::object{{"errors", boost::json::array{"too many requests in the replay window"}}},
                   .headers = {{field::retry_after, std::to_string(auth::kNonceFullRetryAfterS)}}};
  ex.verified.reset();
  return Step::kAnswer;
}

Step TooMany(Exchange& ex, const ratelimit::Decision& d, const char* what) {
  ex.reply = Reply{.status = http::Status::too_many_requests,
                   .body = boost::json::object{{"errors", boost::json::array{std::string("rate limit of ") + what + " reached"}}},
                   .headers = {{field::retry_after, std::to_string((d.reset_ms + 999) / 1000)}}};
  ex.verified.reset();
  return Step::kAnswer;
}

}  // namespace

bool IsIngestPath(const std::vector<std::string_view>& segs) { return !segs.empty() && segs[0] == "ingest"; }

Step IngestAuthStage::OnHead(const http::Request& head, Exchange& ex) const {
  if (ex.route->access == Access::kPublic) return Step::kNext;
  if (IsEnroll(ex)) return Step::kOffload;  // the deploy key is in the store
  auto parsed = hawk::ParseAuthorization(head[field::authorization]);
  if (!parsed) return RefuseHawk(ex, parsed.failure);
  if (!deps_.keys.IsCached(parsed->id)) return Step::kOffload;
  return Agent(head, *parsed, ex, /*may_block=*/false);
}

Step IngestAuthStage::OnHeadBlocking(const http::Request& head, Exchange& ex) const {
  if (!IsEnroll(ex)) {
    auto parsed = hawk::ParseAuthorization(head[field::authorization]);  // checked on the I/O thread
    if (!parsed) return RefuseHawk(ex, parsed.failure);
    return Agent(head, *parsed, ex, /*may_block=*/true);
  }
  auto key = deps_.deploy_keys.Check(head[field::authorization]);
  if (!key) return Refuse(ex, key.error().code, key.error().detail, "Bearer");
  ex.principal = identity::Principal{identity::Principal::Kind::kDeployKey, key->org_id, key->id, {}};
  auto d = deps_.enroll_limit.TryTake(key->id);
  if (d && !d->allowed) return TooMany(ex, *d, "enrollments for this deploy key");
  if (!d) {
    ex.org_limit_pending = true;
    return Step::kAwait;
  }
  return Step::kNext;
}

Step IngestAuthStage::Agent(const http::Request& head, const hawk::Attributes& parsed, Exchange& ex,
                              bool may_block) const {
  const std::string_view authorization = head[field::authorization];
  // A batch or heartbeat without a signed payload hash could have its body swapped in transit.
  if (head.method() != http::Verb::get && !parsed.hash) {
    return Refuse(ex, Errc::kUnauthorized, "Missing required payload hash", "Hawk error=\"Missing required payload hash\"");
  }
  auto agent = deps_.keys.Find(parsed.id, may_block);
  if (!agent) return Refuse(ex, Errc::kUnauthorized, "Unknown credentials", "Hawk error=\"Unknown credentials\"");
  auto resolved = hawk::ResolveHost(head[field::host], ex.conn.tls);
  if (!resolved) return RefuseHawk(ex, resolved.failure);
  const int64_t now = UnixMillis(deps_.clock.Now());
  hawk::RequestView view{http::beast_http::to_string(head.method()), head.target(), authorization,
                         head[field::content_type], std::nullopt, *resolved};
  bool full = false;
  hawk::NonceCheck nonces = [&](std::string_view id, std::string_view nonce, std::string_view ts, int64_t until) {
    std::optional<auth::NonceVerdict> v = deps_.nonces.TryInsert(agent->org_id, id, nonce, ts, until, now);
    if (!v) {
      ex.pending_nonce = auth::NonceEntry{agent->org_id, std::string(id), std::string(nonce), std::string(ts), until, now};
      return true;
    }
    full = *v == auth::NonceVerdict::kFull;  // checked on, then refused below (as in v2.cpp)
    return *v != auth::NonceVerdict::kReplay;
  };
  // Moved into the result: Verify asks for the credentials once.
  hawk::Credentials creds{agent->agent_id, agent->key, "sha256", agent->agent_id};
  auto v = hawk::Verify(view, parsed, [&creds](std::string_view) { return std::optional(std::move(creds)); },
                        {deps_.skew_ms}, now, nonces);
  if (!v) {
    ex.pending_nonce.reset();
    return RefuseHawk(ex, v.failure);
  }
  if (full) return NonceCacheFull(ex);
  ex.verified = std::move(*v);
  ex.principal = identity::Principal{identity::Principal::Kind::kAgent, agent->org_id, agent->agent_id, {}};
  deps_.liveness.Seen(*agent);
  if (ex.pending_nonce) return Step::kAwait;
  return Limits(ex);
}

Step IngestAuthStage::Limits(Exchange& ex) const {
  auto agent = deps_.agent_limit.TryTake(ex.principal->id);
  auto org = deps_.org_limit.TryTake(ex.principal->org_id);
  if (!agent || !org) {
    ex.org_limit_pending = true;
    return Step::kAwait;
  }
  if (!agent->allowed) return TooMany(ex, *agent, "this agent");
  if (!org->allowed) return TooMany(ex, *org, "this organization's agents");
  return Step::kNext;
}

asio::awaitable<Step> IngestAuthStage::OnHeadAsync(const http::Request&, Exchange& ex) const {
  if (ex.pending_nonce) {
    auth::NonceEntry e = std::move(*ex.pending_nonce);
    ex.pending_nonce.reset();
    const auth::NonceVerdict verdict = co_await deps_.nonces.InsertAsync(std::move(e));
    if (verdict == auth::NonceVerdict::kFull) co_return NonceCacheFull(ex);
    if (verdict != auth::NonceVerdict::kFresh) {
      ex.verified.reset();
      co_return Refuse(ex, Errc::kUnauthorized, "Invalid nonce", "Hawk error=\"Invalid nonce\"");
    }
    if (Step next = Limits(ex); !ex.org_limit_pending) co_return next;
  }
  ex.org_limit_pending = false;
  const std::string who = ex.principal->id;
  if (IsEnroll(ex)) {
    const ratelimit::Decision d = co_await deps_.enroll_limit.TakeAsync(who);
    co_return d.allowed ? Step::kNext : TooMany(ex, d, "enrollments for this deploy key");
  }
  const std::string org = ex.principal->org_id;
  const ratelimit::Decision a = co_await deps_.agent_limit.TakeAsync(who);
  const ratelimit::Decision o = co_await deps_.org_limit.TakeAsync(org);
  if (!a.allowed) co_return TooMany(ex, a, "this agent");
  if (!o.allowed) co_return TooMany(ex, o, "this organization's agents");
  co_return Step::kNext;
}

Step IngestAuthStage::OnRequest(const http::Request& req, Exchange& ex) const {
  if (!ex.verified) return Step::kNext;
  if (auto bad = hawk::VerifyPayload(*ex.verified, req[field::content_type], req.body())) {
    ex.verified.reset();
    return RefuseHawk(ex, *bad);
  }
  return Step::kNext;
}

// Every reply to an authenticated agent is signed, refusals included (docs/ingest.md §2): an
// agent drops or splits a batch on a 400 or 413, so it must be able to tell the server's refusal
// from a forged one.
void IngestAuthStage::OnResponse(http::Response& res, const Exchange& ex) const {
  if (ex.verified) SignResponse(res, *ex.verified, ex.payload_hash);
}

}  // namespace rampart::api
