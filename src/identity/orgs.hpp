#pragma once
// Organizations, the one tenant of both APIs, and their users: the operations the admin CLI (and
// later the portal) perform. Blocking (the store). Hawk keys are IdentityService's; v4.0 API keys
// ApiKeyService's.
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "store/store.hpp"

namespace rampart::identity {

enum class Role { kOwner, kUser, kReader };
std::optional<Role> ParseRole(std::string_view s);
const char* RoleName(Role r);

std::string NewHexId(SysTime now);  // 24 lower-case hex characters, time-ordered (crypto::NewObjectId)

// Invalid unless 1-200 characters without control characters; Conflict when the name is taken.
Result<store::OrgRecord> CreateOrg(store::OrgStore& store, const Clock& clock, const std::string& name);
// By id or name; NotFound otherwise.
Result<store::OrgRecord> FindOrg(store::OrgStore& store, const std::string& id_or_name);
// Deletes the organization and all it holds. Without `force`, InUse while it holds anything
// (the detail counts what). Audited as `actor` (its audit records outlive it).
Result<store::OrgContents> DeleteOrg(store::OrgStore& store, const Clock& clock, const std::string& id_or_name,
                                     bool force, const std::string& actor);

Result<store::UserRecord> FindUser(store::OrgStore& store, const std::string& id_or_email);
// Adds the user to the organization or changes its role there (Conflict: its last owner).
Result<void> SetRole(store::OrgStore& store, const std::string& user, const std::string& org, Role role);
Result<void> SetPassword(store::OrgStore& store, const std::string& user, const Secret& password);
// A disabled user's Hawk keys stop working (every one, at once); enabling restores them.
Result<void> SetDisabled(store::OrgStore& store, const Clock& clock, const std::string& user, bool disabled);
Result<void> SetDisplayName(store::OrgStore& store, const std::string& user, const std::string& name);

}  // namespace rampart::identity
