#pragma once
// Every SQL statement rampart runs against SQLite, named. Parameters are always bound.
namespace rampart::store::sqlite::q {

inline constexpr const char* kInsertAccount =
    "INSERT INTO accounts(id, name, created_at_ms, zone_suffix) VALUES (?1, ?2, ?3, lower(hex(randomblob(4))))";
inline constexpr const char* kListAccounts =
    "SELECT id, name, created_at_ms, zone_suffix FROM accounts ORDER BY created_at_ms, id";
inline constexpr const char* kFindAccount =
    "SELECT id, name, created_at_ms, zone_suffix FROM accounts WHERE id = ?1 OR name = ?1 LIMIT 1";
inline constexpr const char* kZoneSuffixOf = "SELECT zone_suffix FROM accounts WHERE id = ?1";
inline constexpr const char* kZoneGrantsOf = "SELECT suffix FROM zone_grants WHERE account_id = ?1 ORDER BY suffix";
inline constexpr const char* kGrantZoneSuffix = "INSERT INTO zone_grants(suffix, account_id) VALUES (?1, ?2)";

inline constexpr const char* kInsertToken =
    "INSERT INTO api_tokens(id, account_id, secret_hash, perm, description, created_at_ms,"
    " expires_at_ms, revoked_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
#define RAMPART_SELECT_TOKEN                                                                 \
  "SELECT id, account_id, secret_hash, perm, description, created_at_ms, expires_at_ms," \
  " revoked_at_ms FROM api_tokens "
inline constexpr const char* kFindToken = RAMPART_SELECT_TOKEN "WHERE id = ?1";
inline constexpr const char* kListTokens = RAMPART_SELECT_TOKEN "WHERE account_id = ?1 ORDER BY created_at_ms, id";
#undef RAMPART_SELECT_TOKEN
inline constexpr const char* kRevokeToken =
    "UPDATE api_tokens SET revoked_at_ms = ?2 WHERE id = ?1 AND revoked_at_ms IS NULL";

inline constexpr const char* kLoadLists =
    "SELECT id, account_id, kind, name, list_type, description, expires, created_at_ms"
    " FROM user_lists WHERE account_id = ?1 ORDER BY created_at_ms, id";
inline constexpr const char* kLoadEntries =
    "SELECT value, address_type, comments, expires, seq FROM list_entries WHERE list_id = ?1"
    " ORDER BY seq";
inline constexpr const char* kInsertList =
    "INSERT INTO user_lists(id, account_id, kind, name, list_type, description, expires,"
    " created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kUpdateList =
    "UPDATE user_lists SET name = ?3, list_type = ?4, description = ?5, expires = ?6"
    " WHERE id = ?1 AND account_id = ?2";
inline constexpr const char* kDeleteList = "DELETE FROM user_lists WHERE id = ?1 AND account_id = ?2";
inline constexpr const char* kDeleteAllEntries = "DELETE FROM list_entries WHERE list_id = ?1";
inline constexpr const char* kUpsertEntry =
    "INSERT INTO list_entries(list_id, value, address_type, comments, expires, seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(list_id, value) DO UPDATE SET"
    " comments = excluded.comments, expires = excluded.expires";
inline constexpr const char* kDeleteEntry = "DELETE FROM list_entries WHERE list_id = ?1 AND value = ?2";

inline constexpr const char* kInsertAudit =
    "INSERT INTO audit_log(account_id, list_id, list_kind, list_name, token_id, action, at_ms,"
    " changes_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kReadAudit =
    "SELECT id, account_id, list_id, list_kind, list_name, token_id, action, at_ms, changes_json"
    " FROM audit_log WHERE account_id = ?1 AND (?2 = '' OR list_id = ?2)"
    " ORDER BY id DESC LIMIT ?4 OFFSET ?3";
inline constexpr const char* kCountAudit =
    "SELECT COUNT(*) FROM audit_log WHERE account_id = ?1 AND (?2 = '' OR list_id = ?2)";

inline constexpr const char* kInsertOrg = "INSERT INTO orgs(id, name, created_at_ms) VALUES (?1, ?2, ?3)";
inline constexpr const char* kFindOrg =
    "SELECT id, name, created_at_ms FROM orgs WHERE id = ?1 OR name = ?1 LIMIT 1";
inline constexpr const char* kInsertUser = "INSERT INTO users(id, email, created_at_ms) VALUES (?1, ?2, ?3)";
inline constexpr const char* kFindUser =
    "SELECT id, email, created_at_ms FROM users WHERE id = ?1 OR email = ?1 LIMIT 1";
inline constexpr const char* kPutMembership =
    "INSERT INTO memberships(user_id, org_id, role) VALUES (?1, ?2, ?3)"
    " ON CONFLICT(user_id, org_id) DO UPDATE SET role = excluded.role";
inline constexpr const char* kMembershipsOfUser =
    "SELECT user_id, org_id, role FROM memberships WHERE user_id = ?1 ORDER BY org_id";
inline constexpr const char* kRetireHawkKeys =
    "UPDATE hawk_keys SET valid_until_ms = ?2 WHERE user_id = ?1 AND valid_until_ms IS NULL";
inline constexpr const char* kInsertHawkKey =
    "INSERT INTO hawk_keys(user_id, sealed_key, created_at_ms, valid_until_ms) VALUES (?1, ?2, ?3, ?4)";
inline constexpr const char* kAnySealedKey = "SELECT sealed_key FROM hawk_keys ORDER BY id LIMIT 1";
inline constexpr const char* kValidHawkKeys =
    "SELECT id, user_id, sealed_key, created_at_ms, valid_until_ms FROM hawk_keys"
    " WHERE user_id = ?1 AND (valid_until_ms IS NULL OR valid_until_ms > ?2) ORDER BY id DESC";

inline constexpr const char* kPutAgent =
    "INSERT INTO agents(org_id, id, status, created_at_ms, doc) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(org_id, id) DO UPDATE SET status = excluded.status, created_at_ms = excluded.created_at_ms,"
    " doc = excluded.doc";
inline constexpr const char* kListAgents =
    "SELECT org_id, id, status, created_at_ms, doc FROM agents WHERE org_id = ?1 AND status = ?2"
    " AND (created_at_ms, id) < (?3, ?4) ORDER BY created_at_ms DESC, id DESC LIMIT ?5";
inline constexpr const char* kGetAgent =
    "SELECT org_id, id, status, created_at_ms, doc FROM agents WHERE org_id = ?1 AND id = ?2";

inline constexpr const char* kPutAlert =
    "INSERT INTO alerts(org_id, id, created_at_ms, is_dismissed, severity, rule_id, agent_id, doc, events)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(org_id, id) DO UPDATE SET"
    " created_at_ms = excluded.created_at_ms, is_dismissed = excluded.is_dismissed, severity = excluded.severity,"
    " rule_id = excluded.rule_id, agent_id = excluded.agent_id, doc = excluded.doc, events = excluded.events";
#define RAMPART_SELECT_ALERT \
  "SELECT org_id, id, created_at_ms, is_dismissed, severity, rule_id, agent_id, doc, events FROM alerts "
// ?7/?8: exclusive keyset upper bound (created_at_ms, id); ?6 inclusive lower bound.
inline constexpr const char* kListAlerts = RAMPART_SELECT_ALERT
    "WHERE org_id = ?1 AND is_dismissed = ?2 AND created_at_ms >= ?6 AND (created_at_ms, id) < (?7, ?8)"
    " AND (?3 IS NULL OR severity = ?3) AND (?4 IS NULL OR rule_id = ?4) AND (?5 IS NULL OR agent_id = ?5)"
    " ORDER BY created_at_ms DESC, id DESC LIMIT ?9";
inline constexpr const char* kGetAlert = RAMPART_SELECT_ALERT "WHERE org_id = ?1 AND id = ?2";
#undef RAMPART_SELECT_ALERT
inline constexpr const char* kAlertSeverityCounts =
    "SELECT severity, COUNT(*) FROM alerts WHERE org_id = ?1 AND is_dismissed = 0"
    " AND (?2 IS NULL OR created_at_ms >= ?2) AND (?3 IS NULL OR created_at_ms <= ?3)"
    " GROUP BY severity ORDER BY severity";

inline constexpr const char* kPutObject =
    "INSERT INTO v2_objects(org_id, kind, id, parent_id, created_at_ms, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(org_id, kind, id) DO UPDATE SET parent_id = excluded.parent_id, doc = excluded.doc";
inline constexpr const char* kDeleteObject = "DELETE FROM v2_objects WHERE org_id = ?1 AND kind = ?2 AND id = ?3";
#define RAMPART_SELECT_OBJECT "SELECT org_id, kind, id, parent_id, created_at_ms, doc FROM v2_objects "
inline constexpr const char* kListObjects = RAMPART_SELECT_OBJECT
    "WHERE org_id = ?1 AND kind = ?2 AND (?3 = '' OR parent_id = ?3) ORDER BY created_at_ms, id";
inline constexpr const char* kGetObject = RAMPART_SELECT_OBJECT "WHERE org_id = ?1 AND kind = ?2 AND id = ?3";
#undef RAMPART_SELECT_OBJECT

inline constexpr const char* kPutVulnerability =
    "INSERT INTO vulnerabilities(org_id, cve, created_at_ms, is_suppressed, has_notices, package, doc)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(org_id, cve) DO UPDATE SET"
    " created_at_ms = excluded.created_at_ms, is_suppressed = excluded.is_suppressed,"
    " has_notices = excluded.has_notices, package = excluded.package, doc = excluded.doc";
#define RAMPART_SELECT_VULN \
  "SELECT org_id, cve, created_at_ms, is_suppressed, has_notices, package, doc FROM vulnerabilities "
inline constexpr const char* kListVulnerabilities = RAMPART_SELECT_VULN
    "WHERE org_id = ?1 AND (?2 IS NULL OR is_suppressed = ?2) AND (?3 IS NULL OR has_notices = ?3)"
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(doc, '$.agents') WHERE json_extract(value, '$.agentId') = ?4))"
    " AND (?5 IS NULL OR package = ?5) AND (created_at_ms, cve) < (?6, ?7)"
    " ORDER BY created_at_ms DESC, cve DESC LIMIT ?8";
