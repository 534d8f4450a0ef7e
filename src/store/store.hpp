#pragma once
// The storage seam. Services see only these interfaces; SQL lives in the backends under store/.
// Every method is synchronous and may block: call it from the blocking pool, never an I/O thread.
// Implementations are safe for concurrent use from many threads.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/agent_records.hpp"
#include "store/records.hpp"
#include "store/vuln_records.hpp"
#include "vuln/feed.hpp"

namespace rampart::store {

// How many reads a store serves at once without queueing (SQLite: its reader connections). The
// server's read pool has no more threads than this: more would only wait on each other.
inline constexpr int kConcurrentReads = 4;

// Organizations (the one tenant of both APIs), their users and roles, v4.0 API keys (per
// organization) and Hawk keys (per user).
class OrgStore {
 public:
  virtual ~OrgStore() = default;
  // The database's own consistency check (SQLite: integrity_check, then foreign_key_check):
  // {"ok"} when sound, else one line per problem found.
  virtual Result<std::vector<std::string>> CheckIntegrity() = 0;

  // Conflict when the name is taken (case-insensitively). The store assigns the zone suffix.
  virtual Result<void> CreateOrg(const OrgRecord& o) = 0;
  virtual Result<std::vector<OrgRecord>> ListOrgs() = 0;
  virtual Result<std::optional<OrgRecord>> FindOrg(const std::string& id_or_name) = 0;
  virtual Result<OrgContents> ContentsOf(const std::string& org_id) = 0;
  // Deletes the organization and everything that hangs off it, and writes `audit` (which survives
  // it), in one transaction. NotFound when there is no such organization; with `only_if_empty`,
  // InUse (and nothing deleted) when it holds anything at the moment of the delete.
  virtual Result<void> DeleteOrg(const std::string& org_id, const AuditRecord& audit, bool only_if_empty) = 0;

  // Conflict when the email is taken.
  virtual Result<void> CreateUser(const UserRecord& u) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(const std::string& id_or_email) = 0;
  // Display name, password hash and disabled mark (logged as a change of the user). NotFound when
  // there is no such user.
  virtual Result<void> UpdateUser(const UserRecord& u) = 0;
  // Every user, or the members of one organization, by email.
  virtual Result<std::vector<MemberRecord>> ListUsers(const std::string& org_id) = 0;
  // Adds the membership or changes its role, with the v2 audit record when the API made the change
  // (the CLI's are not in the v2 audit log). Conflict when it would leave the organization without
  // an owner; the change is logged (ChangeLog) for the caches that hold the user's roles.
  virtual Result<void> PutMembership(const MembershipRecord& m, const std::optional<V2AuditRecord>& audit) = 0;
  // NotFound when the user is no member; Conflict when it is the last owner.
  virtual Result<void> DeleteMembership(const std::string& org_id, const std::string& user_id,
                                        const std::optional<V2AuditRecord>& audit) = 0;
  virtual Result<std::vector<MembershipRecord>> MembershipsOfUser(const std::string& user_id) = 0;

  // Adds a key. With `retire_others_at`, every other key of the user without an end gets that
  // end (rotation with a grace period), in the same transaction.
  virtual Result<void> AddHawkKey(const HawkKeyRecord& k, std::optional<int64_t> retire_others_at) = 0;
  // Keys of the user still valid at `now_ms`, newest first; none for a disabled user.
  virtual Result<std::vector<HawkKeyRecord>> ValidHawkKeys(const std::string& user_id, int64_t now_ms) = 0;
  // One sealed Hawk key, if any exists: start-up checks that the master key opens it.
  virtual Result<std::optional<std::string>> AnySealedKey() = 0;

