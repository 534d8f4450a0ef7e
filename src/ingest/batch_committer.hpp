#pragma once
// Group commit for event batches (docs/decisions.md, "Group commit and the write path"). Batches
// are queued in the order their callers evaluated them; whichever caller finds no group being
// written takes every queued batch (up to a cap) and writes them in one transaction, while the
// batches that arrive meanwhile queue for the next. Each caller returns once its own batch's
// group is durable, with its outcome, or with the group's error (then nothing of the group was
// stored). One fsync then covers several batches, and a caller's rule evaluation no longer waits
// for another's fsync. Blocking: call on the blocking pool.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "base/result.hpp"
#include "store/agent_records.hpp"

namespace rampart::ingest {

class BatchCommitter {
 public:
  // Stores batches in order, all or none (store::AgentStore::StoreBatches).
  using Write = std::function<Result<std::vector<store::BatchOutcome>>(std::span<const store::EventBatch* const>)>;
  // A group holds at most `max_events` events (and always at least one batch).
  explicit BatchCommitter(Write write, size_t max_events = 20000) : write_(std::move(write)), max_events_(max_events) {}

  // Queues `batch`, then releases `held` (the lock that ordered the caller's evaluation, so
  // batches are stored in the order they were evaluated), and blocks until the batch's group
  // is written. `batch` must stay valid until then.
  Result<store::BatchOutcome> Commit(const store::EventBatch& batch, std::unique_lock<std::mutex>& held);

 private:
  struct Waiter {
    const store::EventBatch* batch;
    std::optional<Result<store::BatchOutcome>> result;
  };
  void WriteGroup(std::unique_lock<std::mutex>& lock);

  const Write write_;
  const size_t max_events_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Waiter*> queue_;
  bool writing_ = false;
};

}  // namespace rampart::ingest
