// SQLite backend: WAL, synchronous=FULL (an acknowledged commit survives power loss), foreign
// keys on (off only while migrating, then checked). One writer connection behind a mutex and four
// reader connections (connections.hpp), so reads proceed while a large write commits (WAL readers
// never block on the writer). Organizations, v2 objects and enforcement live in sqlite_orgs.cpp,
// sqlite_v2.cpp and sqlite_enforcement.cpp; lists and telemetry here.
#include <array>
#include <atomic>
#include <mutex>

#include "store/sqlite/connections.hpp"
#include "store/sqlite/keyset.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/sqlite_agents.hpp"
#include "store/sqlite/sqlite_enforcement.hpp"
#include "store/sqlite/sqlite_orgs.hpp"
#include "store/sqlite/sqlite_v2.hpp"
#include "store/sqlite/sqlite_vulns.hpp"
#include "store/sqlite/sqlite_webhooks.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace rampart::store {
namespace {

using sqlite::KeysetUpper;
using sqlite::kMinMs;

using sqlite::Db;
using sqlite::Stmt;
using sqlite::Txn;

AgentRecord ReadAgent(const Stmt& s) { return {s.Text(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4)}; }

AlertRecord ReadAlert(const Stmt& s) {
  return {s.Text(0), s.Text(1), s.Int(2), s.Int(3) != 0, static_cast<int>(s.Int(4)), s.OptText(5), s.OptText(6),
          s.Text(7), s.Text(8)};
}

AlertRecord ReadAlertPage(const Stmt& s) {  // sqlite::q::kListAlertPage's columns
  AlertRecord a;
  a.id = s.Text(0);
  a.created_at_ms = s.Int(1);
  a.doc = s.Text(2);
  return a;
}

Result<void> Configure(Db& db) {
  RAMPART_CHECK(db.Exec("PRAGMA journal_mode = WAL"));
  RAMPART_CHECK(db.Exec("PRAGMA synchronous = FULL"));
  RAMPART_CHECK(db.Exec("PRAGMA foreign_keys = ON"));
  // 32 MiB of page cache per connection (SQLite's default is 2 MiB): a large transaction — a
  // feed import, findings for many hosts — otherwise spills and rewrites the same pages to the
  // WAL over and over. Memory is taken only as pages are used.
  RAMPART_CHECK(db.Exec("PRAGMA cache_size = -32768"));
  return {};
}

class SqliteStore final : public Store {
 public:
  Result<void> Open(const SqliteOptions& o) {
    RAMPART_CHECK(writer_.Open(o.path, o.busy_timeout_ms));
    RAMPART_CHECK(Configure(writer_));
    RAMPART_CHECK(sqlite::Migrate(writer_));
    if (o.path == ":memory:") return {};  // a second connection would be a separate database
    EmptyLeftoverWal(o.busy_timeout_ms);
    RAMPART_CHECK(c_.OpenReaders(o.path, o.busy_timeout_ms, Configure));
    RAMPART_TRY(checkpointer, sqlite::Checkpointer::Start(writer_, o.path, o.busy_timeout_ms, {}));
    checkpointer_ = std::move(checkpointer);
    return {};
  }

