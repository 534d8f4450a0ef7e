#include "store/sqlite/sqlite_agents.hpp"

#include <boost/json.hpp>

#include <map>

#include "base/changes.hpp"
#include "store/sqlite/agent_queries.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/sqlite_orgs.hpp"
#include "store/sqlite/sqlite_vulns.hpp"
#include "store/sqlite/sqlite_rules.hpp"
#include "store/sqlite/sqlite_v2.hpp"
#include "store/sqlite/sqlite_webhooks.hpp"

namespace rampart::store::sqlite {
namespace {
namespace json = boost::json;

constexpr int64_t kRetentionSlice = 10000;

// The batch's events in order (their seq increasing), kEventsPerInsert to a statement.
Result<void> InsertEvents(Db& db, const EventBatch& b) {
  const size_t n = b.events.size(), whole = n - n % q::kEventsPerInsert;
  Stmt many(db, q::InsertEvents()), one(db, q::kInsertEvent);
  for (size_t at = 0; at < n;) {
    Stmt& s = at < whole ? many : one;
    const size_t k = at < whole ? q::kEventsPerInsert : 1;
    s.Bind(1, b.org_id).Bind(2, b.agent_id).Bind(3, b.at_ms);
    for (size_t j = 0; j < k; ++j, ++at) {
      const int param = 4 + 2 * static_cast<int>(j);
      s.BindRef(param, b.events[at].event_type).BindRef(param + 1, b.events[at].doc);
    }
    RAMPART_CHECK(s.Run());
  }
  return {};
}

DeployKeyRecord ReadDeployKey(const Stmt& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.OptInt(5), s.OptInt(6), s.OptInt(7), s.Text(8)};
}

AgentKeyRecord ReadAgentKey(const Stmt& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), StringsOf(s.Text(5)), s.Text(6), s.OptInt(7)};
}

EventRecord ReadEvent(const Stmt& s) { return {s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4), s.Text(5)}; }

Result<bool> Changed(Db& db, Result<void> run) {
  if (!run) return run.error();
  return sqlite3_changes(db.get()) > 0;
}

// One batch inside the caller's transaction.
Result<BatchOutcome> StoreOne(Db& db, const EventBatch& b) {
  Stmt mark(db, q::kInsertBatch);
  RAMPART_TRY(fresh, Changed(db, mark.Bind(1, b.agent_id).Bind(2, b.batch_seq).Bind(3, b.at_ms).Run()));
  if (!fresh) return BatchOutcome{.duplicate = true};
  RAMPART_CHECK(InsertEvents(db, b));
  BatchOutcome out;
  if (!b.events.empty()) {
    Stmt count(db, q::kCountEvents);
    count.Bind(1, b.org_id).Bind(2, static_cast<int64_t>(b.events.size()));
    RAMPART_TRY(row, count.Step());
    const int64_t n = row ? count.Int(0) : 0;
    count.Reset();
    if (n > b.max_org_events) {
      out.evicted = n - b.max_org_events;
      Stmt evict(db, q::kEvictEvents);
      RAMPART_CHECK(evict.Bind(1, b.org_id).Bind(2, out.evicted).Run());
      Stmt uncount(db, q::kUncountEvents);
      RAMPART_CHECK(uncount.Bind(1, b.org_id).Bind(2, out.evicted).Run());
    }
  }
  RAMPART_CHECK(PutAlertRows(db, b.new_alerts));
  for (const AlertRecord& a : b.new_alerts) RAMPART_CHECK(QueueDeliveries(db, a));
  Stmt attach(db, q::kAttachEvent);
  for (const auto& [alert_id, event] : b.attach) {
    RAMPART_CHECK(attach.Bind(1, b.org_id).Bind(2, alert_id).Bind(3, event).Bind(4, b.max_alert_events).Run());
  }
  return out;
}

}  // namespace

Result<void> ClaimBaseRules(Db& db, const std::string& org_id, const std::string& ruleset_id) {
  Stmt s(db, q::kClaimBaseRules);
  RAMPART_TRY(claimed, Changed(db, s.Bind(1, org_id).Bind(2, ruleset_id).Run()));
  if (!claimed) return Error::Conflict("the organization was given its Base Rule Set before");
  return {};
}

Result<void> SqliteAgents::CreateDeployKey(const DeployKeyRecord& k) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kInsertDeployKey);
  s.Bind(1, k.id).Bind(2, k.org_id).Bind(3, k.secret_hash).Bind(4, k.description).Bind(5, k.created_at_ms);
  return s.Bind(6, k.rotated_at_ms).Bind(7, k.revoked_at_ms).Bind(8, k.last_used_at_ms).Bind(9, k.last_used_host).Run();
}

