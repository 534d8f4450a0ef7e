#pragma once
// Groups the records of one audit event by serial, as they arrive interleaved from the
// dispatcher. Pure (no clock: record times drive it), bounded.
//
// A group completes:
// - at its EOE record (the kernel ends every syscall event with one; EOE is not kept);
// - at once, when it starts with a user-space record (USER_*, CRED_*, LOGIN, DAEMON_*,
//   SERVICE_*, ANOM_*): those come one record per event and never get an EOE;
// - when a record arrives whose time is `stale_after_ms` past the group's (the EOE was lost:
//   auditd drops records under backlog pressure), counted in `incomplete()`;
// - when more than `max_pending` groups are open, the oldest first (also `incomplete()`);
// - at Drain().
// A group holds at most `max_records` records; later ones of it are dropped and counted.
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "audit/record.hpp"

namespace rampart::audit {

struct AssemblerLimits {
  size_t max_records = 64;
  size_t max_pending = 256;
  int64_t stale_after_ms = 2000;
};

class Assembler {
 public:
  using Group = std::vector<Record>;
  explicit Assembler(AssemblerLimits limits = {}) : limits_(limits) {}

  // Adds one record; appends the groups it completed (oldest serial first) to `out`.
  void Add(Record r, std::vector<Group>& out);
  // Completes every open group (shutdown, or a quiet source after `stale_after_ms`).
  void Drain(std::vector<Group>& out);
  // Completes the groups older than `time_ms - stale_after_ms` (a timer calls this with the
  // newest record time it saw, so a lone last event is not held forever).
  void Expire(int64_t time_ms, std::vector<Group>& out);

  size_t pending() const { return open_.size(); }
  uint64_t incomplete() const { return incomplete_; }
  uint64_t dropped_records() const { return dropped_records_; }

 private:
  struct Open {
    int64_t first_ms = 0;
    Group records;
  };
  void Complete(std::map<uint64_t, Open>::iterator it, std::vector<Group>& out, bool whole);

  AssemblerLimits limits_;
  std::map<uint64_t, Open> open_;  // by serial
  uint64_t incomplete_ = 0;
  uint64_t dropped_records_ = 0;
};

// Whether a record type is a user-space message that forms an event on its own.
bool IsStandaloneType(std::string_view type);

}  // namespace rampart::audit
