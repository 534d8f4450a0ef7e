#pragma once
// Threat Stack identity: organizations, users with a role per organization, and per-user Hawk API
// keys stored sealed under the server master key. Provides the Hawk credentials lookup (Hawk id =
// user id) and the organization check for the `ext` attribute. Blocking (calls the store).
#include <chrono>
#include <optional>
#include <string>

#include "auth/hawk.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "crypto/secretbox.hpp"
#include "store/store.hpp"

namespace rampart::identity {

enum class Role { kOwner, kUser, kReader };
std::optional<Role> ParseRole(std::string_view s);
const char* RoleName(Role r);

// The three values a client needs.
struct ClientCredentials {
  std::string api_key;
  std::string org_id;
  std::string user_id;
};

class IdentityService {
 public:
  IdentityService(store::IdentityStore& store, const crypto::SecretBox& box, const Clock& clock)
      : store_(store), box_(box), clock_(clock) {}

  Result<store::OrgRecord> CreateOrg(const std::string& name);
  // Creates the user, adds it to `org` with `role` and issues its first key.
  Result<ClientCredentials> CreateUser(const std::string& org, Role role, const std::string& email);
  Result<void> AddToOrg(const std::string& user, const std::string& org, Role role);
  // The user's newest valid key; with `rotate`, a new key, the previous ones kept for `grace`.
  Result<ClientCredentials> Key(const std::string& user, const std::string& org, bool rotate,
                                std::chrono::seconds grace);

  // Hawk lookup: every valid key of the user is tried by the caller in turn (rotation grace).
  std::vector<auth::hawk::Credentials> CredentialsFor(std::string_view user_id);
  // The user's role in `org_id`, or nullopt if not a member.
  std::optional<Role> RoleIn(const std::string& user_id, const std::string& org_id);

 private:
  std::string NewKey() const;

  store::IdentityStore& store_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
};

std::string NewHexId();  // 24 lower-case hex characters

}  // namespace rampart::identity
