#pragma once
// Hawk replay detection (hawk.md §7.2): remembers (credentials id, nonce, ts) until the request
// could no longer pass the clock check. Sharded; each shard keeps a 64-bit keyed digest of the
// triple (not the strings) and a min-heap of expiries, so memory is ~40 bytes per live nonce and
// bounded by `capacity`. When full it fails closed: it refuses new nonces rather than evicting
// live ones, which would re-open replay. Each scope (an organization) may hold at most
// `per_scope_capacity` of them, so one organization filling its share cannot make another's
// requests fail. Thread-safe.
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/nonce_store.hpp"
#include "crypto/crypto.hpp"

namespace rampart::auth {

// The in-process NonceStore: answers at once, always.
class NonceCache final : public NonceStore {
 public:
  using Verdict = NonceVerdict;

  // `per_scope_capacity` 0: capacity / 4.
  explicit NonceCache(size_t capacity, size_t shards = 16, size_t per_scope_capacity = 0);
  // Records the triple if unseen and not expired by `now_ms`; keeps it until `expires_ms`, counted
  // against `scope`. kFull when the cache or the scope's share is full.
  Verdict Insert(std::string_view scope, std::string_view id, std::string_view nonce, std::string_view ts,
                 int64_t expires_ms, int64_t now_ms);
  size_t size() const;
  size_t ApproxBytes() const;

  std::optional<NonceVerdict> TryInsert(std::string_view scope, std::string_view id, std::string_view nonce,
                                        std::string_view ts, int64_t expires_ms, int64_t now_ms) override {
    return Insert(scope, id, nonce, ts, expires_ms, now_ms);
  }
  boost::asio::awaitable<NonceVerdict> InsertAsync(NonceEntry e) override {
    co_return Insert(e.scope, e.id, e.nonce, e.ts, e.expires_ms, e.now_ms);
  }

 private:
  struct Expiry {
    int64_t at_ms;
    uint64_t digest;
    uint64_t scope;
    bool operator>(const Expiry& o) const { return at_ms > o.at_ms; }
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<uint64_t, int64_t> live;      // digest -> expiry
    std::vector<Expiry> by_expiry;                   // min-heap
    std::unordered_map<uint64_t, size_t> per_scope;  // scope digest -> live nonces
  };
  uint64_t Digest(std::string_view id, std::string_view nonce, std::string_view ts) const;
  static void Expire(Shard& s, int64_t now_ms);

  const size_t per_shard_capacity_;
  const size_t per_shard_scope_capacity_;
  std::vector<Shard> shards_;
  crypto::ShortHashKey seed_{};  // random per process: digests are not predictable from outside
};

}  // namespace rampart::auth
