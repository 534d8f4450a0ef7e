#pragma once
// The Threat Stack v2 surface's own stages: the per-IP rate limit, and Hawk as one unit — the
// header MAC on the head, the payload hash once the body is in, Server-Authorization on the way
// out — with the per-organization rate limit once the organization is known.
#include "api/chain.hpp"
#include "api/client_ip.hpp"
#include "api/v2.hpp"

namespace rampart::api {

// First of the chain: a client over its rate gets 429 before anything else is spent on it. Every
// answer carries the tighter of the limits it was counted against (x-rate-limit-*).
class IpRateLimitStage final : public Middleware {
 public:
  IpRateLimitStage(ratelimit::Limiter& limit, const TrustedProxies& proxies) : limit_(limit), proxies_(proxies) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;
  boost::asio::awaitable<Step> OnHeadAsync(const http::Request& head, Exchange& ex) const override;
  void OnResponse(http::Response& res, const Exchange& ex) const override;

 private:
  Step Decide(ratelimit::Decision d, Exchange& ex) const;
  ratelimit::Limiter& limit_;
  const TrustedProxies& proxies_;
};

// Hawk: known users verify on the I/O thread (cached keys), others on the blocking pool.
class HawkStage final : public Middleware {
 public:
  HawkStage(const V2Config& cfg, V2Deps& deps) : cfg_(cfg), deps_(deps) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;
  Step OnHeadBlocking(const http::Request& head, Exchange& ex) const override;
  // A nonce or the organization's limit that shared state must still decide.
  boost::asio::awaitable<Step> OnHeadAsync(const http::Request& head, Exchange& ex) const override;
  Step OnRequest(const http::Request& req, Exchange& ex) const override;
  void OnResponse(http::Response& res, const Exchange& ex) const override;

 private:
  Step Admit(HawkAuth a, Exchange& ex) const;
  Step AfterNonce(Exchange& ex) const;                   // the organization's limit
  Step OrgLimit(ratelimit::Decision org, Exchange& ex) const;

  const V2Config& cfg_;
  V2Deps& deps_;
};

// {"errors":[…]} with the error's status; an internal error's detail is not shown.
http::Response RenderThreatstackErrorFor(const Error& e, unsigned http_version);

}  // namespace rampart::api
