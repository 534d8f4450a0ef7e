#include "app/agents.hpp"

#include "telemetry/base_rule_set.hpp"

namespace rampart::app {

namespace {

std::unique_ptr<ratelimit::KeyedLimiter> PerMinute(int64_t n, const Clock& clock, int64_t max_keys) {
  return std::make_unique<ratelimit::KeyedLimiter>(
      ratelimit::LimitConfig{static_cast<uint32_t>(n), std::chrono::minutes(1), std::chrono::seconds(0)}, clock,
      static_cast<size_t>(max_keys));
}

}  // namespace

Result<std::unique_ptr<Agents>> Agents::Create(const Config& cfg, store::Store& store, const crypto::SecretBox& box,
                                               const Clock& clock, telemetry::AgentDirectory& directory,
                                               auth::NonceStore& nonces) {
  RAMPART_CHECK(telemetry::AddMissingBaseRuleSets(store, UnixMillis(clock.Now())));
  std::unique_ptr<Agents> a(new Agents());
  a->store_ = &store;
  a->clock_ = &clock;
  a->event_retention_ms_ = cfg.event_retention_hours * 3600 * 1000;
  a->alert_retention_ms_ = cfg.alert_retention_days * 86400 * 1000;
  a->flush_interval_ms_ = cfg.agent_flush_interval_s * 1000;
  a->ip_limit_ = PerMinute(cfg.ingest_ip_per_min, clock, cfg.rate_limit_max_keys);
  a->enroll_limit_ = PerMinute(cfg.enroll_per_key_per_min, clock, cfg.rate_limit_max_keys);
  a->agent_limit_ = PerMinute(cfg.ingest_agent_per_min, clock, cfg.rate_limit_max_keys);
  a->org_limit_ = PerMinute(cfg.ingest_org_per_min, clock, cfg.rate_limit_max_keys);
  a->deploy_keys_ = std::make_unique<ingest::DeployKeyService>(store, clock);
  a->keys_ = std::make_unique<ingest::AgentKeys>(store, box, clock, cfg.token_cache_ttl_ms);
  a->enroller_ = std::make_unique<ingest::Enroller>(store, *a->keys_, directory, box, clock);
  ingest::PipelineConfig pc;
  pc.limits.max_inflated_bytes = static_cast<size_t>(cfg.ingest_max_inflated_bytes);
  pc.max_org_events = cfg.max_events_per_org;
  a->pipeline_ = std::make_unique<ingest::Pipeline>(store, clock, pc);
  a->liveness_ = std::make_unique<ingest::Liveness>(store, directory, clock, cfg.agent_offline_after_s * 1000);
  RAMPART_CHECK(a->liveness_->Prime());
  a->deps_ = std::make_unique<api::IngestDeps>(api::IngestDeps{
      *a->deploy_keys_, *a->keys_, *a->enroller_, *a->pipeline_, *a->liveness_, store, *a->ip_limit_,
      *a->enroll_limit_, *a->agent_limit_, *a->org_limit_, nonces, clock, cfg.hawk_skew_s * 1000,
      static_cast<uint64_t>(cfg.ingest_max_batch_bytes)});
  return a;
}

Result<store::RetentionOutcome> Agents::ApplyRetention() {
  const int64_t now = UnixMillis(clock_->Now());
  return store_->ApplyRetention(now - event_retention_ms_, now - alert_retention_ms_);
}

std::vector<std::pair<std::string, double>> Agents::Gauges() const {
  const ingest::PipelineCounters c = pipeline_->counters();
  return {{"rampart_ingest_events_total", static_cast<double>(c.events)},
          {"rampart_ingest_batches_total", static_cast<double>(c.batches)},
          {"rampart_ingest_duplicate_batches_total", static_cast<double>(c.duplicates)},
          {"rampart_ingest_events_evicted_total", static_cast<double>(c.evicted)},
          {"rampart_ingest_alerts_total", static_cast<double>(c.alerts)}};
}

}  // namespace rampart::app
