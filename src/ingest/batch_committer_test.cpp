#include "ingest/batch_committer.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

namespace rampart::ingest {
namespace {

using store::BatchOutcome;
using store::EventBatch;

EventBatch Batch(int64_t seq, size_t events = 1) {
  EventBatch b{.org_id = "org", .agent_id = "ag", .batch_seq = seq, .at_ms = 1};
  b.events.resize(events);
  return b;
}

// A store write that records each group's sequence numbers and, while `gate` is closed, holds
// the first group so that others queue behind it.
struct GatedWrite {
  std::mutex mu;
  std::vector<std::vector<int64_t>> groups;
  std::promise<void> entered, gate;
  size_t fail_group = SIZE_MAX;  // the index of the group that fails
  BatchCommitter::Write Fn() {
    return [this](std::span<const EventBatch* const> batches) -> Result<std::vector<BatchOutcome>> {
      bool first;
      bool fail;
      {
        std::lock_guard lock(mu);
        first = groups.empty();
        groups.emplace_back();
        for (const EventBatch* b : batches) groups.back().push_back(b->batch_seq);
        fail = groups.size() - 1 == fail_group;
      }
      if (first) {
        entered.set_value();
        gate.get_future().wait();
      }
      if (fail) return Error::Unavailable("disk full");
      std::vector<BatchOutcome> out(batches.size());
      for (size_t i = 0; i < batches.size(); ++i) out[i].evicted = batches[i]->batch_seq;  // names the batch
      return out;
    };
  }
};

// Starts a caller that queues `b` and waits; returns once it is queued (it released `order`).
std::future<Result<BatchOutcome>> Queue(BatchCommitter& c, std::mutex& order, const EventBatch& b) {
  std::promise<void> holding;
  auto held = holding.get_future();
  auto done = std::async(std::launch::async, [&c, &order, &b, p = std::move(holding)]() mutable {
    std::unique_lock lock(order);
    p.set_value();
    return c.Commit(b, lock);
  });
  held.wait();
  std::lock_guard queued(order);  // free again only once the caller's batch is in the queue
  return done;
}

// Queues `batches[0]`, waits until its group is being written (held by the gate), queues the
// others behind it in order, then opens the gate. One future per batch.
std::vector<std::future<Result<BatchOutcome>>> QueueBehindAWrite(BatchCommitter& c, GatedWrite& w,
                                                                 const std::vector<EventBatch>& batches) {
  std::mutex order;
  std::vector<std::future<Result<BatchOutcome>>> out;
  out.push_back(Queue(c, order, batches[0]));
  w.entered.get_future().wait();
  for (size_t i = 1; i < batches.size(); ++i) out.push_back(Queue(c, order, batches[i]));
  w.gate.set_value();
  return out;
}

TEST(BatchCommitter, BatchesThatArriveDuringAWriteAreWrittenTogetherInOrder) {
  GatedWrite w;
  BatchCommitter c(w.Fn());
  const std::vector<EventBatch> batches = {Batch(1), Batch(2), Batch(3), Batch(4)};
  auto r = QueueBehindAWrite(c, w, batches);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(r[i].get()->evicted, i + 1);  // each caller gets its own batch's outcome
  EXPECT_EQ(w.groups, (std::vector<std::vector<int64_t>>{{1}, {2, 3, 4}}));
}

TEST(BatchCommitter, AFailedGroupFailsItsCallersAndTheNextGroupIsWritten) {
  GatedWrite w;
  w.fail_group = 1;  // the group after b1's
  BatchCommitter c(w.Fn());
  const std::vector<EventBatch> batches = {Batch(1), Batch(2), Batch(3)};
  auto r = QueueBehindAWrite(c, w, batches);
  EXPECT_TRUE(r[0].get());
  auto e2 = r[1].get(), e3 = r[2].get();
  ASSERT_FALSE(e2);
  ASSERT_FALSE(e3);
  EXPECT_EQ(e2.error().code, Errc::kUnavailable);
  EXPECT_EQ(e3.error().code, Errc::kUnavailable);
  std::mutex order;
  const EventBatch b4 = Batch(4);
  EXPECT_EQ(Queue(c, order, b4).get()->evicted, 4);
}

TEST(BatchCommitter, AGroupStopsAtItsEventCapButHoldsAtLeastOneBatch) {
  GatedWrite w;
  BatchCommitter c(w.Fn(), /*max_events=*/10);
  const std::vector<EventBatch> batches = {Batch(1), Batch(2, 6), Batch(3, 4), Batch(4, 1), Batch(5, 50)};
  for (auto& r : QueueBehindAWrite(c, w, batches)) EXPECT_TRUE(r.get());
  EXPECT_EQ(w.groups, (std::vector<std::vector<int64_t>>{{1}, {2, 3}, {4}, {5}}));
}

}  // namespace
}  // namespace rampart::ingest
