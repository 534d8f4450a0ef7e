#pragma once
// The agents' surface, /ingest/v1 (docs/ingest.md), its own chain:
//   IP rate limit → route → IngestAuthStage → body gate → [body read] → Hawk payload → handler →
//   Server-Authorization
// Enrollment authenticates with a deploy key (Bearer) and is rate-limited per key; everything
// else with the agent's own Hawk credentials (the Hawk id is the agent id; a POST must sign its
// payload hash), rate-limited per agent and per organization. Errors are {"errors":[…]}.
// The v2 extensions that manage agents (deploy keys, agent revocation, the rule test) are routes
// of the v2 chain, added by AddAgentAdminRoutes.
#include "api/call.hpp"
#include "api/chain.hpp"
#include "alerting/webhooks.hpp"
#include "api/v2.hpp"
#include "auth/nonce_store.hpp"
#include "ingest/deploy_keys.hpp"
#include "ingest/enroll.hpp"
#include "ingest/liveness.hpp"
#include "telemetry/vuln_matching.hpp"
#include "ingest/pipeline.hpp"
#include "ratelimit/limiter.hpp"

namespace rampart::api {

struct IngestDeps {
  ingest::DeployKeyService& deploy_keys;
  ingest::AgentKeys& keys;
  ingest::Enroller& enroller;
  ingest::Pipeline& pipeline;
  ingest::Liveness& liveness;
  telemetry::VulnMatcher& vulns;     // package inventories
  store::AgentStore& events;         // the rule test reads recent events
  ratelimit::Limiter& ip_limit;      // per client address, before anything else
  ratelimit::Limiter& enroll_limit;  // per deploy key
  ratelimit::Limiter& agent_limit;   // per agent
  ratelimit::Limiter& org_limit;     // per organization (all its agents)
  auth::NonceStore& nonces;
  const Clock& clock;
  int64_t skew_ms = 60000;
  uint64_t max_batch_body_bytes = 4 * 1024 * 1024;  // compressed, as sent
  size_t max_inflated_bytes = 16 * 1024 * 1024;      // an inventory, once inflated
};

bool IsIngestPath(const std::vector<std::string_view>& segments);
void AddIngestRoutes(http::Router<Route>& router, IngestDeps& deps);
// /v2/deploykeys, /v2/agents/{id}/revoke, /v2/rules/test (owners only where they change things).
void AddAgentAdminRoutes(http::Router<Route>& router, V2Deps& v2, IngestDeps& deps);
// /v2/webhooks, /v2/webhooks/{id}, /v2/webhooks/{id}/deliveries (owners only).
void AddWebhookRoutes(http::Router<Route>& router, V2Deps& v2, alerting::WebhookService& hooks);

class IngestAuthStage final : public Middleware {
 public:
  explicit IngestAuthStage(IngestDeps& deps) : deps_(deps) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;
  Step OnHeadBlocking(const http::Request& head, Exchange& ex) const override;
  boost::asio::awaitable<Step> OnHeadAsync(const http::Request& head, Exchange& ex) const override;
  Step OnRequest(const http::Request& req, Exchange& ex) const override;
  void OnResponse(http::Response& res, const Exchange& ex) const override;

 private:
  // `parsed` is the request's Authorization header, parsed once by the caller.
  Step Agent(const http::Request& head, const auth::hawk::Attributes& parsed, Exchange& ex, bool may_block) const;
  Step Limits(Exchange& ex) const;
  IngestDeps& deps_;
};

}  // namespace rampart::api
