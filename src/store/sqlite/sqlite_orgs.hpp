#pragma once
// The SQLite implementation of store::OrgStore, over the connections SqliteStore owns.
#include "store/sqlite/connections.hpp"
#include "base/changes.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

// Appends a change-log entry (inside the caller's transaction).
Result<void> AppendChange(Db& db, const char* topic, const std::string& key);

// Owners of the organization now (inside the caller's transaction).
Result<int64_t> OwnerCount(Db& db, const std::string& org_id);
// Conflict when a change inside the caller's transaction took the organization's last owner
// (it had `owners_before`, it has none now).
Result<void> KeepAnOwner(Db& db, const std::string& org_id, int64_t owners_before);

class SqliteOrgs {
 public:
  explicit SqliteOrgs(Connections& c) : c_(c) {}
  Result<void> CreateOrg(const OrgRecord& o);
  Result<std::vector<OrgRecord>> ListOrgs();
  Result<std::optional<OrgRecord>> FindOrg(const std::string& key);
  Result<OrgContents> ContentsOf(const std::string& org_id);
  Result<void> DeleteOrg(const std::string& org_id, const AuditRecord& audit, bool only_if_empty);
  Result<void> CreateUser(const UserRecord& u);
  Result<std::optional<UserRecord>> FindUser(const std::string& key);
  Result<void> UpdateUser(const UserRecord& u);
  Result<std::vector<MemberRecord>> ListUsers(const std::string& org_id);
  Result<void> PutMembership(const MembershipRecord& m, const std::optional<V2AuditRecord>& audit);
  Result<void> DeleteMembership(const std::string& org_id, const std::string& user_id,
                                const std::optional<V2AuditRecord>& audit);
  Result<std::vector<MembershipRecord>> MembershipsOfUser(const std::string& user_id);
  Result<void> AddHawkKey(const HawkKeyRecord& k, std::optional<int64_t> retire_others_at);
  Result<std::vector<HawkKeyRecord>> ValidHawkKeys(const std::string& user_id, int64_t now_ms);
  Result<std::optional<std::string>> AnySealedKey();
  Result<void> CreateApiKey(const ApiKeyRecord& k);
  Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& id);
  Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& org_id);
  Result<bool> RevokeApiKey(const std::string& id, int64_t at_ms);
  Result<void> TouchApiKeys(const std::vector<std::pair<std::string, int64_t>>& used);
  Result<int64_t> LatestChange();
  Result<std::vector<ChangeRecord>> ChangesSince(int64_t seq, int64_t limit);
  Result<void> TrimChanges(int64_t before_ms);

 private:
  Connections& c_;
};

// A users row joined to a membership (kListUsers, kMembersOfOrg column order).
MemberRecord ReadMember(const Stmt& s);

}  // namespace rampart::store::sqlite
