#pragma once
// Whether enrolled agents are alive (docs/ingest.md "Status"): an agent is `online` while its
// heartbeats (or batches) arrive and `offline` once none came for `offline_after_ms` (default
// 2 minutes). What heartbeats carry — module health, counters, host facts — and the time of the
// last one are kept in memory and written to the agents' documents by Flush(), which the server
// runs every `flush_interval_ms` (at most 60 s). A change people look at — status, a module's
// health, status or detail, a host fact — is written by the next flush; what changes on every
// heartbeat — lastReportedAt and the counters — at most every `routine_flush_ms` (60 s) per
// agent, so 10,000 agents cost 167 writes a second rather than one per heartbeat. None of it is
// under the per-request durability promise (a kill -9 loses at most one interval). The
// organization's agent listing is refreshed after each flush. A heartbeat that repeats the
// agent's last one byte for byte (the usual case; up to 1 KiB is remembered per agent) is not
// parsed again: it only moves the time.
//
// Heartbeat body: {"modules":{"<name>":{"healthy":bool,"status":"RUNNING","detail":"…"},…},
// "counters":{"<name>":<non-negative integer>,…}, "host":{hostname, kernel, osVersion, version,
// ipAddresses, instanceId} (each optional)}.
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json/object.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "ingest/agent_keys.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"

namespace rampart::ingest {

class Liveness {
 public:
  Liveness(store::Store& store, telemetry::AgentDirectory& directory, const Clock& clock, int64_t offline_after_ms,
           int64_t routine_flush_ms = 60000)
      : store_(store), directory_(directory), clock_(clock), offline_after_ms_(offline_after_ms),
        routine_flush_ms_(routine_flush_ms) {}

  // Every enrolled agent is tracked from start as if heard from now: one that stays silent for
  // the threshold goes offline (blocking).
  Result<void> Prime();
  // Any authenticated request of the agent (non-blocking).
  void Seen(const AgentIdentity& agent);
  // A heartbeat: Invalid naming the field for a bad body (non-blocking).
  Result<void> Heartbeat(const AgentIdentity& agent, std::string_view body);
  void Forget(const std::string& agent_id);
  // Writes what changed since the last flush (blocking). Returns how many agents it wrote.
  Result<size_t> Flush();

 private:
  struct State {
    std::string org_id;
    int64_t last_seen_ms = 0;
    int64_t flushed_seen_ms = 0;      // last_seen_ms as of the last flush
    bool online_written = false;      // the stored status is online
    int64_t flushed_at_ms = 0;        // when this agent was last written
    bool health_dirty = false;        // health, counters or host facts differ from what was written
    bool visible_change = false;      // …in a way people look at (modules or host facts)
    uint64_t changes = 0;             // counts the changes above: a flush clears what it wrote
    boost::json::object health;       // agentModuleHealth
    boost::json::object host;         // facts a heartbeat reported
    std::string last_body;            // the last valid heartbeat's bytes, if short; else empty
  };
  store::Store& store_;
  telemetry::AgentDirectory& directory_;
  const Clock& clock_;
  const int64_t offline_after_ms_;
  const int64_t routine_flush_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, State> agents_;
};

}  // namespace rampart::ingest
