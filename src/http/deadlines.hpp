#pragma once
// How the server (server.cpp) cuts one connection's waits. A cut cancels the socket's operations
// without closing it, so a 408 can still be written.
//  - A read already on its way (a slow head or body) gets its own timer: Arm().
//  - A kept connection waiting for its next request is in IdleWaits, ordered by when its wait
//    began; one sweep every so often ends the waits older than the keep-alive timeout. A timer per
//    wait cost, on every request, a heap insert among all kept connections' timers, its
//    cancellation, and the cancelled handler's trip through the scheduler.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace rampart::http {

// What a connection's cuts share with it. A cut may already be queued when the connection's
// frame ends, so cuts hold this, never the frame; `cancel` is cleared when the frame goes.
struct Watch : std::enable_shared_from_this<Watch> {
  uint64_t generation = 0;  // a cut meant for an earlier wait must not touch the next one
  bool timed_out = false;
  std::function<void()> cancel;          // only called on `executor`
  boost::asio::any_io_executor executor;  // the connection's
 private:
  friend class IdleWaits;  // its list, guarded by its mutex
  Watch* prev_ = nullptr;
  Watch* next_ = nullptr;
  bool idle_ = false;
  std::chrono::steady_clock::time_point idle_since_;
};

// Starts a new wait: `t` cuts the connection after `d` unless a newer wait began first.
void Arm(const std::shared_ptr<Watch>& watch, boost::asio::steady_timer& t, std::chrono::milliseconds d);

// Kept connections waiting for their next request, oldest wait first. Thread-safe.
class IdleWaits {
 public:
  // `w` (of a live connection, generation already advanced for this wait) begins waiting now.
  void Begin(Watch& w, std::chrono::steady_clock::time_point now);
  // Its wait ended (a request came, or the connection ends). A no-op if not waiting.
  void End(Watch& w);
  // Cuts, each on its connection's executor, the waits that began at or before `cutoff`.
  // Returns how many.
  size_t Expire(std::chrono::steady_clock::time_point cutoff);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  Watch* head_ = nullptr;  // the oldest wait
  Watch* tail_ = nullptr;
  size_t size_ = 0;
};

}  // namespace rampart::http
