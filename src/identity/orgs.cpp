#include "identity/orgs.hpp"

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "crypto/password.hpp"

namespace rampart::identity {
namespace {

bool PrintableName(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string Describe(const store::OrgContents& c) {
  std::string out;
  auto add = [&out](int64_t n, const char* what) {
    if (n <= 0) return;
    if (!out.empty()) out += ", ";
    out.append(std::to_string(n)).append(" ").append(what);
  };
  add(c.lists, "lists");
  add(c.api_keys, "API keys");
  add(c.policy_objects, "policies and devices");
  add(c.members, "members");
  add(c.agents, "agents");
  add(c.alerts, "alerts");
  add(c.vulnerabilities, "vulnerabilities");
  add(c.v2_objects, "rulesets, rules and settings");
  add(c.zone_grants, "granted zone suffixes");
  add(c.deploy_keys, "deploy keys");
  return out;
}

}  // namespace

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "owner") return Role::kOwner;
  if (s == "user") return Role::kUser;
  if (s == "reader") return Role::kReader;
  return std::nullopt;
}

const char* RoleName(Role r) { return r == Role::kOwner ? "owner" : r == Role::kUser ? "user" : "reader"; }

std::string NewHexId(SysTime now) {
  return crypto::NewObjectId(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

Result<store::OrgRecord> CreateOrg(store::OrgStore& store, const Clock& clock, const std::string& name) {
  if (name.empty() || name.size() > 200 || !PrintableName(name)) {
    return Error::Invalid("organization name must be 1-200 printable characters");
  }
  store::OrgRecord o{NewHexId(clock.Now()), name, UnixMillis(clock.Now())};
  if (auto r = store.CreateOrg(o); !r) {
    return r.error().code == Errc::kConflict ? Error::Conflict("organization name already in use: " + name) : r.error();
  }
  return FindOrg(store, o.id);
}

Result<store::OrgRecord> FindOrg(store::OrgStore& store, const std::string& key) {
  RAMPART_TRY(o, store.FindOrg(key));
  if (!o) return Error::NotFound("no such organization: " + QuoteForDetail(key));
  return *o;
}

Result<store::OrgContents> DeleteOrg(store::OrgStore& store, const Clock& clock, const std::string& key, bool force,
                                     const std::string& actor) {
  RAMPART_TRY(o, FindOrg(store, key));
  RAMPART_TRY(contents, store.ContentsOf(o.id));
  if (contents.Total() > 0 && !force) {
    return Error::InUse("organization " + o.name + " holds " + Describe(contents) + " (use --force to delete them too)");
  }
  const std::string changes = "{\"forced\":" + std::string(force ? "true" : "false") + ",\"held\":\"" +
                              Describe(contents) + "\"}";
  store::AuditRecord audit{0, o.id, o.id, "organization", o.name, actor, "delete", UnixMillis(clock.Now()), changes};
  auto deleted = store.DeleteOrg(o.id, audit, /*only_if_empty=*/!force);
  if (!deleted && deleted.error().code == Errc::kInUse) {
    return Error::InUse("organization " + o.name + " took on data while it was being deleted; nothing was deleted");
  }
  RAMPART_CHECK(deleted);
  return contents;
}

Result<store::UserRecord> FindUser(store::OrgStore& store, const std::string& key) {
  RAMPART_TRY(u, store.FindUser(key));
  if (!u) return Error::NotFound("no such user: " + QuoteForDetail(key));
  return *u;
}

Result<void> SetRole(store::OrgStore& store, const std::string& user, const std::string& org, Role role) {
  RAMPART_TRY(u, FindUser(store, user));
  RAMPART_TRY(o, FindOrg(store, org));
  return store.PutMembership({u.id, o.id, RoleName(role)}, std::nullopt);
}

Result<void> SetPassword(store::OrgStore& store, const std::string& user, const Secret& password) {
  RAMPART_TRY(u, FindUser(store, user));
  RAMPART_TRY(hash, crypto::HashPassword(password));
  u.password_hash = std::move(hash);
  return store.UpdateUser(u);
}

Result<void> SetDisabled(store::OrgStore& store, const Clock& clock, const std::string& user, bool disabled) {
  RAMPART_TRY(u, FindUser(store, user));
  if (disabled && !u.disabled_at_ms) u.disabled_at_ms = UnixMillis(clock.Now());
  if (!disabled) u.disabled_at_ms.reset();
  return store.UpdateUser(u);
}

Result<void> SetDisplayName(store::OrgStore& store, const std::string& user, const std::string& name) {
  if (name.size() > 200 || !PrintableName(name)) return Error::Invalid("display name must be up to 200 printable characters");
  RAMPART_TRY(u, FindUser(store, user));
  u.display_name = name;
  return store.UpdateUser(u);
}

}  // namespace rampart::identity
