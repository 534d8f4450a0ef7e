#include "identity/identity.hpp"

#include "base/strings.hpp"
#include "crypto/crypto.hpp"

namespace rampart::identity {
namespace {

Error NotFound(const std::string& what) { return Error::NotFound(what); }

bool ValidEmail(std::string_view e) {
  auto at = e.find('@');
  return e.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < e.size() &&
         e.find_first_of(" \t\r\n\"<>") == std::string_view::npos;
}

}  // namespace

std::string IdentityService::NewKey() const {
  std::array<uint8_t, 30> b{};
  crypto::RandomBytes(b);
  return crypto::Base64UrlEncode(b);  // 40 characters, all allowed in Hawk attributes
}

Result<store::OrgRecord> IdentityService::CreateOrg(const std::string& name) {
  return identity::CreateOrg(store_, clock_, name);
}

Result<ClientCredentials> IdentityService::CreateUser(const std::string& org, Role role, const std::string& email,
                                                      const std::string& display_name) {
  if (!ValidEmail(email)) return Error::Invalid("not an email address: " + QuoteForDetail(email));
  RAMPART_TRY(o, store_.FindOrg(org));
  if (!o) return NotFound("no such organization: " + org);
  if (display_name.size() > 200) return Error::Invalid("display name must be up to 200 characters");
  store::UserRecord u{NewHexId(clock_.Now()), email, UnixMillis(clock_.Now()), display_name};
  if (auto r = store_.CreateUser(u); !r) {
    return r.error().code == Errc::kConflict ? Error::Conflict("email already in use: " + email) : r.error();
  }
  RAMPART_CHECK(store_.PutMembership({u.id, o->id, RoleName(role)}, std::nullopt));
  std::string key = NewKey();
  RAMPART_CHECK(store_.AddHawkKey({0, u.id, box_.Seal(key), u.created_at_ms, std::nullopt}, std::nullopt));
  return ClientCredentials{Secret(std::move(key)), o->id, u.id};
}

Result<void> IdentityService::AddToOrg(const std::string& user, const std::string& org, Role role) {
  RAMPART_TRY(u, store_.FindUser(user));
  if (!u) return NotFound("no such user: " + user);
  RAMPART_TRY(o, store_.FindOrg(org));
  if (!o) return NotFound("no such organization: " + org);
  RAMPART_CHECK(store_.PutMembership({u->id, o->id, RoleName(role)}, std::nullopt));
  Forget(u->id);
  return {};
}

namespace {

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

Result<store::MemberRecord> IdentityService::PutMember(const std::string& acting_user, const std::string& org_id,
                                                       const std::string& user_id, Role role,
                                                       const std::function<store::V2AuditRecord(const store::UserRecord&)>& audit_for) {
  RAMPART_TRY(user, store_.FindUser(user_id));
  RAMPART_TRY(shares, SharesAnOrganization(store_, acting_user, user_id));
  if (!user || user->id != user_id || !shares) return Error::NotFound("Not Found");
  store::MembershipRecord m{user_id, org_id, RoleName(role)};
  RAMPART_CHECK(store_.PutMembership(m, audit_for(*user)));
  Forget(user_id);
  return store::MemberRecord{m, *user};
}

Result<void> IdentityService::RemoveMember(const std::string& org_id, const std::string& user_id,
                                           const store::V2AuditRecord& audit) {
  RAMPART_CHECK(store_.DeleteMembership(org_id, user_id, audit));
  Forget(user_id);
  return {};
}

Result<ClientCredentials> IdentityService::Key(const std::string& user, const std::string& org, bool rotate,
                                               std::chrono::seconds grace) {
  RAMPART_TRY(u, store_.FindUser(user));
  if (!u) return NotFound("no such user: " + user);
  RAMPART_TRY(memberships, store_.MembershipsOfUser(u->id));
  std::string org_id;
  for (const auto& m : memberships) {
    if (org.empty() || m.org_id == org) org_id = m.org_id;
  }
  if (org_id.empty()) {
    RAMPART_TRY(o, store_.FindOrg(org));
    if (o) {
      for (const auto& m : memberships) {
        if (m.org_id == o->id) org_id = o->id;
      }
    }
  }
  if (org_id.empty()) return NotFound("user " + user + " is in no such organization");
  const int64_t now = UnixMillis(clock_.Now());
  if (rotate) {
    std::string key = NewKey();
    int64_t grace_end = now + std::chrono::duration_cast<std::chrono::milliseconds>(grace).count();
    RAMPART_CHECK(store_.AddHawkKey({0, u->id, box_.Seal(key), now, std::nullopt}, grace_end));
    Forget(u->id);
    return ClientCredentials{Secret(std::move(key)), org_id, u->id};
  }
  RAMPART_TRY(keys, store_.ValidHawkKeys(u->id, now));
  for (const auto& k : keys) {
    if (k.valid_until_ms) continue;  // retired, in its grace period
    auto key = box_.Open(k.sealed_key);
    if (!key) return Error::Internal("a stored key does not open with this master key");
    return ClientCredentials{Secret(std::move(*key)), org_id, u->id};
  }
  return NotFound("user " + user + " has no valid key (use --rotate)");
}

std::shared_ptr<const IdentityService::CachedUser> IdentityService::Lookup(const std::string& user_id,
                                                                           bool may_load) {
  const int64_t now = UnixMillis(clock_.Now());
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(user_id);
    if (it != cache_.end() && (!may_load || now - it->second->loaded_ms < cache_ttl_ms_)) return it->second;
  }
  if (!may_load) return std::make_shared<CachedUser>();  // evicted meanwhile: unknown for now
  const uint64_t generation = generation_.load();
  auto fresh = std::make_shared<CachedUser>();
  fresh->loaded_ms = now;
  // Keys valid now or later (a rotated key stays until its grace ends: checked at use).
  if (auto keys = store_.ValidHawkKeys(user_id, now)) {
    for (const auto& k : *keys) {
      if (auto key = box_.Open(k.sealed_key)) {
        fresh->keys.push_back({{user_id, *key, "sha256", user_id}, k.valid_until_ms});
      }
    }
  } else {
    return fresh;  // a store error: answer from nothing, cache nothing
  }
  auto ms = store_.MembershipsOfUser(user_id);
  if (!ms) return fresh;
  for (const auto& m : *ms) {
    if (auto role = ParseRole(m.role)) fresh->roles.push_back({m.org_id, *role});
  }
  std::lock_guard lock(mu_);
  if (generation != generation_.load()) return fresh;  // a Forget raced this read: answer, do not cache
  if (cache_.size() >= kMaxCachedUsers) cache_.clear();
  cache_[user_id] = fresh;
  return fresh;
}

bool IdentityService::IsCached(std::string_view user_id) {
  const int64_t now = UnixMillis(clock_.Now());
  std::lock_guard lock(mu_);
  auto it = cache_.find(std::string(user_id));
  return it != cache_.end() && now - it->second->loaded_ms < cache_ttl_ms_;
}

void IdentityService::Forget(const std::string& user_id) {
  std::lock_guard lock(mu_);
  generation_.fetch_add(1);
  cache_.erase(user_id);
}

void IdentityService::ForgetAll() {
  std::lock_guard lock(mu_);
  generation_.fetch_add(1);
  cache_.clear();
}

void IdentityService::NoteAuthenticated(const std::string& user_id, int64_t now_ms) {
  std::lock_guard lock(seen_mu_);
  if (last_seen_.size() >= kMaxCachedUsers && !last_seen_.count(user_id)) last_seen_.clear();
  last_seen_[user_id] = now_ms;
}

int64_t IdentityService::LastAuthenticated(const std::string& user_id) {
  std::lock_guard lock(seen_mu_);
  auto it = last_seen_.find(user_id);
  return it == last_seen_.end() ? 0 : it->second;
}

std::vector<auth::hawk::Credentials> IdentityService::CredentialsFor(std::string_view user_id, bool may_load) {
  std::vector<auth::hawk::Credentials> out;
  const int64_t now = UnixMillis(clock_.Now());
  // Held for the loop: a range-init temporary dies before the body runs (C++20), and an entry that
  // raced a Forget is owned by nothing else.
  const auto user = Lookup(std::string(user_id), may_load);
  for (const auto& [cred, until] : user->keys) {
    if (!until || *until > now) out.push_back(cred);
  }
  return out;
}

std::optional<Role> IdentityService::RoleIn(const std::string& user_id, const std::string& org_id, bool may_load) {
  const auto user = Lookup(user_id, may_load);  // held for the loop (see CredentialsFor)
  for (const auto& [org, role] : user->roles) {
    if (org == org_id) return role;
  }
  return std::nullopt;
}

}  // namespace rampart::identity
