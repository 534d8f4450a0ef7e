#pragma once
// What the request path asks of a rate limiter, whatever keeps the counts: this process
// (KeyedLimiter) or a store several instances share (Redis, later). A limiter that can decide
// without waiting answers TryTake at once; one that must ask elsewhere returns nullopt there, and
// the caller awaits TakeAsync instead (an I/O thread never blocks on a shared store).
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::ratelimit {

struct Decision {
  bool allowed = true;
  uint32_t limit = 0;
  uint32_t remaining = 0;
  int64_t reset_ms = 0;  // milliseconds until the window (or lockout) ends
};

class Limiter {
 public:
  virtual ~Limiter() = default;
  // Counts one request against `key` and decides, when it can without waiting.
  virtual std::optional<Decision> TryTake(std::string_view key) = 0;
  // Counts and decides, waiting for a shared backend if need be.
  virtual boost::asio::awaitable<Decision> TakeAsync(std::string key) = 0;
};

}  // namespace rampart::ratelimit
