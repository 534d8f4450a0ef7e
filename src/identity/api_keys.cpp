#include "identity/api_keys.hpp"

#include "base/strings.hpp"

namespace rampart::identity {
namespace {

Error Missing() { return {Errc::kUnauthorized, Reason::kNone, "no auth token provided"}; }
Error Refused() { return {Errc::kForbidden, Reason::kBadCredentials, "invalid auth token"}; }

std::string JoinNetworks(const std::vector<net::IpNetwork>& nets) {
  std::string out;
  for (const auto& n : nets) {
    if (!out.empty()) out += ',';
    out += n.ToString();
  }
  return out;
}

}  // namespace

Result<std::vector<net::IpNetwork>> ParseNetworks(std::string_view text) {
  std::vector<net::IpNetwork> out;
  if (Trim(text).empty()) return out;
  for (std::string_view item : SplitView(text, ',')) {
    item = Trim(item);
    auto n = net::IpNetwork::ParseHostOrNetwork(item);
    if (!n) return Error::Invalid("not a network: " + QuoteForDetail(item));
    out.push_back(*n);
  }
  if (out.size() > 64) return Error::Invalid("at most 64 networks per key");
  return out;
}

ApiKeyService::ApiKeyService(store::OrgStore& store, const Clock& clock, std::chrono::milliseconds cache_ttl)
    : store_(store), clock_(clock), ttl_(cache_ttl) {}

Result<IssuedKey> ApiKeyService::Create(const std::string& org_id, const KeySpec& spec) {
  if (spec.description.size() > 200) return Error::Invalid("description must be at most 200 characters");
  RAMPART_TRY(org, store_.FindOrg(org_id));
  if (!org) return Error::NotFound("no such organization: " + QuoteForDetail(org_id));
  auth::NewKey k = auth::MakeKey();
  store::ApiKeyRecord r{k.id, org->id, k.secret_hash, auth::FormatPermissions(spec.perms), JoinNetworks(spec.networks),
                        spec.description, UnixMillis(clock_.Now())};
  if (spec.expires) r.expires_at_ms = UnixMillis(*spec.expires);
  RAMPART_CHECK(store_.CreateApiKey(r));
  return IssuedKey{std::move(k.token), std::move(r)};
}

Result<std::vector<store::ApiKeyRecord>> ApiKeyService::List(const std::string& org_id) {
  return store_.ListApiKeys(org_id);
}

Result<bool> ApiKeyService::Revoke(const std::string& key_id) {
  RAMPART_TRY(done, store_.RevokeApiKey(key_id, UnixMillis(clock_.Now())));
  std::lock_guard lock(mu_);
  cache_.erase(key_id);
  return done;
}

Result<Principal> ApiKeyService::Verify(const Cached& c, const auth::TokenParts& parts, std::string_view client) const {
  const store::ApiKeyRecord& rec = c.record;
  if (!auth::SecretMatches(parts.secret, rec.secret_hash) || rec.revoked_at_ms) return Refused();
  const int64_t now = UnixMillis(clock_.Now());
  if (rec.expires_at_ms && now >= *rec.expires_at_ms) {
    return Error{Errc::kForbidden, Reason::kExpiredCredentials, "auth token expired"};
  }
  if (!c.networks.empty()) {
    auto addr = net::IpAddress::Parse(client);
    // An IPv4 client on an IPv6 listener arrives as ::ffff:a.b.c.d: judged by its IPv4 address.
    bool inside = false;
    for (const auto& n : c.networks) inside = inside || (addr && (n.Contains(*addr) || n.Contains(addr->Unmapped())));
    if (!inside) return Error{Errc::kForbidden, Reason::kBadCredentials, "auth token not valid from this address"};
  }
  used_[rec.id] = now;
  return Principal{Principal::Kind::kApiKey, rec.org_id, rec.id, c.perms};
}

std::optional<Result<Principal>> ApiKeyService::TryCached(std::string_view authorization,
                                                          std::string_view client) const {
  auto value = auth::BearerValue(authorization);
  if (!value) return Result<Principal>(Missing());
  auto parts = auth::SplitToken(*value);
  if (!parts) return Result<Principal>(Refused());
  std::lock_guard lock(mu_);
  auto it = cache_.find(parts->id);
  if (it == cache_.end() || clock_.Now() - it->second.fetched >= ttl_) return std::nullopt;
  return Verify(it->second, *parts, client);
}

Result<Principal> ApiKeyService::Authenticate(std::string_view authorization, std::string_view client) {
  if (auto cached = TryCached(authorization, client)) return *cached;
  auto parts = auth::SplitToken(*auth::BearerValue(authorization));
  const uint64_t generation = generation_.load();
  RAMPART_TRY(rec, store_.FindApiKey(parts->id));
  if (!rec) return Refused();
  auto perms = auth::ParsePermissions(rec->perms);
  auto nets = ParseNetworks(rec->networks);
  if (!perms || !nets) return Error::Internal("stored key " + rec->id + " has unreadable permissions or networks");
  std::lock_guard lock(mu_);
  Cached fresh{*rec, *perms, std::move(*nets), clock_.Now()};
  // A Forget that ran while the store was read may have dropped a newer state: decide from what was
  // read, but do not cache it (the next request reads the store again).
  if (generation != generation_.load()) return Verify(fresh, *parts, client);
  Cached& c = cache_[rec->id] = std::move(fresh);
  return Verify(c, *parts, client);
}

void ApiKeyService::Forget(const std::string& key_id) {
  std::lock_guard lock(mu_);
  generation_.fetch_add(1);
  cache_.erase(key_id);
}

void ApiKeyService::ForgetAll() {
  std::lock_guard lock(mu_);
  generation_.fetch_add(1);
  cache_.clear();
}

std::vector<std::pair<std::string, int64_t>> ApiKeyService::TakeUsage() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, int64_t>> out(used_.begin(), used_.end());
  used_.clear();
  return out;
}

}  // namespace rampart::identity
