#pragma once
// Plain rows exchanged with a store backend. No behaviour; services own the meaning.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rampart::store {

// The one tenant of both APIs: a ThreatSTOP account is an organization, and so is a Threat Stack
// organization. Ids are 24 lower-case hex characters (migration V10 gave every older ThreatSTOP
// account one; its tokens, lists, policies and zone names were carried over).
struct OrgRecord {
  std::string id = {};
  std::string name = {};  // unique, case-insensitively
  int64_t created_at_ms = 0;
  // The organization's own DNS label under rpz.<server_name> (its zones are named <policy>.<suffix>.
  // rpz.<server_name>): random, immutable, assigned by the store when the organization is created.
  std::string zone_suffix = {};
};

// How much of an organization there is: `org delete` refuses while any of it exists.
struct OrgContents {
  int64_t lists = 0, api_keys = 0, policy_objects = 0, members = 0, agents = 0, alerts = 0,
          vulnerabilities = 0, v2_objects = 0, zone_grants = 0, deploy_keys = 0;
  int64_t Total() const {
    return lists + api_keys + policy_objects + members + agents + alerts + vulnerabilities + v2_objects + zone_grants +
           deploy_keys;
  }
};

// One entry of the change log (see base/changes.hpp).
struct ChangeRecord {
  int64_t seq = 0;
  std::string topic = {};
  std::string key = {};
  int64_t at_ms = 0;
};

// Where an organization's RPZ zones may be named: under <own>.rpz.<server_name>, or under a domain
// an operator granted it.
struct ZoneNaming {
  std::string own_suffix = {};
  std::vector<std::string> granted = {};
};

// A v4.0 API key ("API Keys page"): it belongs to the organization, not to a user.
struct ApiKeyRecord {
  std::string id = {};  // public part of the key, 16 hex chars
  std::string org_id = {};
  std::string secret_hash = {};  // SHA-256 of the secret part, lower-case hex
  std::string perms = {};        // "userlists:read,policies:write": a service missing is not allowed
  std::string networks;     // allowed client networks, canonical, comma-separated; "" = any
  std::string description = {};
  int64_t created_at_ms = 0;
  std::optional<int64_t> expires_at_ms = {};
  std::optional<int64_t> revoked_at_ms = {};
  std::optional<int64_t> last_used_at_ms = {};
};

struct EntryRecord {
  std::string value = {};  // normalized
  std::string address_type = {};
  std::string comments = {};
  std::optional<std::string> expires = {};  // YYYY-MM-DD, the entry's own override
  int64_t seq = 0;                     // insertion order within the list
};

struct ListRecord {
  std::string id = {};
  std::string org_id = {};
  std::string kind = {};  // "ip" | "domain"
  std::string name = {};
  std::string list_type = {};  // "block" | "allow"
  std::string description = {};
  std::optional<std::string> expires = {};  // list-level default, YYYY-MM-DD
  int64_t created_at_ms = 0;
  std::vector<EntryRecord> entries = {};  // ordered by seq
};

struct AuditRecord {
  int64_t id = 0;  // assigned by the store
  std::string org_id = {};
  std::string list_id = {};
  std::string list_kind = {};
  std::string list_name = {};
  std::string actor;  // "key:<id>" (a v4.0 API key), "user:<id>", "admin" (the CLI), "system" (sweeps)
  std::string action = {};    // create | update | replace | delete | expire
  int64_t at_ms = 0;
  std::string changes_json = {};  // {"added":[..],"removed":[..],"updated":[..]}
};

// One atomic change to one list: all of it is applied, or none of it.
struct ListChange {
  enum class Op { kCreate, kUpdate, kDelete };
  Op op = Op::kUpdate;
  ListRecord list;               // settings; `entries` is ignored
  bool replace_entries = false;  // delete every existing entry first (PUT)
  std::vector<EntryRecord> upserts = {};
  std::vector<std::string> removals = {};
  AuditRecord audit;
};

// Users. Ids are 24 lower-case hex characters.
struct UserRecord {
  std::string id = {};
  std::string email = {};
  int64_t created_at_ms = 0;
  std::string display_name = {};
  std::optional<std::string> password_hash = {};  // argon2id, libsodium's encoded string
  std::optional<int64_t> disabled_at_ms = {};     // a disabled user's keys all stop working
};

struct MembershipRecord {
  std::string user_id = {};
  std::string org_id = {};
  std::string role = {};  // owner | user | reader
};

struct HawkKeyRecord {
  int64_t id = 0;
  std::string user_id = {};
  std::string sealed_key = {};  // crypto::SecretBox output; the key itself is never stored in clear
  int64_t created_at_ms = 0;
  std::optional<int64_t> valid_until_ms = {};  // set when rotated: the grace period's end
};

// Telemetry documents are stored as the JSON the API returns, with the fields that queries
// filter and page on copied into columns.
struct AgentRecord {
  std::string org_id = {};
  std::string id = {};
  std::string status = {};  // online | offline
  int64_t created_at_ms = 0;
  std::string doc = {};  // the agent object, compact JSON
};

struct AlertRecord {
  std::string org_id = {};
  std::string id = {};
  int64_t created_at_ms = 0;
  bool dismissed = false;
  int severity = 3;
  std::optional<std::string> rule_id = {}, agent_id = {};
  std::string doc = {};     // the alert object, compact JSON
  std::string events = {};  // JSON array of raw event objects
};

struct AlertQuery {
  std::string org_id = {};
  bool dismissed = false;
  std::optional<int> severity = {};
  std::optional<std::string> rule_id = {}, agent_id = {};
  std::optional<int64_t> from_ms = {}, until_ms = {};  // inclusive bounds on created_at_ms
  std::optional<std::pair<int64_t, std::string>> after = {};
  int64_t limit = 100;
  // Only what a page of the listing shows and its token needs: each record's id, created_at_ms and
  // doc; the other fields keep their defaults (events: up to 100 events an alert, unread).
  bool page_only = false;
};

