#pragma once
// What happens to an agent's batch (docs/ingest.md): decoded and checked (batch.hpp), run through
// the organization's rules engine (rules/engine.hpp) with the rules of the agent's rulesets, and
// stored — its events, the alerts it opened and the events it attached to open alerts — in one
// transaction, once: a batch whose sequence number was stored before is acknowledged and neither
// evaluated nor stored again. Batches evaluated while others commit are stored together
// (batch_committer.hpp), in the order they were evaluated. Each organization has one engine, compiled from its stored rules
// on first use and again after its rules change; its buckets live in memory (a restart starts
// every window over). Blocking: call on the blocking pool.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "ingest/agent_keys.hpp"
#include "ingest/batch_committer.hpp"
#include "ingest/batch.hpp"
#include "rules/engine.hpp"
#include "store/store.hpp"

namespace rampart::ingest {

struct PipelineConfig {
  BatchLimits limits = {};
  int64_t max_org_events = 10'000'000;
  int64_t max_alert_events = static_cast<int64_t>(rules::kMaxEventsPerAlert);
};

struct Ack {
  int64_t seq = 0;
  size_t accepted = 0;     // events stored (0 for a duplicate)
  bool duplicate = false;
  size_t alerts_opened = 0;
};

struct RuleState {
  std::string id;
  std::optional<std::string> filter_error;  // the rule never fires
  uint64_t suppressed = 0;                   // events its suppressions kept from counting
};

struct PipelineCounters {
  uint64_t events = 0, batches = 0, duplicates = 0, evicted = 0, alerts = 0;
};

class Pipeline {
 public:
  using AlertsHook = std::function<void(const std::string& org_id, const std::vector<store::AlertRecord>& opened)>;
  Pipeline(store::Store& store, const Clock& clock, PipelineConfig cfg)
      : store_(store),
        clock_(clock),
        cfg_(cfg),
        committer_([&store](std::span<const store::EventBatch* const> b) { return store.StoreBatches(b); }) {}
  // Told of the alerts each stored batch opened (after the commit): alert delivery.
  void SetAlertsHook(AlertsHook h) { on_alerts_ = std::move(h); }

  Result<Ack> Ingest(const AgentIdentity& agent, int64_t seq, std::string_view body, bool gzip);
  // The organization's rules changed: its engine is compiled again on next use.
  void RulesChanged(const std::string& org_id);
  // The agent's hostname may have changed (re-enrollment).
  void ForgetAgent(const std::string& agent_id);
  // `{"heartbeatIntervalSeconds", "fileIntegrity":{"paths":[{path,recursive}],"ignoreFiles":[…],
  // "events":[…]}, "rulesets":[…]}`: what the agent's File rules watch.
  Result<std::string> ConfigFor(const AgentIdentity& agent);
  // The organization's rules as its engine sees them.
  Result<std::vector<RuleState>> RuleStates(const std::string& org_id);
  PipelineCounters counters() const;

 private:
  struct OrgEngine {
    std::mutex mu;
    bool loaded = false;
    rules::Engine engine;
  };
  std::shared_ptr<OrgEngine> EngineOf(const std::string& org_id);
  Result<void> Load(const std::string& org_id, OrgEngine& e);
  Result<std::string> HostnameOf(const AgentIdentity& agent);

  store::Store& store_;
  const Clock& clock_;
  const PipelineConfig cfg_;
  AlertsHook on_alerts_;
  BatchCommitter committer_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<OrgEngine>> engines_;
  std::unordered_map<std::string, std::string> hostnames_;
  PipelineCounters counters_;
};

// How a stored rule runs in the engine: Host rules see audit, login, host and network events,
// File rules file events; other types are kept but never run here.
rules::RuleSpec SpecOf(const store::RuleRecord& r);

// An alert's id: a UUID made from the organization and the engine's alert key, so an attach finds
// the alert its open made.
std::string AlertIdOf(const std::string& org_id, const std::string& alert_key);

}  // namespace rampart::ingest
