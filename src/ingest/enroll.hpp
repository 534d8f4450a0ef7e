#pragma once
// Enrollment (POST /ingest/v1/enroll, docs/ingest.md): a deploy key, the host's facts and its
// fingerprint (the machine id) in; the agent's id and its own Hawk key out. The same host
// (organization + machine id) re-enrolls as the same agent: it keeps its id, history and
// creation time, gets a new key, and the old key stops at once. A revoked agent cannot re-enroll
// (403): revocation sticks even when the deploy key leaked. Every enrollment is in the
// organization's v2 audit log. Blocking: call on the blocking pool.
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "crypto/secretbox.hpp"
#include "ingest/agent_keys.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"

namespace rampart::ingest {

inline constexpr int64_t kHeartbeatIntervalS = 30;

struct Enrolled {
  std::string agent_id;
  Secret key;  // the agent's Hawk key, shown once
  bool reenrolled = false;
  std::vector<std::string> rulesets;  // ids
};

class Enroller {
 public:
  Enroller(store::Store& store, AgentKeys& keys, telemetry::AgentDirectory& directory, const crypto::SecretBox& box,
           const Clock& clock)
      : store_(store), keys_(keys), directory_(directory), box_(box), clock_(clock) {}

  // Invalid naming the field for a bad request; Forbidden for a revoked host.
  Result<Enrolled> Enroll(const store::DeployKeyRecord& deploy_key, std::string_view body);
  // Stops the agent's key at once. NotFound when the organization has no such enrolled agent.
  Result<void> Revoke(const std::string& org_id, const std::string& agent_id, const std::string& actor);

 private:
  store::Store& store_;
  AgentKeys& keys_;
  telemetry::AgentDirectory& directory_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
};

// The enrollment reply: {"agentId","hawk":{"id","key","algorithm"},"heartbeatIntervalSeconds","reenrolled","rulesets"}.
std::string EnrolledJson(const Enrolled& e);

}  // namespace rampart::ingest
