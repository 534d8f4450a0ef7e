#include "telemetry/members.hpp"

#include <boost/json.hpp>

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

bool ValidRole(const std::string& r) { return r == "owner" || r == "user" || r == "reader"; }

json::object MemberDoc(const store::MemberRecord& m, int64_t last_seen) {
  const std::string& email = m.user.email;
  return json::object{{"role", m.membership.role},
                      {"ssoEnabled", false},
                      {"displayName", email.substr(0, email.find('@'))},
                      {"userEnabled", true},
                      {"lastAuthenticatedAt", last_seen},
                      {"mfaEnabled", false},
                      {"id", m.user.id},
                      {"email", email}};
}

Result<size_t> OwnersOtherThan(store::V2Store& store, const std::string& org, const std::string& user_id) {
  RAMPART_TRY(members, store.MembersOfOrg(org));
  size_t n = 0;
  for (const auto& m : members) n += m.membership.role == "owner" && m.user.id != user_id;
  return n;
}

Result<bool> SharesAnOrganization(store::OrgStore& store, const std::string& a, const std::string& b) {
  RAMPART_TRY(of_a, store.MembershipsOfUser(a));
  RAMPART_TRY(of_b, store.MembershipsOfUser(b));
  for (const auto& x : of_a) {
    for (const auto& y : of_b) {
      if (x.org_id == y.org_id) return true;
    }
  }
  return false;
}

}  // namespace

Result<std::string> MembersBody(store::V2Store& store, const std::string& org_id, const LastSeenFn& last_seen) {
  RAMPART_TRY(members, store.MembersOfOrg(org_id));
  json::array out;
  for (const auto& m : members) out.push_back(MemberDoc(m, last_seen(m.user.id)));
  return json::serialize(json::object{{"members", std::move(out)}});
}

Result<std::string> AddMember(store::Store& store, const Actor& actor, std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(role, OptString(o, "role"));
  if (!role || !ValidRole(*role)) return InvalidField("role", "Must be one of owner, user, reader.");
  RAMPART_TRY(id, OptString(o, "id"));
  if (!id || id->empty()) return InvalidField("id", "Must be the id of an existing user.");
  // Only a user who already shares an organization with the caller can be added (an operator adds
  // anyone with `rampart admin user add-to-org`); any other id gets the same 404 as an unknown
  // one, so ids cannot be probed for other organizations' users.
  RAMPART_TRY(user, store.FindUser(*id));
  RAMPART_TRY(shares, SharesAnOrganization(store, actor.user_id, *id));
  if (!user || user->id != *id || !shares) return Error::NotFound("Not Found");
  if (*role != "owner") {
    RAMPART_TRY(others, OwnersOtherThan(store, actor.org_id, *id));
    if (others == 0) return Error::Invalid("an organization needs at least one owner");
  }
  store::MembershipRecord m{*id, actor.org_id, *role};
  store::V2Write w{actor.org_id};
  w.put_membership = m;
  w.audit = AuditFor(actor, "update", "organization.member.put", "Set " + user->email + " as " + *role,
                     json::object{{"userId", *id}, {"role", *role}});
  RAMPART_CHECK(store.Commit(w));
  return json::serialize(MemberDoc({m, *user}, 0));
}

Result<void> RemoveMember(store::V2Store& store, const Actor& actor, const std::string& user_id) {
  RAMPART_TRY(members, store.MembersOfOrg(actor.org_id));
  bool found = false;
  for (const auto& m : members) found = found || m.user.id == user_id;
  if (!found) return Error::NotFound("Member not found: " + user_id.substr(0, 64));
  RAMPART_TRY(others, OwnersOtherThan(store, actor.org_id, user_id));
  if (others == 0) return Error::Invalid("an organization needs at least one owner");
  store::V2Write w{actor.org_id};
  w.delete_membership = user_id;
  w.audit = AuditFor(actor, "delete", "organization.member.delete", "Removed member " + user_id,
                     json::object{{"userId", user_id}});
  return store.Commit(w);
}

Result<std::string> Invite(store::V2Store& store, const Actor& actor, std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(role, OptString(o, "role"));
  if (!role || !ValidRole(*role)) return InvalidField("role", "Must be one of owner, user, reader.");
  RAMPART_TRY(email, OptString(o, "email"));
  const size_t at = email ? email->find('@') : std::string::npos;
  if (!email || email->size() > 254 || at == 0 || at == std::string::npos || at + 1 >= email->size() ||
      email->find_first_of(" \t\r\n\"<>") != std::string::npos) {
    return InvalidField("email", "Must be an email address.");
  }
  json::object doc{{"sentToEmail", *email}, {"role", *role}, {"status", "pending"}};
  store::V2Write w{actor.org_id, {{actor.org_id, "invite", *email, "", actor.now_ms, json::serialize(doc)}}};
  w.audit = AuditFor(actor, "create", "organization.invite", "Invited " + *email + " as " + *role,
                     json::object{{"email", *email}, {"role", *role}});
  RAMPART_CHECK(store.Commit(w));
  return json::serialize(doc);
}

}  // namespace rampart::telemetry