inline constexpr const char* kGetVulnerability = RAMPART_SELECT_VULN "WHERE org_id = ?1 AND cve = ?2";
#undef RAMPART_SELECT_VULN
inline constexpr const char* kSetSuppressed =
    "UPDATE vulnerabilities SET is_suppressed = ?3,"
    " doc = json_set(doc, '$.isSuppressed', json(CASE WHEN ?3 THEN 'true' ELSE 'false' END))"
    " WHERE org_id = ?1 AND cve = ?2";

inline constexpr const char* kInsertV2Audit =
    "INSERT INTO v2_audit(org_id, id, created_at_ms, doc) VALUES (?1, ?2, ?3, ?4)";
inline constexpr const char* kListV2Audit =
    "SELECT org_id, id, created_at_ms, doc FROM v2_audit WHERE org_id = ?1 AND created_at_ms >= ?2"
    " AND (created_at_ms, id) < (?3, ?4) ORDER BY created_at_ms DESC, id DESC LIMIT ?5";

inline constexpr const char* kDeleteMembership = "DELETE FROM memberships WHERE user_id = ?1 AND org_id = ?2";
inline constexpr const char* kMembersOfOrg =
    "SELECT m.user_id, m.org_id, m.role, u.id, u.email, u.created_at_ms FROM memberships m"
    " JOIN users u ON u.id = m.user_id WHERE m.org_id = ?1 ORDER BY u.email";

