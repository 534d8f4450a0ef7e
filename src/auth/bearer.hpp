#pragma once
// API tokens for the v4.0 API: "rpt_<16-hex id>_<43-char secret>". Only SHA-256 of the secret
// is stored; verification compares digests in constant time. Secrets are never logged.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::auth {

inline constexpr const char* kPermRead = "userlists:read";
inline constexpr const char* kPermWrite = "userlists:write";

struct Principal {
  std::string account_id;
  std::string token_id;
  bool can_write = false;
};

struct IssuedToken {
  std::string token;  // shown once
  store::TokenRecord record;
};

// Builds a new token and the record to store for it. `perm` must be kPermRead or kPermWrite.
IssuedToken IssueToken(const std::string& account_id, const std::string& perm, const std::string& description,
                       std::optional<SysTime> expires, SysTime now);

struct TokenParts {
  std::string id;
  std::string secret;
};
std::optional<TokenParts> SplitToken(std::string_view token);

// Turns an Authorization header into a Principal. Failures carry the ThreatSTOP codes:
// missing -> 401/11000, unknown, malformed or revoked -> 403/11001, expired -> 403/11002.
class TokenAuthenticator {
 public:
  TokenAuthenticator(store::AccountStore& store, const Clock& clock, std::chrono::milliseconds cache_ttl);

  // Non-blocking: the answer from the in-memory cache, or nullopt if the store must be asked.
  std::optional<Result<Principal>> TryCached(std::string_view authorization) const;
  // Blocking: asks the store (and refreshes the cache).
  Result<Principal> Authenticate(std::string_view authorization);

 private:
  struct Cached {
    store::TokenRecord record;
    SysTime fetched;
  };
  Result<Principal> Verify(const store::TokenRecord& rec, const TokenParts& parts) const;

  store::AccountStore& store_;
  const Clock& clock_;
  const std::chrono::milliseconds ttl_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // by token id; bounded by live token count
};

}  // namespace rampart::auth