Result<std::optional<DeployKeyRecord>> SqliteAgents::FindDeployKey(const std::string& id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindDeployKey);
  s.Bind(1, id);
  RAMPART_TRY(rows, CollectRows<DeployKeyRecord>(s, ReadDeployKey));
  return FirstRow(std::move(rows));
}

Result<std::vector<DeployKeyRecord>> SqliteAgents::ListDeployKeys(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListDeployKeys);
  s.Bind(1, org_id);
  return CollectRows<DeployKeyRecord>(s, ReadDeployKey);
}

Result<bool> SqliteAgents::RotateDeployKey(const std::string& org_id, const std::string& id, const std::string& hash,
                                           int64_t at) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kRotateDeployKey);
  return Changed(c_.writer, s.Bind(1, org_id).Bind(2, id).Bind(3, hash).Bind(4, at).Run());
}

Result<bool> SqliteAgents::RevokeDeployKey(const std::string& org_id, const std::string& id, int64_t at) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kRevokeDeployKey);
  return Changed(c_.writer, s.Bind(1, org_id).Bind(2, id).Bind(3, at).Run());
}

Result<void> SqliteAgents::Enroll(const Enrollment& e) {
  std::lock_guard lock(c_.write_mu);
  Db& db = c_.writer;
  Txn txn(db);
  if (!txn.begun()) return txn.begun().error();
  Stmt find(db, q::kFindAgentByFingerprint);
  find.Bind(1, e.key.org_id).Bind(2, e.key.fingerprint);
  RAMPART_TRY(rows, CollectRows<AgentKeyRecord>(find, ReadAgentKey));
  if (!rows.empty()) {
    if (rows[0].revoked_at_ms) return Error::Forbidden("this host's agent was revoked");
    if (rows[0].agent_id != e.key.agent_id) return Error::Conflict("the host enrolled concurrently");
  }
  const AgentKeyRecord& k = e.key;
  Stmt put(db, q::kPutAgentKey);
  put.Bind(1, k.agent_id).Bind(2, k.org_id).Bind(3, k.fingerprint).Bind(4, k.sealed_key).Bind(5, k.key_created_at_ms);
  RAMPART_CHECK(put.Bind(6, Strings(k.rulesets)).Bind(7, k.deploy_key_id).Run());
  Stmt agent(db, q::kPutAgent);
  const AgentRecord& a = e.agent;
  RAMPART_CHECK(agent.Bind(1, a.org_id).Bind(2, a.id).Bind(3, a.status).Bind(4, a.created_at_ms).Bind(5, a.doc).Run());
  Stmt touch(db, q::kTouchDeployKey);
  RAMPART_CHECK(touch.Bind(1, k.deploy_key_id).Bind(2, e.at_ms).Bind(3, e.hostname).Run());
  RAMPART_CHECK(InsertV2Audit(db, e.audit));
  if (!rows.empty()) {
    // A re-enrollment replaced the key: another process's cache of the old one must let it go. The
    // host starts its batch numbers over (it lost its state, or was told to).
    RAMPART_CHECK(AppendChange(db, change_topic::kAgent, k.agent_id));
    Stmt forget(db, q::kForgetBatches);
    RAMPART_CHECK(forget.Bind(1, k.agent_id).Run());
  }
  return txn.Commit();
}

Result<std::optional<AgentKeyRecord>> SqliteAgents::FindAgentKey(const std::string& agent_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindAgentKey);
  s.Bind(1, agent_id);
  RAMPART_TRY(rows, CollectRows<AgentKeyRecord>(s, ReadAgentKey));
  return FirstRow(std::move(rows));
}

Result<std::optional<AgentKeyRecord>> SqliteAgents::FindAgentByFingerprint(const std::string& org_id,
                                                                           const std::string& fp) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindAgentByFingerprint);
  s.Bind(1, org_id).Bind(2, fp);
  RAMPART_TRY(rows, CollectRows<AgentKeyRecord>(s, ReadAgentKey));
  return FirstRow(std::move(rows));
}

Result<std::vector<AgentKeyRecord>> SqliteAgents::ListAgentKeys() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListAgentKeys);
  return CollectRows<AgentKeyRecord>(s, ReadAgentKey);
}

