#pragma once
// Fixed-window request limits per key (organization id, client IP), with an optional lockout for
// keys that go over. Exact at the boundary: with limit N, request N+1 inside a window is the first
// refusal. O(1) per request; memory is bounded by an LRU per shard (an evicted key simply starts
// a fresh window). Time comes from the injected Clock. Thread-safe. The in-process Limiter
// (limiter.hpp).
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "ratelimit/limiter.hpp"

namespace rampart::ratelimit {

struct LimitConfig {
  uint32_t limit = 200;
  std::chrono::milliseconds window{60000};
  std::chrono::milliseconds lockout{0};  // 0: refusals end with the window
};

// The in-process Limiter: decides at once, always.
class KeyedLimiter final : public Limiter {
 public:
  KeyedLimiter(LimitConfig cfg, const Clock& clock, size_t capacity, size_t shards = 16);
  Decision Take(std::string_view key);
  size_t size() const;

  std::optional<Decision> TryTake(std::string_view key) override { return Take(key); }
  boost::asio::awaitable<Decision> TakeAsync(std::string key) override { co_return Take(key); }

 private:
  struct Entry {
    std::string key;
    int64_t window_start_ms = 0;
    uint32_t count = 0;
    int64_t locked_until_ms = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // most recent first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into lru keys
  };
  Entry& Touch(Shard& s, std::string_view key, int64_t now_ms);

  const LimitConfig cfg_;
  const Clock& clock_;
  const size_t per_shard_capacity_;
  std::vector<Shard> shards_;
};

// The more restrictive of two decisions (for the x-rate-limit-* headers of one response).
Decision Tighter(const Decision& a, const Decision& b);

}  // namespace rampart::ratelimit
