#pragma once
// Events waiting to be sent: a bounded queue (past its caps the newest are refused and counted,
// so a flood cannot take the host's memory), cut into gzip JSON-lines batches.
#include <boost/json/object.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace rampart::agent {

class EventQueue {
 public:
  // At most `cap` events and `cap_bytes` of them.
  explicit EventQueue(size_t cap, size_t cap_bytes = 64 << 20) : cap_(cap), cap_bytes_(cap_bytes) {}
  void Push(const boost::json::object& event);  // thread-safe
  size_t size() const;
  uint64_t dropped() const;
  // The oldest events, up to `max` of them and `max_bytes` of text (at least one), as one gzip
  // JSON-lines body, left in the queue; "" when empty. Pop(n) removes them once they are safe.
  std::string PeekBatch(size_t max, size_t max_bytes, size_t* count);
  void Pop(size_t n);
  // PeekBatch and Pop together (tests).
  std::string CutBatch(size_t max, size_t* count = nullptr);

 private:
  size_t cap_, cap_bytes_, bytes_ = 0;
  mutable std::mutex mu_;
  std::deque<std::string> lines_;
  uint64_t dropped_ = 0;
};

std::string Gzip(const std::string& data);
std::string Gunzip(const std::string& data);  // "" on error; only for the agent's own batches (unbounded)

}  // namespace rampart::agent
