#pragma once
// Composition of the agents side: deploy keys, enrollment, the agents' keys, the ingest pipeline
// (rules engine per organization) and liveness, with the ingest surface's limiters; alert delivery
// (webhooks); vulnerability matching of the agents' package inventories; and the periodic work —
// liveness flushes, the delivery queue, the feed check, retention. Every
// organization gets its Base Rule Set once.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/logger.h>

#include <atomic>
#include <memory>

#include "alerting/dispatcher.hpp"
#include "api/ingest.hpp"
#include "app/config.hpp"
#include "auth/nonce_store.hpp"
#include "ratelimit/keyed_limiter.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"
#include "telemetry/vuln_matching.hpp"

namespace rampart::app {

class Agents {
 public:
  // Blocking: gives organizations without it the Base Rule Set and starts tracking every enrolled
  // agent's heartbeats.
  static Result<std::unique_ptr<Agents>> Create(const Config& cfg, store::Store& store, const crypto::SecretBox& box,
                                                const Clock& clock, telemetry::AgentDirectory& directory,
                                                auth::NonceStore& nonces, boost::asio::thread_pool& pool,
                                                std::shared_ptr<spdlog::logger> log);
  api::IngestDeps& deps() { return *deps_; }
  ingest::Pipeline& pipeline() { return *pipeline_; }
  ingest::AgentKeys& keys() { return *keys_; }
  alerting::WebhookService& webhooks() { return *webhooks_; }
  // The periodic work, on the calling I/O thread until `stopping`: liveness flushes every
  // agent_flush_interval_s, the webhook queue every second.
  boost::asio::awaitable<void> FlushLoop(const std::atomic<bool>& stopping);
  boost::asio::awaitable<void> DeliveryLoop(const std::atomic<bool>& stopping);
  // Every 10 s: a Debian security feed made current since (by `rampart admin vulnfeed import`,
  // maybe in another process) is loaded and the inventories it changes are matched again.
  boost::asio::awaitable<void> FeedLoop(const std::atomic<bool>& stopping);
  telemetry::VulnMatcher& vulns() { return *vulns_; }
  // Blocking: drops events, batch marks and alerts past their retention.
  Result<store::RetentionOutcome> ApplyRetention();
  // rampart_ingest_* lines for /metrics.
  std::vector<std::pair<std::string, double>> Gauges() const;

 private:
  Agents() = default;
  store::Store* store_ = nullptr;
  const Clock* clock_ = nullptr;
  int64_t event_retention_ms_ = 0, alert_retention_ms_ = 0, flush_interval_ms_ = 0;
  std::unique_ptr<ratelimit::KeyedLimiter> ip_limit_, enroll_limit_, agent_limit_, org_limit_;
  std::unique_ptr<ingest::DeployKeyService> deploy_keys_;
  std::unique_ptr<ingest::AgentKeys> keys_;
  std::unique_ptr<ingest::Enroller> enroller_;
  std::unique_ptr<ingest::Pipeline> pipeline_;
  std::unique_ptr<ingest::Liveness> liveness_;
  std::unique_ptr<telemetry::VulnMatcher> vulns_;
  std::unique_ptr<api::IngestDeps> deps_;
  boost::asio::thread_pool* pool_ = nullptr;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<boost::asio::ssl::context> tls_client_;
  std::unique_ptr<alerting::WebhookService> webhooks_;
  std::unique_ptr<alerting::Dispatcher> dispatcher_;
};

}  // namespace rampart::app
