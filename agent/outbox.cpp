#include "agent/outbox.hpp"

#include <algorithm>

#include "agent/batcher.hpp"

namespace rampart::agent {

Outbox::Outbox(std::string state_dir, State state, Spool spool)
    : state_dir_(std::move(state_dir)), heartbeat_interval_s_(state.heartbeat_interval_s), state_(std::move(state)),
      spool_(std::move(spool)) {
  next_seq_ = std::max(state_.next_seq, spool_.last_seq() + 1);
  state_.next_seq = next_seq_;  // nothing reserved yet: the first use saves a block
}

Result<int64_t> Outbox::TakeSeqLocked() {
  if (next_seq_ >= state_.next_seq) {
    State next = state_;
    next.next_seq = next_seq_ + kSeqBlock;
    RAMPART_CHECK(SaveState(state_dir_, next));
    state_ = std::move(next);
  }
  return next_seq_++;
}

Result<void> Outbox::Add(const std::string& batch) {
  std::lock_guard lock(mu_);
  const int64_t before = next_seq_;
  RAMPART_TRY(seq, TakeSeqLocked());
  if (auto pushed = spool_.Push(seq, batch); !pushed) {
    next_seq_ = before;  // unused: the number may be taken again
    return pushed.error();
  }
  return {};
}

std::optional<std::pair<int64_t, std::string>> Outbox::Oldest() {
  std::lock_guard lock(mu_);
  return spool_.Oldest();
}

void Outbox::Acked(int64_t seq) {
  std::lock_guard lock(mu_);
  spool_.Remove(seq);
}

Result<bool> Outbox::Split(int64_t seq, const std::string& batch) {
  const std::string text = Gunzip(batch);
  size_t lines = 0, middle = 0;
  for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos; ++at) ++lines;
  if (lines > 1) {
    size_t seen = 0;
    for (size_t at = 0; seen < lines / 2; ++at) {
      at = text.find('\n', at);
      ++seen;
      middle = at + 1;
    }
  }
  std::lock_guard lock(mu_);
  if (lines <= 1) {
    spool_.Remove(seq);
    return false;
  }
  const int64_t before = next_seq_;
  RAMPART_TRY(first, TakeSeqLocked());
  RAMPART_TRY(second, TakeSeqLocked());
  auto a = spool_.Push(first, Gzip(text.substr(0, middle)));
  auto b = a ? spool_.Push(second, Gzip(text.substr(middle))) : a;
  if (!a || !b) {
    spool_.Remove(first);
    spool_.Remove(second);
    next_seq_ = before;
    return !a ? a.error() : b.error();
  }
  spool_.Remove(seq);
  return true;
}

size_t Outbox::size() const {
  std::lock_guard lock(mu_);
  return spool_.size();
}

uint64_t Outbox::dropped() const {
  std::lock_guard lock(mu_);
  return spool_.dropped();
}

}  // namespace rampart::agent
