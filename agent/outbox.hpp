#pragma once
// The batches on their way to the server: the disk spool (spool.hpp) plus the numbering of
// batches, shared by the thread that cuts batches and the one that sends them.
//
// Sequence numbers are reserved in blocks of kSeqBlock and saved in the state file before any
// of them is used: after a crash the next start continues above every number a batch may have
// been sent with (the server answers a reused number as a duplicate and stores nothing).
// Thread-safe.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "agent/spool.hpp"
#include "agent/state.hpp"
#include "base/result.hpp"

namespace rampart::agent {

class Outbox {
 public:
  static constexpr int64_t kSeqBlock = 1000;

  Outbox(std::string state_dir, State state, Spool spool);

  // Spools `batch` (gzip JSON lines) under the next number. An error leaves nothing spooled:
  // the state could not be saved or the spool could not write.
  Result<void> Add(const std::string& batch);
  // The oldest spooled batch and its number.
  std::optional<std::pair<int64_t, std::string>> Oldest();
  // The server acknowledged `seq`.
  void Acked(int64_t seq);
  // The server refused batch `seq` as bad input (400, 413): a batch of more than one event is
  // replaced by its two halves under new numbers (sent later, so one bad event costs only
  // itself); true when it was split, false when it held one event (or could not be read) and
  // was dropped. An error (state or spool) leaves the batch as it was.
  Result<bool> Split(int64_t seq, const std::string& batch);

  size_t size() const;
  uint64_t dropped() const;
  int64_t heartbeat_interval_s() const { return heartbeat_interval_s_; }

 private:
  Result<int64_t> TakeSeqLocked();
  const std::string state_dir_;
  const int64_t heartbeat_interval_s_;
  mutable std::mutex mu_;
  State state_;
  Spool spool_;
  int64_t next_seq_ = 0;
};

}  // namespace rampart::agent
