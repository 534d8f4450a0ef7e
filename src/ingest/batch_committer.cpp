#include "ingest/batch_committer.hpp"

#include <string>

namespace rampart::ingest {

Result<store::BatchOutcome> BatchCommitter::Commit(const store::EventBatch& batch, std::unique_lock<std::mutex>& held) {
  Waiter me{&batch, std::nullopt};
  std::unique_lock lock(mu_);  // taken under `held`: the queue's order is the evaluation order
  queue_.push_back(&me);
  if (held.owns_lock()) held.unlock();
  while (!me.result) {
    if (writing_) {
      cv_.wait(lock);
    } else {
      WriteGroup(lock);
    }
  }
  return std::move(*me.result);
}

// Called with `lock` held and no group being written; returns with it held.
void BatchCommitter::WriteGroup(std::unique_lock<std::mutex>& lock) {
  std::vector<Waiter*> group;
  size_t events = 0;
  while (!queue_.empty() && (group.empty() || events + queue_.front()->batch->events.size() <= max_events_)) {
    events += queue_.front()->batch->events.size();
    group.push_back(queue_.front());
    queue_.pop_front();
  }
  std::vector<const store::EventBatch*> batches;
  batches.reserve(group.size());
  for (const Waiter* w : group) batches.push_back(w->batch);
  writing_ = true;
  lock.unlock();
  auto written = write_(batches);
  lock.lock();
  writing_ = false;
  for (size_t i = 0; i < group.size(); ++i) {
    if (!written) {
      group[i]->result = written.error();
    } else if (written->size() != group.size()) {
      group[i]->result = Error::Internal("the store answered for " + std::to_string(written->size()) + " of " +
                                         std::to_string(group.size()) + " batches");
    } else {
      group[i]->result = (*written)[i];
    }
  }
  cv_.notify_all();
}

}  // namespace rampart::ingest
