#include "ratelimit/keyed_limiter.hpp"

#include <algorithm>
#include <functional>

namespace rampart::ratelimit {

KeyedLimiter::KeyedLimiter(LimitConfig cfg, const Clock& clock, size_t capacity, size_t shards)
    : cfg_(cfg), clock_(clock),
      per_shard_capacity_(std::max<size_t>(1, capacity / std::max<size_t>(1, shards))),
      shards_(std::max<size_t>(1, shards)) {}

KeyedLimiter::Entry& KeyedLimiter::Touch(Shard& s, std::string_view key, int64_t now_ms) {
  if (auto it = s.index.find(key); it != s.index.end()) {
    s.lru.splice(s.lru.begin(), s.lru, it->second);
    return s.lru.front();
  }
  if (s.index.size() >= per_shard_capacity_) {  // evict the least recently seen key
    s.index.erase(s.lru.back().key);
    s.lru.pop_back();
  }
  s.lru.push_front(Entry{std::string(key), now_ms, 0, 0});
  s.index.emplace(s.lru.front().key, s.lru.begin());
  return s.lru.front();
}

Decision KeyedLimiter::Take(std::string_view key) {
  const int64_t now = UnixMillis(clock_.Now());
  const int64_t window = cfg_.window.count();
  Shard& s = shards_[std::hash<std::string_view>()(key) % shards_.size()];
  std::lock_guard lock(s.mu);
  Entry& e = Touch(s, key, now);
  Decision d{false, cfg_.limit, 0, 0};
  if (e.locked_until_ms > now) {
    d.reset_ms = e.locked_until_ms - now;
    return d;
  }
  if (now >= e.window_start_ms + window) {
    e.window_start_ms = now;
    e.count = 0;
  }
  d.reset_ms = e.window_start_ms + window - now;
  if (e.count < cfg_.limit) {
    ++e.count;
    d.allowed = true;
    d.remaining = cfg_.limit - e.count;
    return d;
  }
  if (cfg_.lockout.count() > 0) {
    e.locked_until_ms = now + cfg_.lockout.count();
    d.reset_ms = cfg_.lockout.count();
  }
  return d;
}

size_t KeyedLimiter::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.index.size();
  }
  return n;
}

Decision Tighter(const Decision& a, const Decision& b) {
  if (a.allowed != b.allowed) return a.allowed ? b : a;
  if (!a.allowed) return a.reset_ms >= b.reset_ms ? a : b;  // refused: the later end matters
  return a.remaining <= b.remaining ? a : b;
}

}  // namespace rampart::ratelimit
