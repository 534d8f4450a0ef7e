#include "http/deadlines.hpp"

#include <boost/asio/post.hpp>

#include <utility>
#include <vector>

namespace rampart::http {
namespace {

void Cut(const std::shared_ptr<Watch>& watch, uint64_t generation) {
  if (watch->generation != generation || !watch->cancel) return;  // the wait finished first
  watch->timed_out = true;
  watch->cancel();
}

}  // namespace

void Arm(const std::shared_ptr<Watch>& watch, boost::asio::steady_timer& t, std::chrono::milliseconds d) {
  t.expires_after(d);
  t.async_wait([watch, my_generation = watch->generation](const boost::system::error_code& ec) {
    if (!ec) Cut(watch, my_generation);
  });
}

void IdleWaits::Begin(Watch& w, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  if (w.idle_) return;
  w.idle_ = true;
  w.idle_since_ = now;
  w.prev_ = tail_;
  w.next_ = nullptr;
  (tail_ ? tail_->next_ : head_) = &w;
  tail_ = &w;
  ++size_;
}

void IdleWaits::End(Watch& w) {
  std::lock_guard lock(mu_);
  if (!w.idle_) return;
  (w.prev_ ? w.prev_->next_ : head_) = w.next_;
  (w.next_ ? w.next_->prev_ : tail_) = w.prev_;
  w.prev_ = w.next_ = nullptr;
  w.idle_ = false;
  --size_;
}

size_t IdleWaits::Expire(std::chrono::steady_clock::time_point cutoff) {
  std::vector<std::pair<std::shared_ptr<Watch>, uint64_t>> due;
  {
    std::lock_guard lock(mu_);
    // Waits are appended as they begin, so the list is in order of idle_since_.
    while (head_ && head_->idle_since_ <= cutoff) {
      Watch& w = *head_;
      head_ = w.next_;
      (head_ ? head_->prev_ : tail_) = nullptr;
      w.prev_ = w.next_ = nullptr;
      w.idle_ = false;
      --size_;
      // Alive: a connection ends its wait (under this lock) before its Watch can go.
      due.emplace_back(w.shared_from_this(), w.generation);
    }
  }
  for (auto& [watch, generation] : due) {
    boost::asio::any_io_executor ex = watch->executor;
    boost::asio::post(ex, [watch = std::move(watch), generation] { Cut(watch, generation); });
  }
  return due.size();
}

size_t IdleWaits::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

}  // namespace rampart::http
