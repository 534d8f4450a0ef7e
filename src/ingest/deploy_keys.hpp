#pragma once
// Deploy keys: organization-wide keys that enroll agents ("rdk_<16-hex id>_<43-char secret>",
// the same shape as v4.0 API keys, stored as SHA-256 of the secret). Rotation gives the key a new
// secret under the same id: the old secret stops enrolling at once, enrolled agents keep working
// (they hold their own keys). Revocation ends the key. Listing shows the last enrollment's time
// and host, never a secret. Blocking: every method calls the store.
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "store/store.hpp"

namespace rampart::ingest {

struct IssuedDeployKey {
  Secret token;  // shown once
  store::DeployKeyRecord record;
};

class DeployKeyService {
 public:
  DeployKeyService(store::AgentStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<IssuedDeployKey> Create(const std::string& org_id, const std::string& description);
  Result<std::vector<store::DeployKeyRecord>> List(const std::string& org_id);
  // A new secret for the key (NotFound when the organization has no such unrevoked key).
  Result<IssuedDeployKey> Rotate(const std::string& org_id, const std::string& id);
  Result<void> Revoke(const std::string& org_id, const std::string& id);
  // The key a Bearer token names, if it is one of ours, unrevoked, with a matching secret
  // (compared in constant time); Unauthorized otherwise, with one message for every failure.
  Result<store::DeployKeyRecord> Check(std::string_view authorization);

 private:
  store::AgentStore& store_;
  const Clock& clock_;
};

// `{"id","description","createdAt","rotatedAt","revokedAt","lastUsedAt","lastUsedHost"}`, and
// "key" when a token is given (creation and rotation only).
std::string DeployKeyJson(const store::DeployKeyRecord& k, const Secret* token = nullptr);

}  // namespace rampart::ingest
