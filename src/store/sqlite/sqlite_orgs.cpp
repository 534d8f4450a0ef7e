#include "store/sqlite/sqlite_orgs.hpp"

#include "store/sqlite/org_queries.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/sqlite_enforcement.hpp"
#include "store/sqlite/sqlite_v2.hpp"

namespace rampart::store::sqlite {
namespace {

OrgRecord ReadOrg(const Stmt& s) { return {s.Text(0), s.Text(1), s.Int(2), s.Text(3)}; }

UserRecord ReadUser(const Stmt& s, int at) {
  return {s.Text(at), s.Text(at + 1), s.Int(at + 2), s.Text(at + 3), s.OptText(at + 4), s.OptInt(at + 5)};
}

ApiKeyRecord ReadKey(const Stmt& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.OptInt(7), s.OptInt(8), s.OptInt(9)};
}

}  // namespace

MemberRecord ReadMember(const Stmt& s) { return {{s.Text(0), s.Text(1), s.Text(2)}, ReadUser(s, 3)}; }

Result<void> AppendChange(Db& db, const char* topic, const std::string& key) {
  Stmt s(db, q::kAppendChange);
  return s.Bind(1, std::string_view(topic)).Bind(2, key).Run();
}

Result<int64_t> OwnerCount(Db& db, const std::string& org_id) {
  Stmt s(db, q::kOwnerCount);
  s.Bind(1, org_id);
  RAMPART_TRY(row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<void> KeepAnOwner(Db& db, const std::string& org_id, int64_t owners_before) {
  RAMPART_TRY(now, OwnerCount(db, org_id));
  if (owners_before > 0 && now == 0) return Error::Conflict("an organization keeps at least one owner");
  return {};
}

Result<void> SqliteOrgs::CreateOrg(const OrgRecord& o) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kInsertOrg);
  return s.Bind(1, o.id).Bind(2, o.name).Bind(3, o.created_at_ms).Run();
}

Result<std::vector<OrgRecord>> SqliteOrgs::ListOrgs() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListOrgs);
  return CollectRows<OrgRecord>(s, ReadOrg);
}

Result<std::optional<OrgRecord>> SqliteOrgs::FindOrg(const std::string& key) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindOrg);
  s.Bind(1, key);
  RAMPART_TRY(rows, CollectRows<OrgRecord>(s, ReadOrg));
  return FirstRow(std::move(rows));
}

namespace {

Result<OrgContents> CountContents(Db& db, const std::string& org_id) {
  Stmt s(db, q::kOrgContents);
  s.Bind(1, org_id);
  RAMPART_TRY(row, s.Step());
  if (!row) return Error::Internal("no row from a count");
  return OrgContents{s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Int(4), s.Int(5), s.Int(6), s.Int(7), s.Int(8), s.Int(9)};
}

}  // namespace

Result<OrgContents> SqliteOrgs::ContentsOf(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  return CountContents(db, org_id);
}

Result<void> SqliteOrgs::DeleteOrg(const std::string& org_id, const AuditRecord& audit, bool only_if_empty) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  if (only_if_empty) {  // counted inside the transaction: nothing can be added between count and delete
    RAMPART_TRY(held, CountContents(c_.writer, org_id));
    if (held.Total() > 0) return Error::InUse("the organization holds data");
  }
  for (const char* sql : q::kDeleteOrgData) {
    Stmt s(c_.writer, sql);
    RAMPART_CHECK(s.Bind(1, org_id).Run());
  }
  if (sqlite3_changes(c_.writer.get()) != 1) return Error::NotFound("no such organization");
  RAMPART_CHECK(InsertAuditRow(c_.writer, audit));
  RAMPART_CHECK(AppendChange(c_.writer, change_topic::kOrg, org_id));
  return txn.Commit();
}

Result<void> SqliteOrgs::CreateUser(const UserRecord& u) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kInsertUser);
  s.Bind(1, u.id).Bind(2, u.email).Bind(3, u.created_at_ms).Bind(4, u.display_name);
  return s.Bind(5, u.password_hash).Bind(6, u.disabled_at_ms).Run();
}

Result<std::optional<UserRecord>> SqliteOrgs::FindUser(const std::string& key) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindUser);
  s.Bind(1, key);
  RAMPART_TRY(rows, CollectRows<UserRecord>(s, [](const Stmt& r) { return ReadUser(r, 0); }));
  return FirstRow(std::move(rows));
}

Result<void> SqliteOrgs::UpdateUser(const UserRecord& u) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kUpdateUser);
  RAMPART_CHECK(s.Bind(1, u.id).Bind(2, u.display_name).Bind(3, u.password_hash).Bind(4, u.disabled_at_ms).Run());
  if (sqlite3_changes(c_.writer.get()) != 1) return Error::NotFound("no such user");
  RAMPART_CHECK(AppendChange(c_.writer, change_topic::kUser, u.id));
  return txn.Commit();
}

Result<std::vector<MemberRecord>> SqliteOrgs::ListUsers(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListUsers);
  s.Bind(1, org_id);
  return CollectRows<MemberRecord>(s, ReadMember);
}

Result<void> SqliteOrgs::PutMembership(const MembershipRecord& m, const std::optional<V2AuditRecord>& audit) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  RAMPART_TRY(owners, OwnerCount(c_.writer, m.org_id));
  Stmt s(c_.writer, q::kPutMembership);
  RAMPART_CHECK(s.Bind(1, m.user_id).Bind(2, m.org_id).Bind(3, m.role).Run());
  RAMPART_CHECK(KeepAnOwner(c_.writer, m.org_id, owners));
  if (audit) RAMPART_CHECK(InsertV2Audit(c_.writer, *audit));
  RAMPART_CHECK(AppendChange(c_.writer, change_topic::kUser, m.user_id));
  return txn.Commit();
}

