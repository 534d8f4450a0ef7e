#pragma once
// v4.0 API keys of organizations (the vendor's "API Keys page"): issue, list, revoke, and the
// authentication of a request's Bearer token with a TTL cache. A key carries per-service
// permissions, an optional expiry and optional allowed client networks.
// Refusals, in rampart's vocabulary (api/ gives them ThreatSTOP's numbers):
//   no Bearer header                                   -> kUnauthorized
//   unknown, malformed, revoked, or a client network not allowed -> kForbidden, kBadCredentials
//   expired                                            -> kForbidden, kExpiredCredentials
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/bearer.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "identity/principal.hpp"
#include "net/ip_address.hpp"
#include "store/store.hpp"

namespace rampart::identity {

struct KeySpec {
  auth::Permissions perms;
  std::vector<net::IpNetwork> networks;  // empty: any client
  std::string description;
  std::optional<SysTime> expires;
};

struct IssuedKey {
  Secret token;  // shown once
  store::ApiKeyRecord record;
};

// "10.0.0.0/8, 2001:db8::/32" -> networks (a bare address is a /32 or /128). Invalid on any bad item.
Result<std::vector<net::IpNetwork>> ParseNetworks(std::string_view text);

class ApiKeyService {
 public:
  ApiKeyService(store::OrgStore& store, const Clock& clock, std::chrono::milliseconds cache_ttl);

  // Blocking (the store).
  Result<IssuedKey> Create(const std::string& org_id, const KeySpec& spec);
  Result<std::vector<store::ApiKeyRecord>> List(const std::string& org_id);
  Result<bool> Revoke(const std::string& key_id);

  // Non-blocking: the answer from the in-memory cache, or nullopt if the store must be asked.
  // `client` is the request's client address (after trusted proxies).
  std::optional<Result<Principal>> TryCached(std::string_view authorization, std::string_view client) const;
  // Blocking: asks the store (and refreshes the cache).
  Result<Principal> Authenticate(std::string_view authorization, std::string_view client);
  // Drops a cached key, or every one (after a change another process made: base/changes.hpp).
  void Forget(const std::string& key_id);
  void ForgetAll();
  // The keys used since the last call, with their latest use: the caller stores them in a batch.
  std::vector<std::pair<std::string, int64_t>> TakeUsage();

 private:
  struct Cached {
    store::ApiKeyRecord record;
    auth::Permissions perms;
    std::vector<net::IpNetwork> networks;
    SysTime fetched;
  };
  Result<Principal> Verify(const Cached& c, const auth::TokenParts& parts, std::string_view client) const;

  store::OrgStore& store_;
  const Clock& clock_;
  const std::chrono::milliseconds ttl_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // by key id; bounded by live key count
  mutable std::unordered_map<std::string, int64_t> used_;  // by key id, under mu_
  std::atomic<uint64_t> generation_{0};  // bumped by every Forget: a read that raced one is not cached
};

}  // namespace rampart::identity
