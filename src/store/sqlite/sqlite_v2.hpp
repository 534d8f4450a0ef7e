#pragma once
// The SQLite implementation of store::V2Store, over the connections SqliteStore owns.
#include "store/sqlite/connections.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

// Inserts or replaces alert rows inside the caller's transaction (on `db`, the writer).
Result<void> PutAlertRows(Db& db, const std::vector<AlertRecord>& alerts);

// One v2_audit row, inside the caller's transaction.
Result<void> InsertV2Audit(Db& db, const V2AuditRecord& a);

class SqliteV2 {
 public:
  explicit SqliteV2(Connections& c) : c_(c) {}
  Result<void> Commit(const V2Write& w);
  Result<std::vector<ObjectRecord>> ListObjects(const std::string& org_id, const std::string& kind,
                                                const std::string& parent_id);
  Result<std::optional<ObjectRecord>> GetObject(const std::string& org_id, const std::string& kind,
                                                const std::string& id);
  Result<std::vector<RulesetRecord>> ListRulesets(const std::string& org_id);
  Result<std::optional<RulesetRecord>> GetRuleset(const std::string& org_id, const std::string& id);
  Result<std::vector<RuleRecord>> ListRules(const std::string& org_id, const std::string& ruleset_id);
  Result<std::optional<RuleRecord>> GetRule(const std::string& org_id, const std::string& id);
  Result<std::vector<std::string>> AgentsUsingRuleset(const std::string& org_id, const std::string& ruleset_id);
  Result<void> PutVulnerabilities(const std::vector<VulnRecord>& vulns);
  Result<std::vector<VulnRecord>> ListVulnerabilities(const VulnQuery& q);
  Result<std::optional<VulnRecord>> GetVulnerability(const std::string& org_id, const std::string& cve);
  Result<std::vector<V2AuditRecord>> ListV2Audit(const TimePageQuery& q);
  Result<std::vector<MemberRecord>> MembersOfOrg(const std::string& org_id);

 private:
  Connections& c_;
};

}  // namespace rampart::store::sqlite
