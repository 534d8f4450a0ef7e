#pragma once
// Events waiting to be sent: a bounded queue (past `cap` the newest are refused and counted, so
// a flood cannot take the host's memory), cut into gzip JSON-lines batches.
#include <boost/json/object.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace rampart::agent {

class EventQueue {
 public:
  explicit EventQueue(size_t cap) : cap_(cap) {}
  void Push(const boost::json::object& event);  // thread-safe
  size_t size() const;
  uint64_t dropped() const;
  // Up to `max` events as one gzip JSON-lines body; "" when empty.
  std::string CutBatch(size_t max, size_t* count = nullptr);

 private:
  size_t cap_;
  mutable std::mutex mu_;
  std::deque<std::string> lines_;
  uint64_t dropped_ = 0;
};

std::string Gzip(const std::string& data);
std::string Gunzip(const std::string& data);  // for tests; "" on error

}  // namespace rampart::agent