  // A WAL left by a process that did not close the database (kill -9, a crash) is copied into the
  // file and emptied before anything reads: until a WAL is reset every page read looks itself up
  // in the WAL's index, and only a write resets it (a read-mostly server ran at a third of its
  // speed). Without waiting: when another process holds the database this is a plain copy.
  void EmptyLeftoverWal(int busy_timeout_ms) {
    sqlite3_busy_timeout(writer_.get(), 0);
    sqlite3_wal_checkpoint_v2(writer_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_timeout(writer_.get(), busy_timeout_ms);
  }

  // OrgStore: see sqlite_orgs.cpp.
  Result<void> CreateOrg(const OrgRecord& o) override { return orgs_.CreateOrg(o); }
  Result<std::vector<OrgRecord>> ListOrgs() override { return orgs_.ListOrgs(); }
  Result<std::optional<OrgRecord>> FindOrg(const std::string& key) override { return orgs_.FindOrg(key); }
  Result<OrgContents> ContentsOf(const std::string& org_id) override { return orgs_.ContentsOf(org_id); }
  Result<void> DeleteOrg(const std::string& org_id, const AuditRecord& audit, bool only_if_empty) override {
    return orgs_.DeleteOrg(org_id, audit, only_if_empty);
  }
  Result<void> CreateUser(const UserRecord& u) override { return orgs_.CreateUser(u); }
  Result<std::optional<UserRecord>> FindUser(const std::string& key) override { return orgs_.FindUser(key); }
  Result<void> UpdateUser(const UserRecord& u) override { return orgs_.UpdateUser(u); }
  Result<std::vector<MemberRecord>> ListUsers(const std::string& org_id) override { return orgs_.ListUsers(org_id); }
  Result<void> PutMembership(const MembershipRecord& m, const std::optional<V2AuditRecord>& audit) override {
    return orgs_.PutMembership(m, audit);
  }
  Result<void> DeleteMembership(const std::string& org_id, const std::string& user_id,
                                const std::optional<V2AuditRecord>& audit) override {
    return orgs_.DeleteMembership(org_id, user_id, audit);
  }
  Result<std::vector<MembershipRecord>> MembershipsOfUser(const std::string& user_id) override {
    return orgs_.MembershipsOfUser(user_id);
  }
  Result<void> AddHawkKey(const HawkKeyRecord& k, std::optional<int64_t> retire_others_at) override {
    return orgs_.AddHawkKey(k, retire_others_at);
  }
  Result<std::vector<HawkKeyRecord>> ValidHawkKeys(const std::string& user_id, int64_t now_ms) override {
    return orgs_.ValidHawkKeys(user_id, now_ms);
  }
  Result<std::optional<std::string>> AnySealedKey() override { return orgs_.AnySealedKey(); }
  Result<void> CreateApiKey(const ApiKeyRecord& k) override { return orgs_.CreateApiKey(k); }
  Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& id) override { return orgs_.FindApiKey(id); }
  Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& org_id) override {
    return orgs_.ListApiKeys(org_id);
  }
  Result<bool> RevokeApiKey(const std::string& id, int64_t at_ms) override { return orgs_.RevokeApiKey(id, at_ms); }
  Result<void> TouchApiKeys(const std::vector<std::pair<std::string, int64_t>>& used) override {
    return orgs_.TouchApiKeys(used);
  }

  // ChangeLog: see sqlite_orgs.cpp.
  Result<int64_t> LatestChange() override { return orgs_.LatestChange(); }
  Result<std::vector<ChangeRecord>> ChangesSince(int64_t seq, int64_t limit) override {
    return orgs_.ChangesSince(seq, limit);
  }
  Result<void> TrimChanges(int64_t before_ms) override { return orgs_.TrimChanges(before_ms); }

  Result<std::vector<std::string>> CheckIntegrity() override {
    auto [lock, db] = Reader();
    Stmt check(db, "PRAGMA integrity_check");
    RAMPART_TRY(lines, sqlite::CollectRows<std::string>(check, [](const Stmt& r) { return r.Text(0); }));
    Stmt fk(db, "PRAGMA foreign_key_check");
    RAMPART_TRY(orphans, sqlite::CollectRows<std::string>(fk, [](const Stmt& r) {
      return "foreign key: row " + std::to_string(r.Int(1)) + " of " + r.Text(0) + " names a missing row of " + r.Text(2);
    }));
    if (orphans.empty()) return lines;
    if (lines == std::vector<std::string>{"ok"}) lines.clear();
    lines.insert(lines.end(), orphans.begin(), orphans.end());
    return lines;
  }

  // ListStore
  Result<std::vector<ListRecord>> LoadLists(const std::string& org_id) override {
    auto [lock, db] = Reader();
    RAMPART_CHECK(db.Exec("BEGIN"));  // one consistent snapshot of lists and entries
    auto out = LoadListsLocked(db, org_id);
    db.Exec("COMMIT");
    return out;
  }

  Result<void> ApplyAll(std::span<const ListChange> changes) override {
    std::lock_guard lock(write_mu_);
    Txn txn(writer_);
    if (!txn.begun()) return txn.begun().error();
    for (const ListChange& c : changes) {
      RAMPART_CHECK(ApplyList(c));
      RAMPART_CHECK(ApplyEntries(c));
      RAMPART_CHECK(InsertAudit(c.audit));
    }
    return txn.Commit();
  }

