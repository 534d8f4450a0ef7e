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
  bool fail_next = false;
  BatchCommitter::Write Fn() {
    return [this](std::span<const EventBatch* const> batches) -> Result<std::vector<BatchOutcome>> {
      bool first;
      bool fail;
      {
        std::lock_guard lock(mu);
        first = groups.empty();
        groups.emplace_back();
        for (const EventBatch* b : batches) groups.back().push_back(b->batch_seq);
        fail = std::exchange(fail_next, false);
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

TEST(BatchCommitter, BatchesThatArriveDuringAWriteAreWrittenTogetherInOrder) {
  GatedWrite w;
  BatchCommitter c(w.Fn());
  std::mutex order;
  const EventBatch b1 = Batch(1), b2 = Batch(2), b3 = Batch(3), b4 = Batch(4);
  auto r1 = Queue(c, order, b1);
  w.entered.get_future().wait();  // b1's group is being written
  auto r2 = Queue(c, order, b2);
  auto r3 = Queue(c, order, b3);
  auto r4 = Queue(c, order, b4);
  w.gate.set_value();
  EXPECT_EQ(r1.get()->evicted, 1);
  EXPECT_EQ(r2.get()->evicted, 2);  // each caller gets its own batch's outcome
  EXPECT_EQ(r3.get()->evicted, 3);
  EXPECT_EQ(r4.get()->evicted, 4);
  EXPECT_EQ(w.groups, (std::vector<std::vector<int64_t>>{{1}, {2, 3, 4}}));
}

TEST(BatchCommitter, AFailedGroupFailsItsCallersAndTheNextGroupIsWritten) {
  GatedWrite w;
  BatchCommitter c(w.Fn());
  std::mutex order;
  const EventBatch b1 = Batch(1), b2 = Batch(2), b3 = Batch(3), b4 = Batch(4);
  auto r1 = Queue(c, order, b1);
  w.entered.get_future().wait();
  {
    std::lock_guard lock(w.mu);
    w.fail_next = true;  // the group after b1's
  }
  auto r2 = Queue(c, order, b2);
  auto r3 = Queue(c, order, b3);
  w.gate.set_value();
  EXPECT_TRUE(r1.get());
  auto e2 = r2.get(), e3 = r3.get();
  ASSERT_FALSE(e2);
  ASSERT_FALSE(e3);
  EXPECT_EQ(e2.error().code, Errc::kUnavailable);
  EXPECT_EQ(e3.error().code, Errc::kUnavailable);
  EXPECT_EQ(Queue(c, order, b4).get()->evicted, 4);
}

TEST(BatchCommitter, AGroupStopsAtItsEventCapButHoldsAtLeastOneBatch) {
  GatedWrite w;
  BatchCommitter c(w.Fn(), /*max_events=*/10);
  std::mutex order;
  const EventBatch b1 = Batch(1), b2 = Batch(2, 6), b3 = Batch(3, 4), b4 = Batch(4, 1), b5 = Batch(5, 50);
  auto r1 = Queue(c, order, b1);
  w.entered.get_future().wait();
  auto r2 = Queue(c, order, b2);
  auto r3 = Queue(c, order, b3);
  auto r4 = Queue(c, order, b4);
  auto r5 = Queue(c, order, b5);
  w.gate.set_value();
  for (auto* r : {&r1, &r2, &r3, &r4, &r5}) EXPECT_TRUE(r->get());
  EXPECT_EQ(w.groups, (std::vector<std::vector<int64_t>>{{1}, {2, 3}, {4}, {5}}));
}

}  // namespace
}  // namespace rampart::ingest