  virtual Result<void> CreateApiKey(const ApiKeyRecord& k) = 0;
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& id) = 0;
  virtual Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& org_id) = 0;
  // False if no such unrevoked key exists.
  virtual Result<bool> RevokeApiKey(const std::string& id, int64_t at_ms) = 0;
  // Records when keys were last used (batched by the caller), in one transaction.
  virtual Result<void> TouchApiKeys(const std::vector<std::pair<std::string, int64_t>>& used) = 0;
};

// What changed, for processes that cache it: every OrgStore write that revokes, disables or deletes
// (and a V2Write that changes a membership) appends an entry in its own transaction.
class ChangeLog {
 public:
  virtual ~ChangeLog() = default;
  // The newest entry's seq (0 when the log is empty): a watcher starts after it.
  virtual Result<int64_t> LatestChange() = 0;
  // Entries after `seq`, oldest first, at most `limit`.
  virtual Result<std::vector<ChangeRecord>> ChangesSince(int64_t seq, int64_t limit) = 0;
  // Drops entries older than `before_ms`.
  virtual Result<void> TrimChanges(int64_t before_ms) = 0;
};

class ListStore {
 public:
  virtual ~ListStore() = default;
  // Every list of the account, with entries ordered by seq.
  virtual Result<std::vector<ListRecord>> LoadLists(const std::string& org_id) = 0;
  // Applies the changes and their audit records in order, in one durable transaction: all or
  // none (group commit: one fsync for several requests' changes).
  virtual Result<void> ApplyAll(std::span<const ListChange> changes) = 0;
  Result<void> Apply(const ListChange& change) { return ApplyAll({&change, 1}); }
  // Audit records, newest first. Empty `list_id` means every list of the account.
  virtual Result<std::vector<AuditRecord>> ReadAudit(const std::string& org_id,
                                                     const std::string& list_id, int64_t offset,
                                                     int64_t limit) = 0;
  virtual Result<int64_t> CountAudit(const std::string& org_id, const std::string& list_id) = 0;
};

class TelemetryStore {
 public:
  virtual ~TelemetryStore() = default;
  // Inserts or replaces, all in one transaction.
  virtual Result<void> PutAgents(const std::vector<AgentRecord>& agents) = 0;
  // Newest first by (created_at_ms, id).
  virtual Result<std::vector<AgentRecord>> ListAgents(const PageQuery& q) = 0;
  virtual Result<std::optional<AgentRecord>> GetAgent(const std::string& org_id, const std::string& id) = 0;
  virtual Result<void> PutAlerts(const std::vector<AlertRecord>& alerts) = 0;
  // Newest first by (created_at_ms, id), filtered.
  virtual Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& q) = 0;
  virtual Result<std::optional<AlertRecord>> GetAlert(const std::string& org_id, const std::string& id) = 0;
  // (severity, count) of active alerts in the window, severities with no alert omitted.
  virtual Result<std::vector<std::pair<int, int64_t>>> AlertSeverityCounts(const std::string& org_id,
                                                                            std::optional<int64_t> from_ms,
                                                                            std::optional<int64_t> until_ms) = 0;
};

