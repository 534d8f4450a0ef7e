#pragma once
// The audit collector: reads auditd's af_unix dispatcher socket (`format = string`: one record per
// line), groups records into events (audit/assembler.hpp), builds ingest events
// (audit/event.hpp) with this host's lookups, and hands them to the sink. It never owns the
// kernel's audit netlink socket: auditd does. When the socket is absent it retries every
// `retry` and reports itself STOPPED with the reason.
//
// The agent's own process is left out (its connections to the server would otherwise be events
// that make connections that make events).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "audit/assembler.hpp"
#include "audit/event.hpp"

namespace rampart::agent {

struct ModuleHealth {
  bool healthy = false;
  std::string status = "STOPPED";
  std::string detail;
};

class AuditSource {
 public:
  using Sink = std::function<void(boost::json::object)>;
  AuditSource(std::string socket_path, Sink sink, std::chrono::milliseconds retry = std::chrono::seconds(2));

  // Runs until `stop` is set: connect, read, assemble; reconnects after errors.
  void Run(const std::atomic<bool>& stop);
  // Feeds raw dispatcher bytes (a test seam; Run uses it too). Partial lines are kept for the next call.
  void Feed(std::string_view bytes);
  // Completes groups whose EOE is overdue by record time, and every open group once no byte came
  // for `idle` (a quiet host's last event is not held). Called by the daemon's loop.
  void Tick(std::chrono::steady_clock::time_point now, std::chrono::milliseconds idle = std::chrono::seconds(2));
  // Completes every open group (shutdown).
  void Drain();

  ModuleHealth health() const;
  uint64_t events() const { return events_; }
  uint64_t unparsed() const { return unparsed_; }
  uint64_t incomplete() const;

 private:
  void Emit(std::vector<audit::Assembler::Group>& groups);
  void SetHealth(bool healthy, std::string status, std::string detail);

  std::string path_;
  Sink sink_;
  std::chrono::milliseconds retry_;
  audit::Lookups lookups_;
  int64_t own_pid_;
  mutable std::mutex mu_;  // assembler_, partial_, health_
  audit::Assembler assembler_;
  std::string partial_;
  int64_t newest_ms_ = 0;
  std::chrono::steady_clock::time_point last_feed_ = std::chrono::steady_clock::now();
  ModuleHealth health_;
  std::atomic<uint64_t> events_{0}, unparsed_{0};
};

// The kernel's audit counters (AUDIT_GET over netlink): lost records and the current backlog.
// False when the kernel does not answer (no CAP_AUDIT_CONTROL, or audit not built in).
struct KernelAuditStatus {
  uint32_t enabled = 0, lost = 0, backlog = 0, backlog_limit = 0;
};
bool ReadKernelAuditStatus(KernelAuditStatus& out);

// This host's lookups: getpwuid_r for names, /proc/<pid>/exe for a parent's executable.
audit::Lookups HostLookups();

}  // namespace rampart::agent