  Result<std::vector<AuditRecord>> ReadAudit(const std::string& org_id, const std::string& list_id,
                                             int64_t offset, int64_t limit) override {
    auto [lock, db] = Reader();
    Stmt s(db, sqlite::q::kReadAudit);
    s.Bind(1, org_id).Bind(2, list_id).Bind(3, offset).Bind(4, limit);
    return sqlite::CollectRows<AuditRecord>(s, [](const Stmt& r) {
      return AuditRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7), r.Text(8)};
    });
  }

  // TelemetryStore
  Result<void> PutAgents(const std::vector<AgentRecord>& agents) override {
    std::lock_guard lock(write_mu_);
    Txn txn(writer_);
    if (!txn.begun()) return txn.begun().error();
    Stmt s(writer_, sqlite::q::kPutAgent);
    for (const AgentRecord& a : agents) {
      RAMPART_CHECK(s.Bind(1, a.org_id).Bind(2, a.id).Bind(3, a.status).Bind(4, a.created_at_ms).Bind(5, a.doc).Run());
    }
    return txn.Commit();
  }

  Result<std::vector<AgentRecord>> ListAgents(const PageQuery& q) override {
    auto [lock, db] = Reader();
    Stmt s(db, sqlite::q::kListAgents);
    s.Bind(1, q.org_id).Bind(2, q.status);
    auto upper = KeysetUpper(std::nullopt, q.after);
    s.Bind(3, upper.first).Bind(4, upper.second).Bind(5, q.limit);
    return sqlite::CollectRows<AgentRecord>(s, ReadAgent);
  }

  Result<std::optional<AgentRecord>> GetAgent(const std::string& org_id, const std::string& id) override {
    auto [lock, db] = Reader();
    Stmt s(db, sqlite::q::kGetAgent);
    s.Bind(1, org_id).Bind(2, id);
    RAMPART_TRY(rows, sqlite::CollectRows<AgentRecord>(s, ReadAgent));
    return sqlite::FirstRow(std::move(rows));
  }

  Result<void> PutAlerts(const std::vector<AlertRecord>& alerts) override {
    std::lock_guard lock(write_mu_);
    Txn txn(writer_);
    if (!txn.begun()) return txn.begun().error();
    RAMPART_CHECK(sqlite::PutAlertRows(writer_, alerts));
    return txn.Commit();
  }

  Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& q) override {
    auto [lock, db] = Reader();
    Stmt s(db, q.page_only ? sqlite::q::kListAlertPage : sqlite::q::kListAlerts);
    auto upper = KeysetUpper(q.until_ms, q.after);
    s.Bind(1, q.org_id).Bind(2, int64_t{q.dismissed});
    s.Bind(3, q.severity ? std::optional<int64_t>(*q.severity) : std::nullopt).Bind(4, q.rule_id).Bind(5, q.agent_id);
    s.Bind(6, q.from_ms.value_or(kMinMs)).Bind(7, upper.first).Bind(8, upper.second).Bind(9, q.limit);
    return sqlite::CollectRows<AlertRecord>(s, q.page_only ? ReadAlertPage : ReadAlert, q.limit);
  }

  Result<std::optional<AlertRecord>> GetAlert(const std::string& org_id, const std::string& id) override {
    auto [lock, db] = Reader();
    Stmt s(db, sqlite::q::kGetAlert);
    s.Bind(1, org_id).Bind(2, id);
    RAMPART_TRY(rows, sqlite::CollectRows<AlertRecord>(s, ReadAlert));
    return sqlite::FirstRow(std::move(rows));
  }

  Result<std::vector<std::pair<int, int64_t>>> AlertSeverityCounts(const std::string& org_id,
                                                                    std::optional<int64_t> from_ms,
                                                                    std::optional<int64_t> until_ms) override {
    auto [lock, db] = Reader();
    Stmt s(db, sqlite::q::kAlertSeverityCounts);
    s.Bind(1, org_id).Bind(2, from_ms).Bind(3, until_ms);
    return sqlite::CollectRows<std::pair<int, int64_t>>(
        s, [](const Stmt& r) { return std::pair<int, int64_t>(static_cast<int>(r.Int(0)), r.Int(1)); });
  }

  Result<int64_t> CountAudit(const std::string& org_id, const std::string& list_id) override {
    auto [lock, db] = Reader();
    Stmt s(db, sqlite::q::kCountAudit);
    s.Bind(1, org_id).Bind(2, list_id);
    RAMPART_TRY(row, s.Step());
    return row ? s.Int(0) : 0;
  }

 private:
  std::pair<std::unique_lock<std::mutex>, Db&> Reader() { return c_.Reader(); }

 public:
  // V2Store: see sqlite_v2.cpp.
  Result<void> Commit(const V2Write& w) override { return v2_.Commit(w); }
  Result<std::vector<ObjectRecord>> ListObjects(const std::string& org, const std::string& kind,
                                                const std::string& parent) override {
    return v2_.ListObjects(org, kind, parent);
  }
  Result<std::optional<ObjectRecord>> GetObject(const std::string& org, const std::string& kind,
                                                const std::string& id) override {
    return v2_.GetObject(org, kind, id);
  }
  Result<std::vector<RulesetRecord>> ListRulesets(const std::string& org) override { return v2_.ListRulesets(org); }
  Result<std::optional<RulesetRecord>> GetRuleset(const std::string& org, const std::string& id) override {
    return v2_.GetRuleset(org, id);
  }
  Result<std::vector<std::string>> AgentsUsingRuleset(const std::string& org, const std::string& id) override {
    return v2_.AgentsUsingRuleset(org, id);
  }
  Result<std::vector<RuleRecord>> ListRules(const std::string& org, const std::string& ruleset) override {
    return v2_.ListRules(org, ruleset);
  }
  Result<std::optional<RuleRecord>> GetRule(const std::string& org, const std::string& id) override {
    return v2_.GetRule(org, id);
  }
  Result<void> PutVulnerabilities(const std::vector<VulnRecord>& v) override { return v2_.PutVulnerabilities(v); }
  Result<std::vector<VulnRecord>> ListVulnerabilities(const VulnQuery& q) override {
    return v2_.ListVulnerabilities(q);
  }
  Result<std::optional<VulnRecord>> GetVulnerability(const std::string& org, const std::string& cve) override {
    return v2_.GetVulnerability(org, cve);
  }
  Result<std::vector<V2AuditRecord>> ListV2Audit(const TimePageQuery& q) override { return v2_.ListV2Audit(q); }
  Result<std::vector<MemberRecord>> MembersOfOrg(const std::string& org) override { return v2_.MembersOfOrg(org); }

  Result<std::vector<PolicyObjectRecord>> ListPolicyObjects(const std::string& org,
                                                            const std::string& kind) override {
    return enforcement_.List(org, kind);
  }
  Result<void> PutPolicyObject(const PolicyObjectRecord& o, const AuditRecord& audit) override {
    return enforcement_.Put(o, audit);
  }
  Result<void> DeletePolicyObject(const std::string& org, const std::string& kind, const std::string& id,
                                  const AuditRecord& audit) override {
    return enforcement_.Delete(org, kind, id, audit);
  }
  Result<ZoneNaming> ZoneNamingOf(const std::string& org_id) override {
    auto [lock, db] = Reader();
    ZoneNaming out;
    Stmt own(db, sqlite::q::kZoneSuffixOf);
    own.Bind(1, org_id);
    RAMPART_TRY(row, own.Step());
    if (!row) return Error::NotFound("no such organization " + org_id);
    out.own_suffix = own.Text(0);
    Stmt grants(db, sqlite::q::kZoneGrantsOf);
    grants.Bind(1, org_id);
    RAMPART_TRY(granted, sqlite::CollectRows<std::string>(grants, [](const Stmt& r) { return r.Text(0); }));
    out.granted = std::move(granted);
    return out;
  }
  Result<void> GrantZoneSuffix(const std::string& org_id, const std::string& suffix) override {
    std::lock_guard lock(write_mu_);
    Stmt s(writer_, sqlite::q::kGrantZoneSuffix);
    return s.Bind(1, suffix).Bind(2, org_id).Run();
  }
  Result<void> AppendZoneVersion(const ZoneVersionRecord& v, int keep) override {
    return enforcement_.AppendZoneVersion(v, keep);
  }
  Result<std::vector<ZoneVersionRecord>> ZoneVersions(const std::string& zone) override {
    return enforcement_.ZoneVersions(zone);
  }

 private:

  Result<std::vector<ListRecord>> LoadListsLocked(Db& db, const std::string& org_id) {
    Stmt lists(db, sqlite::q::kLoadLists);
    lists.Bind(1, org_id);
    RAMPART_TRY(out, sqlite::CollectRows<ListRecord>(lists, [](const Stmt& r) {
      return ListRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.OptText(6), r.Int(7), {}};
    }));
    Stmt entries(db, sqlite::q::kLoadEntries);
    for (ListRecord& l : out) {
      entries.Bind(1, l.id);
      RAMPART_TRY(rows, sqlite::CollectRows<EntryRecord>(entries, [](const Stmt& r) {
        return EntryRecord{r.Text(0), r.Text(1), r.Text(2), r.OptText(3), r.Int(4)};
      }));
      l.entries = std::move(rows);
    }
    return out;
  }

  Result<void> ApplyList(const ListChange& c) {
    const ListRecord& l = c.list;
    switch (c.op) {
      case ListChange::Op::kCreate: {
        Stmt s(writer_, sqlite::q::kInsertList);
        s.Bind(1, l.id).Bind(2, l.org_id).Bind(3, l.kind).Bind(4, l.name).Bind(5, l.list_type);
        return s.Bind(6, l.description).Bind(7, l.expires).Bind(8, l.created_at_ms).Run();
      }
      case ListChange::Op::kUpdate: {
        Stmt s(writer_, sqlite::q::kUpdateList);
        s.Bind(1, l.id).Bind(2, l.org_id).Bind(3, l.name).Bind(4, l.list_type);
        RAMPART_CHECK(s.Bind(5, l.description).Bind(6, l.expires).Run());
        if (sqlite3_changes(writer_.get()) != 1) return Error::NotFound("list " + l.id);
        return {};
      }
      case ListChange::Op::kDelete: {
        Stmt s(writer_, sqlite::q::kDeleteList);
        auto done = s.Bind(1, l.id).Bind(2, l.org_id).Run();
        if (!done && done.error().code == Errc::kInUse) {
          return Error::InUse("the list is used by a policy");  // policy_list_refs
        }
        return done;
      }
    }
    return {};
  }

  Result<void> ApplyEntries(const ListChange& c) {
    if (c.replace_entries) {
      Stmt s(writer_, sqlite::q::kDeleteAllEntries);
      RAMPART_CHECK(s.Bind(1, c.list.id).Run());
    }
    Stmt del(writer_, sqlite::q::kDeleteEntry);
    for (const std::string& v : c.removals) RAMPART_CHECK(del.Bind(1, c.list.id).Bind(2, v).Run());
    Stmt up(writer_, sqlite::q::kUpsertEntry);
    for (const EntryRecord& e : c.upserts) {
      up.Bind(1, c.list.id).Bind(2, e.value).Bind(3, e.address_type).Bind(4, e.comments);
      RAMPART_CHECK(up.Bind(5, e.expires).Bind(6, e.seq).Run());
    }
    return {};
  }

  Result<void> InsertAudit(const AuditRecord& a) { return sqlite::InsertAuditRow(writer_, a); }

 public:
  // AgentStore: see sqlite_agents.cpp.
  Result<void> CreateDeployKey(const DeployKeyRecord& k) override { return agents_.CreateDeployKey(k); }
  Result<std::optional<DeployKeyRecord>> FindDeployKey(const std::string& id) override {
    return agents_.FindDeployKey(id);
  }
  Result<std::vector<DeployKeyRecord>> ListDeployKeys(const std::string& org) override {
    return agents_.ListDeployKeys(org);
  }
  Result<bool> RotateDeployKey(const std::string& org, const std::string& id, const std::string& hash,
                               int64_t at) override {
    return agents_.RotateDeployKey(org, id, hash, at);
  }
  Result<bool> RevokeDeployKey(const std::string& org, const std::string& id, int64_t at) override {
    return agents_.RevokeDeployKey(org, id, at);
  }
  Result<void> Enroll(const Enrollment& e) override { return agents_.Enroll(e); }
  Result<std::optional<AgentKeyRecord>> FindAgentKey(const std::string& id) override { return agents_.FindAgentKey(id); }
  Result<std::optional<AgentKeyRecord>> FindAgentByFingerprint(const std::string& org, const std::string& fp) override {
    return agents_.FindAgentByFingerprint(org, fp);
  }
  Result<std::vector<AgentKeyRecord>> ListAgentKeys() override { return agents_.ListAgentKeys(); }
  Result<bool> RevokeAgent(const std::string& org, const std::string& id, int64_t at,
                           const V2AuditRecord& audit) override {
    return agents_.RevokeAgent(org, id, at, audit);
  }
  Result<std::vector<BatchOutcome>> StoreBatches(std::span<const EventBatch* const> batches) override {
    return agents_.StoreBatches(batches);
  }
  Result<void> UpdateLiveness(const std::vector<AgentLiveness>& a) override { return agents_.UpdateLiveness(a); }
  Result<bool> BatchSeen(const std::string& agent, int64_t seq) override { return agents_.BatchSeen(agent, seq); }
  Result<std::vector<EventRecord>> RecentEvents(const std::string& org, int64_t limit) override {
    return agents_.RecentEvents(org, limit);
  }
  Result<RetentionOutcome> ApplyRetention(int64_t events_before, int64_t alerts_before) override {
    return agents_.ApplyRetention(events_before, alerts_before);
  }
  Result<std::vector<std::string>> OrgsWithoutBaseRules() override { return agents_.OrgsWithoutBaseRules(); }

  // WebhookStore: see sqlite_webhooks.cpp.
  Result<void> CreateWebhook(const WebhookRecord& w) override { return webhooks_.CreateWebhook(w); }
  Result<std::vector<WebhookRecord>> ListWebhooks(const std::string& org) override { return webhooks_.ListWebhooks(org); }
  Result<bool> DeleteWebhook(const std::string& org, const std::string& id) override {
    return webhooks_.DeleteWebhook(org, id);
  }
  Result<std::vector<DueDelivery>> DueDeliveries(int64_t now, int64_t limit) override {
    return webhooks_.DueDeliveries(now, limit);
  }
  Result<void> UpdateDelivery(const DeliveryRecord& d) override { return webhooks_.UpdateDelivery(d); }
  Result<std::vector<DeliveryRecord>> ListDeliveries(const std::string& org, const std::string& hook,
                                                     int64_t limit) override {
    return webhooks_.ListDeliveries(org, hook, limit);
  }
  Result<void> TrimDeliveries(int64_t before) override { return webhooks_.TrimDeliveries(before); }

  // VulnStore: see sqlite_vulns.cpp.
  Result<int64_t> StageFeed(const FeedRecord& m) override { return vulns_.StageFeed(m); }
  Result<void> AddFeedEntries(int64_t id, const std::vector<vuln::FeedEntry>& e) override { return vulns_.AddFeedEntries(id, e); }
  Result<void> ActivateFeed(int64_t id, int64_t entries, const std::string& sha256, int64_t bytes) override {
    return vulns_.ActivateFeed(id, entries, sha256, bytes);
  }
  Result<std::optional<FeedRecord>> CurrentFeed() override { return vulns_.CurrentFeed(); }
  Result<std::vector<FeedRecord>> ListFeeds() override { return vulns_.ListFeeds(); }
  Result<void> ScanFeedEntries(int64_t id, const Releases& releases,
                               const std::function<void(vuln::FeedEntry&&)>& visit) override {
    return vulns_.ScanFeedEntries(id, releases, visit);
  }
  Result<std::string> FeedDescription(int64_t id, const std::string& cve) override { return vulns_.FeedDescription(id, cve); }
  Result<void> PutInventory(const InventoryRecord& inv, bool full, const std::vector<PackageRecord>& up,
                            const std::vector<PackageRecord>& removed) override {
    return vulns_.PutInventory(inv, full, up, removed);
  }
  Result<std::optional<InventoryRecord>> GetInventory(const std::string& a) override { return vulns_.GetInventory(a); }
  Result<std::vector<InventoryRecord>> ListInventories() override { return vulns_.ListInventories(); }
  Result<std::vector<PackageRecord>> PackagesOf(const std::string& a) override { return vulns_.PackagesOf(a); }
  Result<void> ReplaceFindings(const std::vector<FindingsUpdate>& u, TouchedCves* defer) override {
    return vulns_.ReplaceFindings(u, defer);
  }
  Result<void> SummarizeFindings(const TouchedCves& touched) override { return vulns_.SummarizeFindings(touched); }
  Result<std::vector<FindingRecord>> FindingsOf(const std::string& org, const std::vector<std::string>& cves) override {
    return vulns_.FindingsOf(org, cves);
  }

 private:
  sqlite::Connections c_;
  sqlite::SqliteAgents agents_{c_};
  sqlite::SqliteWebhooks webhooks_{c_};
  sqlite::SqliteVulns vulns_{c_};
  sqlite::SqliteV2 v2_{c_};
  sqlite::SqliteEnforcement enforcement_{c_};
  sqlite::SqliteOrgs orgs_{c_};
  Db& writer_ = c_.writer;
  std::mutex& write_mu_ = c_.write_mu;
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;  // after c_: stopped before the writer closes
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& opts) {
  auto s = std::make_unique<SqliteStore>();
  RAMPART_CHECK(s->Open(opts));
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace rampart::store