// Keyset page: items strictly after (created_at_ms, id) in newest-first order.
struct PageQuery {
  std::string org_id = {};
  std::string status = {};
  std::optional<std::pair<int64_t, std::string>> after = {};
  int64_t limit = 100;
};

// A configuration object of the v2 API (ruleset, rule, rule tags, vulnerability suppression,
// invite): its wire document, and the keys it is found and ordered by.
struct ObjectRecord {
  std::string org_id = {};
  std::string kind = {};       // "ruleset" | "rule" | "rule_tags" | "suppression" | "invite"
  std::string id = {};
  std::string parent_id = {};  // a rule's ruleset; "" otherwise
  int64_t created_at_ms = 0;
  std::string doc = {};
};

// One v2 audit log record (`GET /v2/auditlogs`): `doc` is the wire record.
struct V2AuditRecord {
  std::string org_id = {};
  std::string id = {};  // 24 hex
  int64_t created_at_ms = 0;
  std::string doc = {};
};

struct VulnRecord {
  std::string org_id = {};
  std::string id = {};  // the CVE number
  int64_t created_at_ms = 0;
  bool suppressed = false;
  bool has_notices = false;
  std::string package;  // the reported package's name (without version); a matched CVE's source
  std::string doc = {};  // "" for a matched CVE: telemetry builds it from the findings
  std::string origin = "imported";  // "imported" (rampart admin import) | "matched" (V15 findings)
  bool unfixed = false;             // matched: some finding has no fix yet
};

struct VulnQuery {
  std::string org_id = {};
  std::optional<bool> suppressed = {}, has_notices = {};
  std::optional<std::string> agent_id = {}, package = {};
  std::optional<bool> unfixed = {};  // set: only matched CVEs, with or without a fix
  std::optional<std::pair<int64_t, std::string>> after = {};
  int64_t limit = 100;
};

struct TimePageQuery {
  std::string org_id = {};
  std::optional<int64_t> from_ms = {}, until_ms = {};  // inclusive
  std::optional<std::pair<int64_t, std::string>> after = {};
  int64_t limit = 50;
};

struct MemberRecord {
  MembershipRecord membership = {};
  UserRecord user = {};
};

// A Threat Stack ruleset, typed (migration V12 moved rulesets and rules out of v2_objects).
struct RulesetRecord {
  std::string org_id = {};
  std::string id = {};
  std::string name = {};
  std::string description = {};
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct FileIntegrityPath {
  std::string path = {};
  bool recursive = false;
  bool operator==(const FileIntegrityPath&) const = default;
};

// A rule: what the rules engine compiles (`filter`, in Threat Stack's filter language) and the
// alerts it raises.
struct RuleRecord {
  std::string org_id = {};
  std::string id = {};
  std::string ruleset_id = {};
  std::string name = {};
  std::string title = {};
  std::string type = {};  // Host | File | CloudTrail | ThreatIntel | Winsec | KubernetesAudit | KubernetesConfig
  int severity = 3;       // 1 (high) .. 3
  std::string alert_description = {};
  std::string filter = {};
  std::vector<std::string> aggregate_fields = {};
  std::vector<std::string> suppressions = {};
  int64_t window_s = 3600;
  int64_t threshold = 1;
  bool enabled = true;
  std::vector<FileIntegrityPath> file_integrity_paths = {};  // File rules only, as the next two
  std::vector<std::string> ignore_files = {};
  std::vector<std::string> events_to_monitor = {};
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// Everything one v2 write changes, applied in one durable transaction with its audit record.
struct V2Write {
  std::string org_id = {};
  std::vector<ObjectRecord> put_objects = {};
  std::vector<std::pair<std::string, std::string>> delete_objects = {};  // (kind, id)
  std::vector<RulesetRecord> put_rulesets = {};
  std::vector<RuleRecord> put_rules = {};
  std::vector<std::string> delete_rulesets = {};  // with their rules and the rules' tags
  std::vector<std::string> delete_rules = {};     // with their tags
  std::vector<AlertRecord> put_alerts = {};
  std::vector<std::pair<std::string, bool>> set_suppressed = {};  // (CVE, suppressed)
  std::optional<V2AuditRecord> audit = {};
  // The write adds the organization's Base Rule Set, this ruleset: Conflict (nothing written) when
  // the organization was given one before, so it is added once even if deleted later.
  std::optional<std::string> base_ruleset_id = {};
};

// Enforcement (v4.0 policies and devices): the wire document of one object.
struct PolicyObjectRecord {
  std::string org_id = {};
  std::string kind = {};  // "policy" | "device"
  std::string id = {};
  std::string name = {};  // unique per organization and kind
  int64_t created_at_ms = 0;
  std::string doc = {};
  // A policy's user lists. The store keeps them as references: putting a policy that names a list
  // which no longer exists fails (Invalid), and deleting a list a policy names fails (InUse),
  // each atomically with the concurrent write it races against.
  std::vector<std::string> list_ids = {};
};

// One published version of an RPZ zone. `delta` holds the net change from `from_serial` as lines
// "-<owner> <target>" / "+<owner> <target>"; without `from_serial` the version starts a new
// history (IXFR from older serials falls back to a full transfer).
struct ZoneVersionRecord {
  std::string zone = {};
  uint32_t serial = 0;
  std::optional<uint32_t> from_serial = {};
  std::string delta = {};
  std::string content_hash = {};  // of the zone's records at this serial
  int64_t at_ms = 0;
};

}  // namespace rampart::store