// The writable side of the v2 API: configuration objects, vulnerabilities, members and the audit
// log. Every change goes through Commit, so a change and its audit record land together or not.
class V2Store {
 public:
  virtual ~V2Store() = default;
  virtual Result<void> Commit(const V2Write& w) = 0;
  // Objects of a kind, oldest first; `parent_id` non-empty restricts to its children.
  virtual Result<std::vector<ObjectRecord>> ListObjects(const std::string& org_id, const std::string& kind,
                                                        const std::string& parent_id) = 0;
  virtual Result<std::optional<ObjectRecord>> GetObject(const std::string& org_id, const std::string& kind,
                                                        const std::string& id) = 0;
  // Rulesets oldest first; rules oldest first, of one ruleset or (ruleset_id "") all.
  virtual Result<std::vector<RulesetRecord>> ListRulesets(const std::string& org_id) = 0;
  virtual Result<std::optional<RulesetRecord>> GetRuleset(const std::string& org_id, const std::string& id) = 0;
  virtual Result<std::vector<RuleRecord>> ListRules(const std::string& org_id, const std::string& ruleset_id) = 0;
  virtual Result<std::optional<RuleRecord>> GetRule(const std::string& org_id, const std::string& id) = 0;
  // Enrolled, unrevoked agents of the organization whose events are evaluated against the
  // ruleset, by id (a V2Write deleting the ruleset drops it from them).
  virtual Result<std::vector<std::string>> AgentsUsingRuleset(const std::string& org_id,
                                                              const std::string& ruleset_id) = 0;
  virtual Result<void> PutVulnerabilities(const std::vector<VulnRecord>& vulns) = 0;
  // Newest first by (created_at_ms, CVE).
  virtual Result<std::vector<VulnRecord>> ListVulnerabilities(const VulnQuery& q) = 0;
  virtual Result<std::optional<VulnRecord>> GetVulnerability(const std::string& org_id, const std::string& cve) = 0;
  // Newest first by (created_at_ms, id).
  virtual Result<std::vector<V2AuditRecord>> ListV2Audit(const TimePageQuery& q) = 0;
  virtual Result<std::vector<MemberRecord>> MembersOfOrg(const std::string& org_id) = 0;
};

// Policies, devices and the versions of the RPZ zones compiled from them.
class EnforcementStore {
 public:
  virtual ~EnforcementStore() = default;
  // Oldest first. Empty `org_id`: every organization's.
  virtual Result<std::vector<PolicyObjectRecord>> ListPolicyObjects(const std::string& org_id,
                                                                    const std::string& kind) = 0;
  // Inserts or replaces by id, with its audit record (list_id: the object's id, list_kind: its
  // kind) in the same transaction. Conflict when another object of the kind has the name.
  virtual Result<void> PutPolicyObject(const PolicyObjectRecord& o, const AuditRecord& audit) = 0;
  // NotFound when there is no such object. The audit record lands with the delete.
  virtual Result<void> DeletePolicyObject(const std::string& org_id, const std::string& kind,
                                          const std::string& id, const AuditRecord& audit) = 0;
  // The organization's own zone suffix and the suffixes granted to it.
  virtual Result<ZoneNaming> ZoneNamingOf(const std::string& org_id) = 0;
  // Grants `suffix` (a domain) to the organization. Conflict when it is already granted.
  virtual Result<void> GrantZoneSuffix(const std::string& org_id, const std::string& suffix) = 0;
  // Appends a version and keeps only the newest `keep` versions of the zone, in one transaction.
  virtual Result<void> AppendZoneVersion(const ZoneVersionRecord& v, int keep) = 0;
  // The zone's versions, oldest first.
  virtual Result<std::vector<ZoneVersionRecord>> ZoneVersions(const std::string& zone) = 0;
};

// Agents that enroll themselves, and what they send.
class AgentStore {
 public:
  virtual ~AgentStore() = default;
  virtual Result<void> CreateDeployKey(const DeployKeyRecord& k) = 0;
  virtual Result<std::optional<DeployKeyRecord>> FindDeployKey(const std::string& id) = 0;
  // Oldest first.
  virtual Result<std::vector<DeployKeyRecord>> ListDeployKeys(const std::string& org_id) = 0;
  // Replaces the secret of an unrevoked key of the organization; false when there is none.
  virtual Result<bool> RotateDeployKey(const std::string& org_id, const std::string& id,
                                       const std::string& secret_hash, int64_t at_ms) = 0;
  virtual Result<bool> RevokeDeployKey(const std::string& org_id, const std::string& id, int64_t at_ms) = 0;