Result<void> SqliteOrgs::DeleteMembership(const std::string& org_id, const std::string& user_id,
                                          const std::optional<V2AuditRecord>& audit) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  RAMPART_TRY(owners, OwnerCount(c_.writer, org_id));
  Stmt s(c_.writer, q::kDeleteMembership);
  RAMPART_CHECK(s.Bind(1, user_id).Bind(2, org_id).Run());
  if (sqlite3_changes(c_.writer.get()) != 1) return Error::NotFound("no such member");
  RAMPART_CHECK(KeepAnOwner(c_.writer, org_id, owners));
  if (audit) RAMPART_CHECK(InsertV2Audit(c_.writer, *audit));
  RAMPART_CHECK(AppendChange(c_.writer, change_topic::kUser, user_id));
  return txn.Commit();
}

Result<std::vector<MembershipRecord>> SqliteOrgs::MembershipsOfUser(const std::string& user_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kMembershipsOfUser);
  s.Bind(1, user_id);
  return CollectRows<MembershipRecord>(s, [](const Stmt& r) { return MembershipRecord{r.Text(0), r.Text(1), r.Text(2)}; });
}

Result<void> SqliteOrgs::AddHawkKey(const HawkKeyRecord& k, std::optional<int64_t> retire_others_at) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  if (retire_others_at) {
    Stmt retire(c_.writer, q::kRetireHawkKeys);
    RAMPART_CHECK(retire.Bind(1, k.user_id).Bind(2, *retire_others_at).Run());
  }
  Stmt s(c_.writer, q::kInsertHawkKey);
  RAMPART_CHECK(s.Bind(1, k.user_id).Bind(2, k.sealed_key).Bind(3, k.created_at_ms).Bind(4, k.valid_until_ms).Run());
  if (retire_others_at) RAMPART_CHECK(AppendChange(c_.writer, change_topic::kUser, k.user_id));
  return txn.Commit();
}

Result<std::vector<HawkKeyRecord>> SqliteOrgs::ValidHawkKeys(const std::string& user_id, int64_t now_ms) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kValidHawkKeys);
  s.Bind(1, user_id).Bind(2, now_ms);
  return CollectRows<HawkKeyRecord>(s, [](const Stmt& r) {
    return HawkKeyRecord{r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.OptInt(4)};
  });
}

Result<std::optional<std::string>> SqliteOrgs::AnySealedKey() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kAnySealedKey);
  RAMPART_TRY(rows, CollectRows<std::string>(s, [](const Stmt& r) { return r.Text(0); }));
  return FirstRow(std::move(rows));
}

Result<void> SqliteOrgs::CreateApiKey(const ApiKeyRecord& k) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kInsertApiKey);
  s.Bind(1, k.id).Bind(2, k.org_id).Bind(3, k.secret_hash).Bind(4, k.perms).Bind(5, k.networks);
  s.Bind(6, k.description).Bind(7, k.created_at_ms).Bind(8, k.expires_at_ms).Bind(9, k.revoked_at_ms);
  return s.Bind(10, k.last_used_at_ms).Run();
}

Result<std::optional<ApiKeyRecord>> SqliteOrgs::FindApiKey(const std::string& id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindApiKey);
  s.Bind(1, id);
  RAMPART_TRY(rows, CollectRows<ApiKeyRecord>(s, ReadKey));
  return FirstRow(std::move(rows));
}

Result<std::vector<ApiKeyRecord>> SqliteOrgs::ListApiKeys(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListApiKeys);
  s.Bind(1, org_id);
  return CollectRows<ApiKeyRecord>(s, ReadKey);
}

Result<bool> SqliteOrgs::RevokeApiKey(const std::string& id, int64_t at_ms) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kRevokeApiKey);
  RAMPART_CHECK(s.Bind(1, id).Bind(2, at_ms).Run());
  if (sqlite3_changes(c_.writer.get()) == 0) return false;
  RAMPART_CHECK(AppendChange(c_.writer, change_topic::kApiKey, id));
  RAMPART_CHECK(txn.Commit());
  return true;
}

Result<void> SqliteOrgs::TouchApiKeys(const std::vector<std::pair<std::string, int64_t>>& used) {
  if (used.empty()) return {};
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kTouchApiKey);
  for (const auto& [id, at] : used) RAMPART_CHECK(s.Bind(1, id).Bind(2, at).Run());
  return txn.Commit();
}

}  // namespace rampart::store::sqlite

namespace rampart::store::sqlite {

Result<int64_t> SqliteOrgs::LatestChange() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kLatestChange);
  RAMPART_TRY(row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<std::vector<ChangeRecord>> SqliteOrgs::ChangesSince(int64_t seq, int64_t limit) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kChangesSince);
  s.Bind(1, seq).Bind(2, limit);
  return CollectRows<ChangeRecord>(s, [](const Stmt& r) { return ChangeRecord{r.Int(0), r.Text(1), r.Text(2), r.Int(3)}; });
}

Result<void> SqliteOrgs::TrimChanges(int64_t before_ms) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kTrimChanges);
  return s.Bind(1, before_ms).Run();
}

}  // namespace rampart::store::sqlite
