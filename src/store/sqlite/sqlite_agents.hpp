#pragma once
// The SQLite implementation of store::AgentStore, over the connections SqliteStore owns.
#include "store/sqlite/connections.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

class SqliteAgents {
 public:
  explicit SqliteAgents(Connections& c) : c_(c) {}
  Result<void> CreateDeployKey(const DeployKeyRecord& k);
  Result<std::optional<DeployKeyRecord>> FindDeployKey(const std::string& id);
  Result<std::vector<DeployKeyRecord>> ListDeployKeys(const std::string& org_id);
  Result<bool> RotateDeployKey(const std::string& org_id, const std::string& id, const std::string& hash, int64_t at);
  Result<bool> RevokeDeployKey(const std::string& org_id, const std::string& id, int64_t at);
  Result<void> Enroll(const Enrollment& e);
  Result<std::optional<AgentKeyRecord>> FindAgentKey(const std::string& agent_id);
  Result<std::optional<AgentKeyRecord>> FindAgentByFingerprint(const std::string& org_id, const std::string& fp);
  Result<std::vector<AgentKeyRecord>> ListAgentKeys();
  Result<bool> RevokeAgent(const std::string& org_id, const std::string& agent_id, int64_t at,
                           const V2AuditRecord& audit);
  Result<void> UpdateLiveness(const std::vector<AgentLiveness>& agents);
  Result<std::vector<BatchOutcome>> StoreBatches(std::span<const EventBatch* const> batches);
  Result<bool> BatchSeen(const std::string& agent_id, int64_t seq);
  Result<std::vector<EventRecord>> RecentEvents(const std::string& org_id, int64_t limit);
  Result<RetentionOutcome> ApplyRetention(int64_t events_before_ms, int64_t alerts_before_ms);
  Result<std::vector<std::string>> OrgsWithoutBaseRules();

 private:
  Connections& c_;
};

// Claims the organization's Base Rule Set for `ruleset_id` inside the caller's transaction:
// Conflict when it was given one before.
Result<void> ClaimBaseRules(Db& db, const std::string& org_id, const std::string& ruleset_id);

}  // namespace rampart::store::sqlite
