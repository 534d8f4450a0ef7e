#pragma once
// Sends the host's package inventory (docs/ingest.md "Inventory"): in full at start and once a
// day, and as a delta (added or changed packages, removed ones) within 30 s of dpkg's status
// file changing. A delta is always against the last inventory the server acknowledged; when the
// server has none (it answers needFull) the next send is full. Runs on the daemon's network
// thread.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "agent/audit_source.hpp"
#include "agent/client.hpp"
#include "agent/inventory.hpp"

namespace rampart::agent {

struct InventoryOptions {
  std::string status_path = "/var/lib/dpkg/status";
  std::string os_release_path = "/etc/os-release";
  int64_t check_interval_ms = 30000;
  int64_t full_interval_ms = 24 * 3600 * 1000;
};

class InventoryReporter {
 public:
  InventoryReporter(InventoryOptions o, IngestClient& client) : o_(std::move(o)), client_(client) {}
  // Sends what is due at `now_ms` (milliseconds of any monotonic or wall clock).
  void Tick(int64_t now_ms);
  // Thread-safe (the status writer reads them).
  ModuleHealth health() const {
    std::lock_guard lock(mu_);
    return health_;
  }
  uint64_t sent() const { return sent_; }

 private:
  bool Send(const std::vector<Package>& now, bool full);
  InventoryOptions o_;
  IngestClient& client_;
  std::vector<Package> acked_;  // the server's copy
  bool have_base_ = false;
  int64_t next_check_ = 0, next_full_ = 0;
  int64_t status_mtime_ns_ = -1, status_size_ = -1;
  size_t skipped_ = 0;
  std::atomic<uint64_t> sent_{0};
  void SetHealth(ModuleHealth h) {
    std::lock_guard lock(mu_);
    health_ = std::move(h);
  }
  mutable std::mutex mu_;
  ModuleHealth health_{false, "STARTING", "no inventory sent yet"};
};

}  // namespace rampart::agent