Result<bool> SqliteAgents::RevokeAgent(const std::string& org_id, const std::string& agent_id, int64_t at,
                                       const V2AuditRecord& audit) {
  std::lock_guard lock(c_.write_mu);
  Db& db = c_.writer;
  Txn txn(db);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(db, q::kRevokeAgentKey);
  RAMPART_TRY(revoked, Changed(db, s.Bind(1, org_id).Bind(2, agent_id).Bind(3, at).Run()));
  if (!revoked) return false;
  Stmt off(db, q::kAgentOffline);
  RAMPART_CHECK(off.Bind(1, org_id).Bind(2, agent_id).Run());
  // It reports nothing any more: its packages' findings would be stale forever.
  RAMPART_CHECK(ForgetAgentInventory(db, org_id, agent_id));
  RAMPART_CHECK(AppendChange(db, change_topic::kAgent, agent_id));
  RAMPART_CHECK(InsertV2Audit(db, audit));
  RAMPART_CHECK(txn.Commit());
  return true;
}

Result<void> SqliteAgents::UpdateLiveness(const std::vector<AgentLiveness>& agents) {
  std::lock_guard lock(c_.write_mu);
  Db& db = c_.writer;
  Txn txn(db);
  if (!txn.begun()) return txn.begun().error();
  Stmt seen(db, q::kAgentLiveness), member(db, q::kAgentMember);
  for (const AgentLiveness& a : agents) {
    RAMPART_CHECK(seen.Bind(1, a.org_id).Bind(2, a.agent_id).Bind(3, a.status).Bind(4, a.last_reported_at).Run());
    for (const auto& [name, value] : a.members) {
      RAMPART_CHECK(member.Bind(1, a.org_id).Bind(2, a.agent_id).Bind(3, name).Bind(4, value).Run());
    }
  }
  return txn.Commit();
}

Result<std::vector<BatchOutcome>> SqliteAgents::StoreBatches(std::span<const EventBatch* const> batches) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  std::vector<BatchOutcome> out;
  out.reserve(batches.size());
  for (const EventBatch* b : batches) {
    RAMPART_TRY(one, StoreOne(c_.writer, *b));
    out.push_back(one);
  }
  RAMPART_CHECK(txn.Commit());
  return out;
}

Result<bool> SqliteAgents::BatchSeen(const std::string& agent_id, int64_t seq) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kBatchSeen);
  s.Bind(1, agent_id).Bind(2, seq);
  RAMPART_TRY(row, s.Step());
  s.Reset();
  return row;
}

Result<std::vector<EventRecord>> SqliteAgents::RecentEvents(const std::string& org_id, int64_t limit) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kRecentEvents);
  s.Bind(1, org_id).Bind(2, limit);
  return CollectRows<EventRecord>(s, ReadEvent);
}

Result<RetentionOutcome> SqliteAgents::ApplyRetention(int64_t events_before_ms, int64_t alerts_before_ms) {
  RetentionOutcome out;
  for (;;) {  // a slice per transaction, so ingest is not held up behind one long delete
    std::lock_guard lock(c_.write_mu);
    Db& db = c_.writer;
    Txn txn(db);
    if (!txn.begun()) return txn.begun().error();
    Stmt expire(db, q::kExpireEvents);
    expire.Bind(1, events_before_ms).Bind(2, kRetentionSlice);
    std::map<std::string, int64_t> per_org;
    int64_t n = 0;
    for (;;) {
      RAMPART_TRY(row, expire.Step());
      if (!row) break;
      ++per_org[expire.Text(0)];
      ++n;
    }
    expire.Reset();
    Stmt uncount(db, q::kUncountEvents);
    for (const auto& [org, k] : per_org) RAMPART_CHECK(uncount.Bind(1, org).Bind(2, k).Run());
    RAMPART_CHECK(txn.Commit());
    out.events += n;
    if (n < kRetentionSlice) break;
  }
  for (;;) {  // alerts in slices too: an import can bring a year's worth that are already due
    std::lock_guard lock(c_.write_mu);
    Db& db = c_.writer;
    Txn txn(db);
    if (!txn.begun()) return txn.begun().error();
    Stmt alerts(db, q::kExpireAlerts);
    RAMPART_CHECK(alerts.Bind(1, alerts_before_ms).Bind(2, kRetentionSlice).Run());
    const int64_t n = sqlite3_changes(db.get());
    RAMPART_CHECK(txn.Commit());
    out.alerts += n;
    if (n < kRetentionSlice) break;
  }
  std::lock_guard lock(c_.write_mu);
  Db& db = c_.writer;
  Txn txn(db);
  if (!txn.begun()) return txn.begun().error();
  Stmt batches(db, q::kExpireBatches);
  RAMPART_CHECK(batches.Bind(1, events_before_ms).Run());
  out.batches = sqlite3_changes(db.get());
  RAMPART_CHECK(txn.Commit());
  return out;
}

Result<std::vector<std::string>> SqliteAgents::OrgsWithoutBaseRules() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kOrgsWithoutBaseRules);
  return CollectRows<std::string>(s, [](const Stmt& st) { return st.Text(0); });
}

}  // namespace rampart::store::sqlite
