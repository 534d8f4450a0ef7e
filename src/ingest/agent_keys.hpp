#pragma once
// Enrolled agents' identities for the ingest surface's Hawk check: the agent id is the Hawk id,
// its key is sealed at rest (crypto::SecretBox) and opened here once per load. A cached identity
// is served on the I/O thread; a miss loads from the store on the blocking pool. Revoked agents
// and ids that are not agents are cached as such (so unknown ids do not reach the store each
// time). Freshness: this process's revocations and re-enrollments Forget() at once; another
// process's arrive through the change log (topic "agent"); every entry expires after `ttl_ms`.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "crypto/secretbox.hpp"
#include "store/store.hpp"

namespace rampart::ingest {

struct AgentIdentity {
  std::string agent_id;
  std::string org_id;
  std::string key;                    // the opened Hawk key
  std::vector<std::string> rulesets;  // ruleset ids
};

class AgentKeys {
 public:
  AgentKeys(store::AgentStore& store, const crypto::SecretBox& box, const Clock& clock, int64_t ttl_ms,
            size_t capacity = 200000)
      : store_(store), box_(box), clock_(clock), ttl_ms_(ttl_ms), capacity_(capacity) {}

  // Whether the answer for `agent_id` is known without the store.
  bool IsCached(const std::string& agent_id) const;
  // The agent if it is enrolled and not revoked. Without `may_load` only the cache answers.
  std::shared_ptr<const AgentIdentity> Find(const std::string& agent_id, bool may_load);
  void Forget(const std::string& agent_id);

 private:
  struct Entry {
    std::shared_ptr<const AgentIdentity> identity;  // null: not an agent, or revoked
    int64_t loaded_ms = 0;
  };
  store::AgentStore& store_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  const int64_t ttl_ms_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;
};

}  // namespace rampart::ingest
