#include "store/sqlite/sqlite_enforcement.hpp"

#include "store/sqlite/queries.hpp"

namespace rampart::store::sqlite {

Result<std::vector<PolicyObjectRecord>> SqliteEnforcement::List(const std::string& org_id,
                                                                const std::string& kind) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListPolicyObjects);
  s.Bind(1, org_id).Bind(2, kind);
  return CollectRows<PolicyObjectRecord>(s, [](const Stmt& r) {
    return PolicyObjectRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5)};
  });
}

namespace {

// Replaces a policy's list references. A list that no longer exists fails the foreign key.
Result<void> PutListRefs(Db& db, const PolicyObjectRecord& o) {
  Stmt del(db, q::kDeletePolicyListRefs);
  RAMPART_CHECK(del.Bind(1, o.id).Run());
  Stmt ins(db, q::kInsertPolicyListRef);
  for (const std::string& list_id : o.list_ids) {
    auto done = ins.Bind(1, o.org_id).Bind(2, o.id).Bind(3, list_id).Run();
    if (!done && done.error().code == Errc::kInUse) {
      return Error::Invalid("no such user list: " + list_id.substr(0, 64));
    }
    RAMPART_CHECK(done);
  }
  return {};
}

}  // namespace

Result<void> InsertAuditRow(Db& db, const AuditRecord& a) {
  Stmt s(db, q::kInsertAudit);
  s.Bind(1, a.org_id).Bind(2, a.list_id).Bind(3, a.list_kind).Bind(4, a.list_name);
  return s.Bind(5, a.actor).Bind(6, a.action).Bind(7, a.at_ms).Bind(8, a.changes_json).Run();
}

Result<void> SqliteEnforcement::Put(const PolicyObjectRecord& o, const AuditRecord& audit) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kPutPolicyObject);
  s.Bind(1, o.org_id).Bind(2, o.kind).Bind(3, o.id).Bind(4, o.name).Bind(5, o.created_at_ms);
  RAMPART_CHECK(s.Bind(6, o.doc).Run());
  if (o.kind == "policy") RAMPART_CHECK(PutListRefs(c_.writer, o));
  RAMPART_CHECK(InsertAuditRow(c_.writer, audit));
  return txn.Commit();
}

Result<void> SqliteEnforcement::Delete(const std::string& org_id, const std::string& kind,
                                       const std::string& id, const AuditRecord& audit) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kDeletePolicyObject);
  RAMPART_CHECK(s.Bind(1, org_id).Bind(2, kind).Bind(3, id).Run());
  if (sqlite3_changes(c_.writer.get()) != 1) return Error::NotFound("no such " + kind + " " + id);
  if (kind == "policy") RAMPART_CHECK(PutListRefs(c_.writer, {org_id, kind, id, "", 0, "", {}}));
  RAMPART_CHECK(InsertAuditRow(c_.writer, audit));
  return txn.Commit();
}

Result<void> SqliteEnforcement::AppendZoneVersion(const ZoneVersionRecord& v, int keep) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt ins(c_.writer, q::kInsertZoneVersion);
  std::optional<int64_t> from = v.from_serial ? std::optional<int64_t>(*v.from_serial) : std::nullopt;
  ins.Bind(1, v.zone).Bind(2, int64_t{v.serial}).Bind(3, from).Bind(4, v.delta).Bind(5, v.content_hash);
  RAMPART_CHECK(ins.Bind(6, v.at_ms).Run());
  Stmt trim(c_.writer, q::kTrimZoneVersions);
  RAMPART_CHECK(trim.Bind(1, v.zone).Bind(2, int64_t{keep}).Run());
  return txn.Commit();
}

Result<std::vector<ZoneVersionRecord>> SqliteEnforcement::ZoneVersions(const std::string& zone) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kZoneVersions);
  s.Bind(1, zone);
  return CollectRows<ZoneVersionRecord>(s, [](const Stmt& r) {
    auto from = r.OptInt(2);
    return ZoneVersionRecord{r.Text(0), static_cast<uint32_t>(r.Int(1)),
                             from ? std::optional<uint32_t>(static_cast<uint32_t>(*from)) : std::nullopt,
                             r.Text(3), r.Text(4), r.Int(5)};
  });
}

}  // namespace rampart::store::sqlite