  // Forbidden (nothing written) when the fingerprint's agent was revoked; Conflict when the
  // fingerprint belongs to another agent id than e.key's (a concurrent first enrollment won).
  virtual Result<void> Enroll(const Enrollment& e) = 0;
  virtual Result<std::optional<AgentKeyRecord>> FindAgentKey(const std::string& agent_id) = 0;
  virtual Result<std::optional<AgentKeyRecord>> FindAgentByFingerprint(const std::string& org_id,
                                                                       const std::string& fingerprint) = 0;
  // Every enrolled agent that is not revoked (the server tracks their heartbeats from start).
  virtual Result<std::vector<AgentKeyRecord>> ListAgentKeys() = 0;
  // Ends the agent's key (logged as a change for other processes' caches) and marks it offline,
  // with the audit record. False when the organization has no such unrevoked agent.
  virtual Result<bool> RevokeAgent(const std::string& org_id, const std::string& agent_id, int64_t at_ms,
                                   const V2AuditRecord& audit) = 0;

  // Writes the agents' liveness into their stored documents in one transaction (all or none).
  // An agent that is no longer stored, or whose document is not JSON, is skipped.
  virtual Result<void> UpdateLiveness(const std::vector<AgentLiveness>& agents) = 0;

  // Stores the batches in order in one transaction (all or none): a group commit, one outcome
  // each. A batch whose (agent, seq) was stored before, in an earlier call or earlier in this one,
  // is a duplicate and writes nothing.
  virtual Result<std::vector<BatchOutcome>> StoreBatches(std::span<const EventBatch* const> batches) = 0;
  Result<BatchOutcome> StoreBatch(const EventBatch& b) {
    const EventBatch* one = &b;
    RAMPART_TRY(out, StoreBatches({&one, 1}));
    return out.front();
  }
  virtual Result<bool> BatchSeen(const std::string& agent_id, int64_t batch_seq) = 0;
  // The organization's newest events, newest first.
  virtual Result<std::vector<EventRecord>> RecentEvents(const std::string& org_id, int64_t limit) = 0;
  // Drops events and batch marks received before `events_before_ms`, and alerts (with their
  // events) created before `alerts_before_ms`.
  virtual Result<RetentionOutcome> ApplyRetention(int64_t events_before_ms, int64_t alerts_before_ms) = 0;
  // Organizations that were never given the Base Rule Set.
  virtual Result<std::vector<std::string>> OrgsWithoutBaseRules() = 0;
};

// Alert delivery: webhooks and their durable delivery queue. StoreBatch queues a delivery of each
// new alert to each enabled webhook of its organization, in the batch's transaction.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  virtual Result<void> CreateWebhook(const WebhookRecord& w) = 0;
  // Oldest first.
  virtual Result<std::vector<WebhookRecord>> ListWebhooks(const std::string& org_id) = 0;
  // With its deliveries. False when the organization has no such webhook.
  virtual Result<bool> DeleteWebhook(const std::string& org_id, const std::string& id) = 0;
  // Pending deliveries whose time has come, oldest first.
  virtual Result<std::vector<DueDelivery>> DueDeliveries(int64_t now_ms, int64_t limit) = 0;
  // Records an attempt's outcome (status, attempts, next_at_ms, last_*, done_at_ms of `d`).
  virtual Result<void> UpdateDelivery(const DeliveryRecord& d) = 0;
  // Newest first.
  virtual Result<std::vector<DeliveryRecord>> ListDeliveries(const std::string& org_id, const std::string& webhook_id,
                                                             int64_t limit) = 0;
  // Drops finished deliveries done before `before_ms`.
  virtual Result<void> TrimDeliveries(int64_t before_ms) = 0;
};

