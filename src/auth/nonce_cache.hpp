#pragma once
// Hawk replay detection (hawk.md §7.2): remembers (credentials id, nonce, ts) until the request
// could no longer pass the clock check. Sharded; each shard keeps a 64-bit keyed digest of the
// triple (not the strings) and a min-heap of expiries, so memory is ~40 bytes per live nonce and
// bounded by `capacity`. When full it fails closed: it refuses new nonces rather than evicting
// live ones, which would re-open replay. Thread-safe.
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rampart::auth {

class NonceCache {
 public:
  enum class Verdict { kFresh, kReplay, kFull };

  explicit NonceCache(size_t capacity, size_t shards = 16);
  // Records the triple if unseen and not expired by `now_ms`; keeps it until `expires_ms`.
  Verdict Insert(std::string_view id, std::string_view nonce, std::string_view ts, int64_t expires_ms, int64_t now_ms);
  size_t size() const;
  size_t ApproxBytes() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<uint64_t, int64_t> live;             // digest -> expiry
    std::vector<std::pair<int64_t, uint64_t>> by_expiry;    // min-heap
  };
  uint64_t Digest(std::string_view id, std::string_view nonce, std::string_view ts) const;
  static void Expire(Shard& s, int64_t now_ms);

  const size_t per_shard_capacity_;
  std::vector<Shard> shards_;
  std::string seed_;  // random per process: digests are not predictable from outside
};

}  // namespace rampart::auth
