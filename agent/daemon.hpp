#pragma once
// `rampart-agent run`: the collectors on their threads (audit, file integrity), on this one the
// loop that cuts batches into the spool (outbox.hpp), and on a network thread the sending of the
// spool oldest first, heartbeats and config reads. Delivery is at-least-once: a batch leaves the
// spool only when the server acknowledged its sequence number (the server stores it once).
// Failures back off exponentially with jitter (1 s to 60 s, or the server's Retry-After); a batch
// the server refuses as bad input (a signed 400/413) is split in halves until the one bad event
// is alone, and that one is dropped and counted rather than retried forever. The daemon writes
// `DIR/status.json` (module health and counters) for `rampart-agent status`.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "agent/inventory_reporter.hpp"
#include "agent/state.hpp"
#include "base/clock.hpp"

namespace rampart::agent {

struct DaemonOptions {
  std::string state_dir = kDefaultStateDir;
  std::string audit_socket = "/var/run/audispd_events";
  uint64_t spool_cap_bytes = 256ull << 20;
  size_t batch_events = 500;
  std::chrono::milliseconds batch_interval{1000};
  size_t queue_cap = 100000;
  std::chrono::seconds config_interval{60};
  bool audit = true;  // false: no audit collector (hosts where auditd is not wanted)
  bool inventory = true;  // false: no package inventory
  InventoryOptions inventory_options = {};
};

// Runs until `stop`; returns a process exit code (0 after a clean stop).
int RunDaemon(const DaemonOptions& opts, const Clock& clock, const std::atomic<bool>& stop);

// `rampart-agent status`: the daemon's last status.json, printed like `tsagent status`; 0 when
// it is running and every module is healthy, 1 when a module is not, 3 when it is not running.
int PrintStatus(const std::string& state_dir, const Clock& clock);

}  // namespace rampart::agent