// Debian security feeds, hosts' package inventories and the findings of matching them
// (docs/vulnerabilities.md). A feed is imported in three steps so a 50 MB feed never holds the
// writer for long: StageFeed (a history row, not current), AddFeedEntries in batches (invisible
// to readers), ActivateFeed (one short transaction: it becomes the current feed and the older
// feeds' entries go). Entries of a feed that never became current are dropped by the next import.
class VulnStore {
 public:
  virtual ~VulnStore() = default;
  virtual Result<int64_t> StageFeed(const FeedRecord& meta) = 0;
  // An entry added again replaces the earlier one (same release, source and CVE); a CVE's
  // description is the last non-empty one added.
  virtual Result<void> AddFeedEntries(int64_t feed_id, const std::vector<vuln::FeedEntry>& entries) = 0;
  // NotFound when no such staged feed. What is known only at the end of the file — how many
  // entries, its SHA-256 and size — is recorded on its row.
  virtual Result<void> ActivateFeed(int64_t feed_id, int64_t entries, const std::string& sha256, int64_t bytes) = 0;
  virtual Result<std::optional<FeedRecord>> CurrentFeed() = 0;
  // Every import, newest first.
  virtual Result<std::vector<FeedRecord>> ListFeeds() = 0;
  // Hands each of the feed's entries of `releases` (every release when nullopt), without its
  // description (matching does not need it), to `visit` as it is read: a full feed is ~200,000
  // entries over four releases, and the matcher indexes those of its hosts' releases without
  // holding them all first.
  using Releases = std::optional<std::vector<std::string>>;
  virtual Result<void> ScanFeedEntries(int64_t feed_id, const Releases& releases,
                                       const std::function<void(vuln::FeedEntry&&)>& visit) = 0;
  Result<std::vector<vuln::FeedEntry>> FeedEntries(int64_t feed_id) {
    std::vector<vuln::FeedEntry> out;
    RAMPART_CHECK(ScanFeedEntries(feed_id, std::nullopt, [&](vuln::FeedEntry&& e) { out.push_back(std::move(e)); }));
    return out;
  }
  // A vulnerability's description in the feed ("" when none).
  virtual Result<std::string> FeedDescription(int64_t feed_id, const std::string& cve) = 0;

  // Stores an inventory: with `full` the agent's packages become `upserted`; otherwise
  // `upserted` are added or replaced and `removed` (by name and arch) deleted.
  virtual Result<void> PutInventory(const InventoryRecord& inv, bool full, const std::vector<PackageRecord>& upserted,
                                    const std::vector<PackageRecord>& removed) = 0;
  virtual Result<std::optional<InventoryRecord>> GetInventory(const std::string& agent_id) = 0;
  // Every stored inventory, by agent id.
  virtual Result<std::vector<InventoryRecord>> ListInventories() = 0;
  virtual Result<std::vector<PackageRecord>> PackagesOf(const std::string& agent_id) = 0;

  // Replaces findings (each FindingsUpdate) and keeps the organizations' matched CVEs in step, in
  // one transaction: a CVE touched by many updates is summed up once. With `defer`, the matched
  // CVEs are left as they were and the touched ones added to *defer, for one SummarizeFindings
  // after many such calls (a re-match of every host writes in several transactions and would
  // otherwise sum up the same CVEs in each).
  virtual Result<void> ReplaceFindings(const std::vector<FindingsUpdate>& updates, TouchedCves* defer = nullptr) = 0;
  // Recomputes the organizations' matched CVEs of `touched` from their findings, and drops any
  // matched CVE with no finding left (whatever an interrupted re-match left behind).
  virtual Result<void> SummarizeFindings(const TouchedCves& touched) = 0;
  // The organization's findings of these CVEs, by CVE, agent and package.
  virtual Result<std::vector<FindingRecord>> FindingsOf(const std::string& org_id, const std::vector<std::string>& cves) = 0;
};

class Store : public OrgStore,
              public ChangeLog,
              public ListStore,
              public TelemetryStore,
              public V2Store,
              public EnforcementStore,
              public AgentStore,
              public WebhookStore,
              public VulnStore {};

struct SqliteOptions {
  std::string path;       // file path, or ":memory:" for a private in-memory database
  int busy_timeout_ms = 5000;
};

// Opens (creating if needed) and migrates the database. Unavailable on I/O or schema errors.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& opts);

}  // namespace rampart::store
