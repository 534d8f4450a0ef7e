#include "ingest/deploy_keys.hpp"

#include <boost/json.hpp>

#include "auth/bearer.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::ingest {
namespace json = boost::json;
using telemetry::FormatInstant;

namespace {

Error BadKey() { return {Errc::kUnauthorized, Reason::kNone, "invalid deploy key"}; }

json::value Instant(const std::optional<int64_t>& ms) {
  return ms ? json::value(FormatInstant(*ms)) : json::value(nullptr);
}

}  // namespace

Result<IssuedDeployKey> DeployKeyService::Create(const std::string& org_id, const std::string& description) {
  if (description.size() > 200) return Error::Invalid("a description has at most 200 characters");
  auth::NewKey k = auth::MakeKey("rdk_");
  store::DeployKeyRecord rec{k.id, org_id, k.secret_hash, description, UnixMillis(clock_.Now())};
  RAMPART_CHECK(store_.CreateDeployKey(rec));
  return IssuedDeployKey{std::move(k.token), std::move(rec)};
}

Result<std::vector<store::DeployKeyRecord>> DeployKeyService::List(const std::string& org_id) {
  return store_.ListDeployKeys(org_id);
}

Result<IssuedDeployKey> DeployKeyService::Rotate(const std::string& org_id, const std::string& id) {
  auth::NewKey k = auth::MakeKey("rdk_");
  RAMPART_TRY(found, store_.FindDeployKey(id));
  if (!found || found->org_id != org_id) return Error::NotFound("no such deploy key " + id.substr(0, 64));
  // The token carries the key's id: the new secret goes with the old id.
  const std::string secret(k.token.Reveal().substr(21));
  Secret token("rdk_" + id + "_" + secret);
  const int64_t now = UnixMillis(clock_.Now());
  RAMPART_TRY(rotated, store_.RotateDeployKey(org_id, id, k.secret_hash, now));
  if (!rotated) return Error::NotFound("no such deploy key " + id.substr(0, 64) + " (or it was revoked)");
  found->secret_hash = k.secret_hash;
  found->rotated_at_ms = now;
  return IssuedDeployKey{std::move(token), std::move(*found)};
}

Result<void> DeployKeyService::Revoke(const std::string& org_id, const std::string& id) {
  RAMPART_TRY(revoked, store_.RevokeDeployKey(org_id, id, UnixMillis(clock_.Now())));
  if (!revoked) return Error::NotFound("no such deploy key " + id.substr(0, 64) + " (or it was revoked)");
  return {};
}

Result<store::DeployKeyRecord> DeployKeyService::Check(std::string_view authorization) {
  auto token = auth::BearerValue(authorization);
  if (!token) return Error{Errc::kUnauthorized, Reason::kNone, "a deploy key is required (Authorization: Bearer)"};
  auto parts = auth::SplitToken(*token, "rdk_");
  if (!parts) return BadKey();
  RAMPART_TRY(found, store_.FindDeployKey(parts->id));
  // The secret is compared even for an unknown or revoked key, so timing tells nothing.
  const std::string hash = found ? found->secret_hash : std::string(64, '0');
  const bool matches = auth::SecretMatches(parts->secret, hash);
  if (!found || !matches || found->revoked_at_ms) return BadKey();
  return std::move(*found);
}

std::string DeployKeyJson(const store::DeployKeyRecord& k, const Secret* token) {
  json::object o{{"id", k.id},
                 {"description", k.description},
                 {"createdAt", FormatInstant(k.created_at_ms)},
                 {"rotatedAt", Instant(k.rotated_at_ms)},
                 {"revokedAt", Instant(k.revoked_at_ms)},
                 {"lastUsedAt", Instant(k.last_used_at_ms)},
                 {"lastUsedHost", k.last_used_host.empty() ? json::value(nullptr) : json::value(k.last_used_host)}};
  if (token) o["key"] = token->Reveal();
  return json::serialize(o);
}

}  // namespace rampart::ingest
