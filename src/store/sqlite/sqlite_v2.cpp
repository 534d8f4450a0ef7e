#include "store/sqlite/sqlite_v2.hpp"

#include "store/sqlite/keyset.hpp"
#include "store/sqlite/org_queries.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/sqlite_agents.hpp"
#include "store/sqlite/sqlite_orgs.hpp"
#include "store/sqlite/sqlite_rules.hpp"

namespace rampart::store::sqlite {
namespace {

ObjectRecord ReadObject(const Stmt& s) { return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5)}; }

VulnRecord ReadVuln(const Stmt& s) {
  return {s.Text(0), s.Text(1), s.Int(2), s.Int(3) != 0, s.Int(4) != 0, s.Text(5), s.Text(6), s.Text(7), s.Int(8) != 0};
}

std::optional<int64_t> OptBool(const std::optional<bool>& b) {
  return b ? std::optional<int64_t>(*b ? 1 : 0) : std::nullopt;
}

}  // namespace

Result<void> PutAlertRows(Db& db, const std::vector<AlertRecord>& alerts) {
  Stmt s(db, q::kPutAlert);
  for (const AlertRecord& a : alerts) {
    s.Bind(1, a.org_id).Bind(2, a.id).Bind(3, a.created_at_ms).Bind(4, int64_t{a.dismissed}).Bind(5, int64_t{a.severity});
    RAMPART_CHECK(s.Bind(6, a.rule_id).Bind(7, a.agent_id).Bind(8, a.doc).Bind(9, a.events).Run());
  }
  return {};
}

Result<void> InsertV2Audit(Db& db, const V2AuditRecord& a) {
  Stmt s(db, q::kInsertV2Audit);
  return s.Bind(1, a.org_id).Bind(2, a.id).Bind(3, a.created_at_ms).Bind(4, a.doc).Run();
}

Result<void> SqliteV2::Commit(const V2Write& w) {
  std::lock_guard lock(c_.write_mu);
  Db& db = c_.writer;
  Txn txn(db);
  if (!txn.begun()) return txn.begun().error();
  if (w.base_ruleset_id) RAMPART_CHECK(ClaimBaseRules(db, w.org_id, *w.base_ruleset_id));
  Stmt del(db, q::kDeleteObject);
  for (const auto& [kind, id] : w.delete_objects) RAMPART_CHECK(del.Bind(1, w.org_id).Bind(2, kind).Bind(3, id).Run());
  Stmt put(db, q::kPutObject);
  for (const ObjectRecord& o : w.put_objects) {
    put.Bind(1, w.org_id).Bind(2, o.kind).Bind(3, o.id).Bind(4, o.parent_id).Bind(5, o.created_at_ms);
    RAMPART_CHECK(put.Bind(6, o.doc).Run());
  }
  RAMPART_CHECK(ApplyRuleChanges(db, w));
  RAMPART_CHECK(PutAlertRows(db, w.put_alerts));
  Stmt sup(db, q::kSetSuppressed);
  for (const auto& [cve, on] : w.set_suppressed) {
    RAMPART_CHECK(sup.Bind(1, w.org_id).Bind(2, cve).Bind(3, int64_t{on}).Run());
  }
  if (w.audit) RAMPART_CHECK(InsertV2Audit(db, *w.audit));
  return txn.Commit();
}

Result<std::vector<RulesetRecord>> SqliteV2::ListRulesets(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  return ListRulesetRows(db, org_id);
}

Result<std::optional<RulesetRecord>> SqliteV2::GetRuleset(const std::string& org_id, const std::string& id) {
  auto [lock, db] = c_.Reader();
  return GetRulesetRow(db, org_id, id);
}

Result<std::vector<std::string>> SqliteV2::AgentsUsingRuleset(const std::string& org_id,
                                                              const std::string& ruleset_id) {
  auto [lock, db] = c_.Reader();
  return AgentsUsingRulesetRows(db, org_id, ruleset_id);
}

Result<std::vector<RuleRecord>> SqliteV2::ListRules(const std::string& org_id, const std::string& ruleset_id) {
  auto [lock, db] = c_.Reader();
  return ListRuleRows(db, org_id, ruleset_id);
}

Result<std::optional<RuleRecord>> SqliteV2::GetRule(const std::string& org_id, const std::string& id) {
  auto [lock, db] = c_.Reader();
  return GetRuleRow(db, org_id, id);
}

Result<std::vector<ObjectRecord>> SqliteV2::ListObjects(const std::string& org_id, const std::string& kind,
                                                        const std::string& parent_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListObjects);
  s.Bind(1, org_id).Bind(2, kind).Bind(3, parent_id);
  return CollectRows<ObjectRecord>(s, ReadObject);
}

Result<std::optional<ObjectRecord>> SqliteV2::GetObject(const std::string& org_id, const std::string& kind,
                                                        const std::string& id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kGetObject);
  s.Bind(1, org_id).Bind(2, kind).Bind(3, id);
  RAMPART_TRY(rows, CollectRows<ObjectRecord>(s, ReadObject));
  return FirstRow(std::move(rows));
}

Result<void> SqliteV2::PutVulnerabilities(const std::vector<VulnRecord>& vulns) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kPutVulnerability);
  for (const VulnRecord& v : vulns) {
    s.Bind(1, v.org_id).Bind(2, v.id).Bind(3, v.created_at_ms).Bind(4, int64_t{v.suppressed});
    RAMPART_CHECK(s.Bind(5, int64_t{v.has_notices}).Bind(6, v.package).Bind(7, v.doc).Run());
  }
  return txn.Commit();
}

Result<std::vector<VulnRecord>> SqliteV2::ListVulnerabilities(const VulnQuery& vq) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListVulnerabilities);
  auto upper = KeysetUpper(std::nullopt, vq.after);
  s.Bind(1, vq.org_id).Bind(2, OptBool(vq.suppressed)).Bind(3, OptBool(vq.has_notices)).Bind(4, vq.agent_id);
  s.Bind(5, vq.package).Bind(6, upper.first).Bind(7, upper.second).Bind(8, vq.limit).Bind(9, OptBool(vq.unfixed));
  return CollectRows<VulnRecord>(s, ReadVuln);
}

Result<std::optional<VulnRecord>> SqliteV2::GetVulnerability(const std::string& org_id, const std::string& cve) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kGetVulnerability);
  s.Bind(1, org_id).Bind(2, cve);
  RAMPART_TRY(rows, CollectRows<VulnRecord>(s, ReadVuln));
  return FirstRow(std::move(rows));
}

Result<std::vector<V2AuditRecord>> SqliteV2::ListV2Audit(const TimePageQuery& tq) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListV2Audit);
  auto upper = KeysetUpper(tq.until_ms, tq.after);
  s.Bind(1, tq.org_id).Bind(2, tq.from_ms.value_or(kMinMs)).Bind(3, upper.first).Bind(4, upper.second).Bind(5, tq.limit);
  return CollectRows<V2AuditRecord>(s, [](const Stmt& r) {
    return V2AuditRecord{r.Text(0), r.Text(1), r.Int(2), r.Text(3)};
  });
}

Result<std::vector<MemberRecord>> SqliteV2::MembersOfOrg(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kMembersOfOrg);
  s.Bind(1, org_id);
  return CollectRows<MemberRecord>(s, ReadMember);
}

}  // namespace rampart::store::sqlite
