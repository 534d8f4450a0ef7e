#include "app/agents.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/enforcement.hpp"
#include "base/blocking.hpp"
#include "base/strings.hpp"
#include "telemetry/base_rule_set.hpp"

namespace rampart::app {

namespace {

constexpr int64_t kAgentKeyTtlMs = 10 * 60 * 1000;

std::unique_ptr<ratelimit::KeyedLimiter> PerMinute(int64_t n, const Clock& clock, int64_t max_keys) {
  return std::make_unique<ratelimit::KeyedLimiter>(
      ratelimit::LimitConfig{static_cast<uint32_t>(n), std::chrono::minutes(1), std::chrono::seconds(0)}, clock,
      static_cast<size_t>(max_keys));
}

}  // namespace

Result<std::unique_ptr<Agents>> Agents::Create(const Config& cfg, store::Store& store, const crypto::SecretBox& box,
                                               const Clock& clock, telemetry::AgentDirectory& directory,
                                               auth::NonceStore& nonces, boost::asio::thread_pool& pool,
                                               std::shared_ptr<spdlog::logger> log) {
  RAMPART_TRY(denied, ParseNetworks(cfg.webhook_denied_networks, "webhook_denied_networks"));
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
  // Agents' keys are cached far longer than users' tokens: an agent calls every 30 s, so a 5 s
  // entry would always be gone (a store read and an unseal per heartbeat). Revocation and
  // re-enrollment do not wait for the entry to age: they drop it at once, here and, through the
  // change log, in every other process (app.cpp subscribes kAgent); the TTL only bounds a missed
  // change.
  a->keys_ = std::make_unique<ingest::AgentKeys>(store, box, clock, std::max<int64_t>(cfg.token_cache_ttl_ms, kAgentKeyTtlMs));
  a->enroller_ = std::make_unique<ingest::Enroller>(store, *a->keys_, directory, box, clock);
  ingest::PipelineConfig pc;
  pc.limits.max_inflated_bytes = static_cast<size_t>(cfg.ingest_max_inflated_bytes);
  pc.max_org_events = cfg.max_events_per_org;
  a->pipeline_ = std::make_unique<ingest::Pipeline>(store, clock, pc);
  a->liveness_ = std::make_unique<ingest::Liveness>(store, directory, clock, cfg.agent_offline_after_s * 1000);
  RAMPART_CHECK(a->liveness_->Prime());
  a->vulns_ = std::make_unique<telemetry::VulnMatcher>(store, clock);
  RAMPART_CHECK(a->vulns_->Refresh());
  a->deps_ = std::make_unique<api::IngestDeps>(api::IngestDeps{
      *a->deploy_keys_, *a->keys_, *a->enroller_, *a->pipeline_, *a->liveness_, *a->vulns_, store, *a->ip_limit_,
      *a->enroll_limit_, *a->agent_limit_, *a->org_limit_, nonces, clock, cfg.hawk_skew_s * 1000,
      static_cast<uint64_t>(cfg.ingest_max_batch_bytes), static_cast<size_t>(cfg.ingest_max_inflated_bytes)});
  a->pool_ = &pool;
  a->log_ = std::move(log);
  a->tls_client_ = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  boost::system::error_code ec;
  if (cfg.webhook_ca_file.empty()) a->tls_client_->set_default_verify_paths(ec);
  else a->tls_client_->load_verify_file(cfg.webhook_ca_file, ec);
  if (ec) return Error::Invalid("webhook_ca_file " + cfg.webhook_ca_file + ": " + ec.message());
  a->webhooks_ = std::make_unique<alerting::WebhookService>(store, box, clock);
  a->dispatcher_ = std::make_unique<alerting::Dispatcher>(
      store, box, clock, pool,
      alerting::PostPolicy{std::chrono::milliseconds(cfg.webhook_timeout_ms), std::move(denied), a->tls_client_.get()});
  return a;
}

namespace {

boost::asio::awaitable<void> Sleep(std::chrono::milliseconds d) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_after(d);
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace

boost::asio::awaitable<void> Agents::FlushLoop(const std::atomic<bool>& stopping) {
  while (!stopping.load()) {
    co_await Sleep(std::chrono::milliseconds(flush_interval_ms_));
    if (stopping.load()) break;
    auto flushed = co_await RunBlocking(*pool_, [this] { return liveness_->Flush(); });
    if (!flushed) log_->warn("writing agents' status failed: {}", EscapeForLog(flushed.error().detail));
  }
}

boost::asio::awaitable<void> Agents::DeliveryLoop(const std::atomic<bool>& stopping) {
  while (!stopping.load()) {
    co_await Sleep(std::chrono::milliseconds(1000));
    if (stopping.load()) break;
    auto round = co_await dispatcher_->Round();
    if (!round) log_->warn("webhook deliveries: {}", EscapeForLog(round.error().detail));
  }
}

boost::asio::awaitable<void> Agents::FeedLoop(const std::atomic<bool>& stopping) {
  while (!stopping.load()) {
    co_await Sleep(std::chrono::milliseconds(10000));
    if (stopping.load()) break;
    auto loaded = co_await RunBlocking(*pool_, [this] { return vulns_->Refresh(); });
    if (!loaded) {
      log_->warn("loading the vulnerability feed failed: {}", EscapeForLog(loaded.error().detail));
    } else if (*loaded) {
      const auto feed = vulns_->feed();
      log_->info("vulnerability feed {} ({}, {} entries) loaded and matched", feed->id, EscapeForLog(feed->name),
                 feed->entries);
    }
  }
}

Result<store::RetentionOutcome> Agents::ApplyRetention() {
  const int64_t now = UnixMillis(clock_->Now());
  RAMPART_CHECK(store_->TrimDeliveries(now - 7 * 86400 * 1000));  // finished deliveries stay visible a week
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
