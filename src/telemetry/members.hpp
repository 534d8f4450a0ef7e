#pragma once
// Organization members and invites of the Threat Stack v2 API (threatstack-api.md §8.7): list
// (no token), add an existing user by id, remove (204), invite by email (POST or PUT). Only
// owners change membership (checked by the caller); the last owner cannot be removed or demoted.
#include <functional>
#include <string>

#include "base/result.hpp"
#include "identity/identity.hpp"
#include "store/store.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::telemetry {

// Epoch milliseconds of the user's last authenticated request (0 if none since the server started).
using LastSeenFn = std::function<int64_t(const std::string& user_id)>;

Result<std::string> MembersBody(store::V2Store& store, const std::string& org_id, const LastSeenFn& last_seen);
// `{"role":"user|reader|owner","id":"<user id>"}` → the member object.
// Both through identity (which keeps the roles and drops its cache); the audit record lands with
// the change.
Result<std::string> AddMember(identity::IdentityService& identity, const Actor& actor, std::string_view body);
Result<void> RemoveMember(identity::IdentityService& identity, const Actor& actor, const std::string& user_id);
// `{"role","email"}` → `{"sentToEmail","role","status":"pending"}`. rampart sends no email: an
// operator turns an invite into a user with `rampart admin user create`.
Result<std::string> Invite(store::V2Store& store, const Actor& actor, std::string_view body);

}  // namespace rampart::telemetry
