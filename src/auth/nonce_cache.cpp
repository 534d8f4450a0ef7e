#include "auth/nonce_cache.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>

#include "crypto/crypto.hpp"

namespace rampart::auth {
namespace {
template <class T>
using HeapCmp = std::greater<T>;
}

NonceCache::NonceCache(size_t capacity, size_t shards, size_t per_scope_capacity)
    : per_shard_capacity_(std::max<size_t>(1, capacity / std::max<size_t>(1, shards))),
      per_shard_scope_capacity_(std::max<size_t>(
          1, (per_scope_capacity ? per_scope_capacity : capacity / 4) / std::max<size_t>(1, shards))),
      shards_(std::max<size_t>(1, shards)) {
  crypto::RandomBytes(seed_);
}

uint64_t NonceCache::Digest(std::string_view id, std::string_view nonce, std::string_view ts) const {
  // Length-prefixed fields under a random key: distinct triples cannot be made to collide.
  // SipHash rather than an HMAC: a keyed 64-bit digest is all a table key needs, and this runs
  // on every Hawk request. A header's attributes fit the stack buffer (the header is capped).
  char stack[512];
  std::string heap;
  const size_t n = id.size() + nonce.size() + ts.size() + 3 * sizeof(uint32_t);
  char* out = stack;
  if (n > sizeof stack) {
    heap.resize(n);
    out = heap.data();
  }
  size_t at = 0;
  for (std::string_view part : {id, nonce, ts}) {
    const uint32_t len = static_cast<uint32_t>(part.size());
    std::memcpy(out + at, &len, sizeof len);
    at += sizeof len;
    if (!part.empty()) std::memcpy(out + at, part.data(), part.size());
    at += part.size();
  }
  return crypto::ShortHash(seed_, std::string_view(out, n));
}

void NonceCache::Expire(Shard& s, int64_t now_ms) {
  while (!s.by_expiry.empty() && s.by_expiry.front().at_ms <= now_ms) {
    const Expiry e = s.by_expiry.front();
    std::pop_heap(s.by_expiry.begin(), s.by_expiry.end(), HeapCmp<Expiry>());
    s.by_expiry.pop_back();
    auto it = s.live.find(e.digest);
    if (it != s.live.end() && it->second == e.at_ms) {
      s.live.erase(it);
      auto sc = s.per_scope.find(e.scope);
      if (sc != s.per_scope.end() && --sc->second == 0) s.per_scope.erase(sc);
    }
  }
}

NonceCache::Verdict NonceCache::Insert(std::string_view scope, std::string_view id, std::string_view nonce,
                                       std::string_view ts, int64_t expires_ms, int64_t now_ms) {
  const uint64_t d = Digest(id, nonce, ts);
  const uint64_t scope_key = std::hash<std::string_view>()(scope);
  Shard& s = shards_[d % shards_.size()];
  std::lock_guard lock(s.mu);
  Expire(s, now_ms);
  if (s.live.count(d)) return Verdict::kReplay;
  if (expires_ms <= now_ms) return Verdict::kFresh;  // outside the window anyway: nothing to keep
  if (s.live.size() >= per_shard_capacity_) return Verdict::kFull;
  size_t& in_scope = s.per_scope[scope_key];
  if (in_scope >= per_shard_scope_capacity_) return Verdict::kFull;
  ++in_scope;
  s.live.emplace(d, expires_ms);
  s.by_expiry.push_back({expires_ms, d, scope_key});
  std::push_heap(s.by_expiry.begin(), s.by_expiry.end(), HeapCmp<Expiry>());
  return Verdict::kFresh;
}

size_t NonceCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.live.size();
  }
  return n;
}

size_t NonceCache::ApproxBytes() const {
  size_t bytes = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    // unordered_map node (key, value, next pointer, cached hash) + bucket pointer; heap entry.
    bytes += s.live.size() * (sizeof(void*) * 2 + sizeof(uint64_t) * 3) + s.live.bucket_count() * sizeof(void*);
    bytes += s.by_expiry.capacity() * sizeof(Expiry) + s.per_scope.size() * (sizeof(void*) * 2 + 16);
  }
  return bytes;
}

}  // namespace rampart::auth
