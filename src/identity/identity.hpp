#pragma once
// Users' Hawk API keys (the vendor's "Settings -> Application Keys"), stored sealed under the server
// master key, and the users' roles per organization as the Hawk surface needs them. Provides the Hawk credentials lookup (Hawk id =
// user id) and the organization check for the `ext` attribute. Blocking (calls the store).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/hawk.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "crypto/secretbox.hpp"
#include "identity/orgs.hpp"
#include "store/store.hpp"

namespace rampart::identity {


// The three values a client needs.
struct ClientCredentials {
  Secret api_key;
  std::string org_id;
  std::string user_id;
};

class IdentityService {
 public:
  // `cache_ttl_ms`: how long a user's opened keys and roles are reused before the store is read
  // again. Changes made through this service take effect at once; changes made by another process
  // (the CLI) within the TTL.
  IdentityService(store::OrgStore& store, const crypto::SecretBox& box, const Clock& clock,
                  int64_t cache_ttl_ms = 5000)
      : store_(store), box_(box), clock_(clock), cache_ttl_ms_(cache_ttl_ms) {}

  Result<store::OrgRecord> CreateOrg(const std::string& name);
  // Creates the user, adds it to `org` with `role` and issues its first key.
  Result<ClientCredentials> CreateUser(const std::string& org, Role role, const std::string& email,
                                       const std::string& display_name = "");
  Result<void> AddToOrg(const std::string& user, const std::string& org, Role role);
  // Membership changes made through the v2 API, with their v2 audit record; the user's cached
  // roles are dropped at once. Only a user who already shares an organization with `acting_user`
  // may be added: any other id is NotFound, like an unknown one, so ids cannot be probed across
  // organizations. Conflict when the organization would be left without an owner.
  // `audit_for` makes the audit record once the user is known.
  Result<store::MemberRecord> PutMember(const std::string& acting_user, const std::string& org_id,
                                        const std::string& user_id, Role role,
                                        const std::function<store::V2AuditRecord(const store::UserRecord&)>& audit_for);
  Result<void> RemoveMember(const std::string& org_id, const std::string& user_id, const store::V2AuditRecord& audit);
  // The user's newest valid key; with `rotate`, a new key, the previous ones kept for `grace`.
  Result<ClientCredentials> Key(const std::string& user, const std::string& org, bool rotate,
                                std::chrono::seconds grace);

  // Hawk lookup: every valid key of the user is tried by the caller in turn (rotation grace).
  // With `may_load` false the store is never touched (I/O threads): a cached entry is used even
  // if it went stale since IsCached said yes, and an absent one counts as unknown.
  std::vector<auth::hawk::Credentials> CredentialsFor(std::string_view user_id, bool may_load = true);
  // The user's role in `org_id`, or nullopt if not a member.
  std::optional<Role> RoleIn(const std::string& user_id, const std::string& org_id, bool may_load = true);
  // True when CredentialsFor and RoleIn for this user would not touch the store: the request
  // path then verifies on the I/O thread instead of hopping to the blocking pool.
  bool IsCached(std::string_view user_id);
  // Drops the cached entry (after a change to the user's keys or memberships), or all of them.
  // A load that raced a Forget is answered but not cached.
  void Forget(const std::string& user_id);
  void ForgetAll();
  // Last authenticated request per user, kept in memory (members' lastAuthenticatedAt): 0 when
  // none since the server started.
  void NoteAuthenticated(const std::string& user_id, int64_t now_ms);
  int64_t LastAuthenticated(const std::string& user_id);

 private:
  struct CachedUser {
    std::vector<std::pair<auth::hawk::Credentials, std::optional<int64_t>>> keys;  // with valid_until_ms
    std::vector<std::pair<std::string, Role>> roles;                              // org id, role
    int64_t loaded_ms = 0;
  };
  std::string NewKey() const;
  // The cached entry, loading it from the store when absent or older than the TTL. Unknown
  // users are cached too (empty), so a flood of bad ids costs one store read per id per TTL.
  std::shared_ptr<const CachedUser> Lookup(const std::string& user_id, bool may_load);

  store::OrgStore& store_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  const int64_t cache_ttl_ms_;
  static constexpr size_t kMaxCachedUsers = 100000;  // bound: cleared wholesale when reached
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const CachedUser>> cache_;
  std::atomic<uint64_t> generation_{0};  // bumped by every Forget
  std::mutex seen_mu_;
  std::unordered_map<std::string, int64_t> last_seen_;  // bounded like cache_
};


}  // namespace rampart::identity
