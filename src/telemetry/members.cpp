#include "telemetry/members.hpp"

#include <boost/json.hpp>

#include "identity/orgs.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

bool ValidRole(const std::string& r) { return identity::ParseRole(r).has_value(); }

json::object MemberDoc(const store::MemberRecord& m, int64_t last_seen) {
  const std::string& email = m.user.email;
  return json::object{{"role", m.membership.role},
                      {"ssoEnabled", false},
                      {"displayName", email.substr(0, email.find('@'))},
                      {"userEnabled", !m.user.disabled_at_ms.has_value()},
                      {"lastAuthenticatedAt", last_seen},
                      {"mfaEnabled", false},
                      {"id", m.user.id},
                      {"email", email}};
}

// The store says Conflict; the v2 API has always answered 400 with this message.
Error LastOwner() { return Error::Invalid("an organization needs at least one owner"); }

}  // namespace

Result<std::string> MembersBody(store::V2Store& store, const std::string& org_id, const LastSeenFn& last_seen) {
  RAMPART_TRY(members, store.MembersOfOrg(org_id));
  json::array out;
  for (const auto& m : members) out.push_back(MemberDoc(m, last_seen(m.user.id)));
  return json::serialize(json::object{{"members", std::move(out)}});
}

Result<std::string> AddMember(identity::IdentityService& identity, const Actor& actor, std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(role_text, OptString(o, "role"));
  std::optional<identity::Role> role = role_text ? identity::ParseRole(*role_text) : std::nullopt;
  if (!role) return InvalidField("role", "Must be one of owner, user, reader.");
  RAMPART_TRY(id, OptString(o, "id"));
  if (!id || id->empty()) return InvalidField("id", "Must be the id of an existing user.");
  auto audit = [&](const store::UserRecord& u) {
    return AuditFor(actor, "update", "organization.member.put", "Set " + u.email + " as " + *role_text,
                    json::object{{"userId", *id}, {"role", *role_text}});
  };
  auto member = identity.PutMember(actor.user_id, actor.org_id, *id, *role, audit);
  if (!member) return member.error().code == Errc::kConflict ? LastOwner() : member.error();
  return json::serialize(MemberDoc(*member, 0));
}

Result<void> RemoveMember(identity::IdentityService& identity, const Actor& actor, const std::string& user_id) {
  auto audit = AuditFor(actor, "delete", "organization.member.delete", "Removed member " + user_id,
                        json::object{{"userId", user_id}});
  auto done = identity.RemoveMember(actor.org_id, user_id, audit);
  if (!done && done.error().code == Errc::kNotFound) return Error::NotFound("Member not found: " + user_id.substr(0, 64));
  if (!done) return done.error().code == Errc::kConflict ? LastOwner() : done.error();
  return {};
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