// Enforcement.
inline constexpr const char* kListPolicyObjects =
    "SELECT account_id, kind, id, name, created_at_ms, doc FROM policy_objects"
    " WHERE (?1 = '' OR account_id = ?1) AND kind = ?2 ORDER BY created_at_ms, rowid";
inline constexpr const char* kPutPolicyObject =
    "INSERT INTO policy_objects(account_id, kind, id, name, created_at_ms, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(account_id, kind, id) DO UPDATE SET name = excluded.name, doc = excluded.doc";
inline constexpr const char* kDeletePolicyObject =
    "DELETE FROM policy_objects WHERE account_id = ?1 AND kind = ?2 AND id = ?3";
inline constexpr const char* kDeletePolicyListRefs = "DELETE FROM policy_list_refs WHERE policy_id = ?1";
inline constexpr const char* kInsertPolicyListRef =
    "INSERT INTO policy_list_refs(account_id, policy_id, list_id) VALUES (?1, ?2, ?3)";
inline constexpr const char* kInsertZoneVersion =
    "INSERT INTO zone_versions(zone, serial, from_serial, delta, content_hash, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr const char* kTrimZoneVersions =
    "DELETE FROM zone_versions WHERE zone = ?1 AND seq NOT IN"
    " (SELECT seq FROM zone_versions WHERE zone = ?1 ORDER BY seq DESC LIMIT ?2)";
inline constexpr const char* kZoneVersions =
    "SELECT zone, serial, from_serial, delta, content_hash, at_ms FROM zone_versions WHERE zone = ?1 ORDER BY seq";

}  // namespace rampart::store::sqlite::q
