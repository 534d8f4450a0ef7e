#pragma once
// Composition of the agents side: deploy keys, enrollment, the agents' keys, the ingest pipeline
// (rules engine per organization) and liveness, with the ingest surface's limiters; and the
// periodic work — liveness flushes and retention. Every organization gets its Base Rule Set once.
#include <memory>

#include "api/ingest.hpp"
#include "app/config.hpp"
#include "auth/nonce_store.hpp"
#include "ratelimit/keyed_limiter.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"

namespace rampart::app {

class Agents {
 public:
  // Blocking: gives organizations without it the Base Rule Set and starts tracking every enrolled
  // agent's heartbeats.
  static Result<std::unique_ptr<Agents>> Create(const Config& cfg, store::Store& store, const crypto::SecretBox& box,
                                                const Clock& clock, telemetry::AgentDirectory& directory,
                                                auth::NonceStore& nonces);
  api::IngestDeps& deps() { return *deps_; }
  ingest::Pipeline& pipeline() { return *pipeline_; }
  ingest::AgentKeys& keys() { return *keys_; }
  // Blocking: flushes liveness (every agent_flush_interval_s).
  Result<size_t> Flush() { return liveness_->Flush(); }
  // Blocking: drops events, batch marks and alerts past their retention.
  Result<store::RetentionOutcome> ApplyRetention();
  int64_t flush_interval_ms() const { return flush_interval_ms_; }
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
  std::unique_ptr<api::IngestDeps> deps_;
};

}  // namespace rampart::app
