#pragma once
// What Hawk replay detection asks of a nonce store, whatever keeps the nonces: this process
// (NonceCache) or a store several instances share (Redis, later), so that a request replayed to
// another instance is refused too. As with ratelimit::Limiter, a store that can answer without
// waiting answers TryInsert; one that cannot returns nullopt and the caller awaits InsertAsync.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::auth {

// One nonce to remember: the triple a replay would repeat, whom it counts against, and how long
// it must be kept (until the request could no longer pass the clock check).
struct NonceEntry {
  std::string scope;  // the organization
  std::string id, nonce, ts;
  int64_t expires_ms = 0;
  int64_t now_ms = 0;
};

enum class NonceVerdict { kFresh, kReplay, kFull };

// A request refused because the cache (or its organization's share) is full is answered 429 with
// this Retry-After: nonces leave the cache continuously as their window ends, so room comes back
// within seconds. A 401 would read as bad credentials (an agent would report its key refused).
inline constexpr int kNonceFullRetryAfterS = 10;

class NonceStore {
 public:
  virtual ~NonceStore() = default;
  // Views, not an entry: the in-process answer costs no copy (the request path calls it per request).
  virtual std::optional<NonceVerdict> TryInsert(std::string_view scope, std::string_view id, std::string_view nonce,
                                                std::string_view ts, int64_t expires_ms, int64_t now_ms) = 0;
  virtual boost::asio::awaitable<NonceVerdict> InsertAsync(NonceEntry e) = 0;
};

}  // namespace rampart::auth
