#pragma once
// The SQLite implementation of store::EnforcementStore, over the connections SqliteStore owns.
#include "store/sqlite/connections.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

// One audit_log row, inside the caller's transaction.
Result<void> InsertAuditRow(Db& db, const AuditRecord& a);

class SqliteEnforcement {
 public:
  explicit SqliteEnforcement(Connections& c) : c_(c) {}
  Result<std::vector<PolicyObjectRecord>> List(const std::string& org_id, const std::string& kind);
  Result<void> Put(const PolicyObjectRecord& o, const AuditRecord& audit);
  Result<void> Delete(const std::string& org_id, const std::string& kind, const std::string& id,
                      const AuditRecord& audit);
  Result<void> AppendZoneVersion(const ZoneVersionRecord& v, int keep);
  Result<std::vector<ZoneVersionRecord>> ZoneVersions(const std::string& zone);

 private:
  Connections& c_;
};

}  // namespace rampart::store::sqlite
