#pragma once
// Every SQL statement rampart runs against SQLite, named. Parameters are always bound.
namespace rampart::store::sqlite::q {

inline constexpr const char* kZoneSuffixOf = "SELECT zone_suffix FROM organizations WHERE id = ?1";
inline constexpr const char* kZoneGrantsOf = "SELECT suffix FROM zone_grants WHERE org_id = ?1 ORDER BY suffix";
inline constexpr const char* kGrantZoneSuffix = "INSERT INTO zone_grants(suffix, org_id) VALUES (?1, ?2)";

inline constexpr const char* kLoadLists =
    "SELECT id, org_id, kind, name, list_type, description, expires, created_at_ms"
    " FROM user_lists WHERE org_id = ?1 ORDER BY created_at_ms, id";
inline constexpr const char* kLoadEntries =
    "SELECT value, address_type, comments, expires, seq FROM list_entries WHERE list_id = ?1"
    " ORDER BY seq";
inline constexpr const char* kInsertList =
    "INSERT INTO user_lists(id, org_id, kind, name, list_type, description, expires,"
    " created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kUpdateList =
    "UPDATE user_lists SET name = ?3, list_type = ?4, description = ?5, expires = ?6"
    " WHERE id = ?1 AND org_id = ?2";
inline constexpr const char* kDeleteList = "DELETE FROM user_lists WHERE id = ?1 AND org_id = ?2";
inline constexpr const char* kDeleteAllEntries = "DELETE FROM list_entries WHERE list_id = ?1";
inline constexpr const char* kUpsertEntry =
    "INSERT INTO list_entries(list_id, value, address_type, comments, expires, seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(list_id, value) DO UPDATE SET"
    " comments = excluded.comments, expires = excluded.expires";
inline constexpr const char* kDeleteEntry = "DELETE FROM list_entries WHERE list_id = ?1 AND value = ?2";

inline constexpr const char* kInsertAudit =
    "INSERT INTO audit_log(org_id, list_id, list_kind, list_name, actor, action, at_ms,"
    " changes_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kReadAudit =
    "SELECT id, org_id, list_id, list_kind, list_name, actor, action, at_ms, changes_json"
    " FROM audit_log WHERE org_id = ?1 AND (?2 = '' OR list_id = ?2)"
    " ORDER BY id DESC LIMIT ?4 OFFSET ?3";
inline constexpr const char* kCountAudit =
    "SELECT COUNT(*) FROM audit_log WHERE org_id = ?1 AND (?2 = '' OR list_id = ?2)";

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
#define RAMPART_ALERT_FILTER \
  "WHERE org_id = ?1 AND is_dismissed = ?2 AND created_at_ms >= ?6 AND (created_at_ms, id) < (?7, ?8)" \
  " AND (?3 IS NULL OR severity = ?3) AND (?4 IS NULL OR rule_id = ?4) AND (?5 IS NULL OR agent_id = ?5)" \
  " ORDER BY created_at_ms DESC, id DESC LIMIT ?9"
inline constexpr const char* kListAlerts = RAMPART_SELECT_ALERT RAMPART_ALERT_FILTER;
// What a page of the listing shows (AlertQuery::page_only): not the events, an alert's largest
// column, and none of the columns the filter already fixed.
inline constexpr const char* kListAlertPage = "SELECT id, created_at_ms, doc FROM alerts " RAMPART_ALERT_FILTER;
#undef RAMPART_ALERT_FILTER
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
// Imported vulnerabilities and matched ones (V15) as one keyset-paged set. A CVE that matching
// found hides the imported record of the same number (the evidence wins). A matched CVE is
// suppressed while a suppression object names it; its doc is built by telemetry from findings.
#define RAMPART_SELECT_VULN \
  "SELECT u.org_id, u.cve, u.created_at_ms, u.is_suppressed, u.has_notices, u.package, u.doc, u.origin, u.unfixed" \
  " FROM (SELECT org_id, cve, created_at_ms, is_suppressed, has_notices, package, doc, 'imported' AS origin," \
  " 0 AS unfixed FROM vulnerabilities v WHERE v.org_id = ?1" \
  " AND NOT EXISTS (SELECT 1 FROM matched_cves m WHERE m.org_id = ?1 AND m.cve = v.cve)" \
  " UNION ALL SELECT org_id, cve, first_seen_ms, EXISTS (SELECT 1 FROM v2_objects o WHERE o.org_id = ?1" \
  " AND o.kind = 'suppression' AND o.parent_id = m.cve), has_notices, source, '', 'matched', unfixed" \
  " FROM matched_cves m WHERE m.org_id = ?1) AS u "
inline constexpr const char* kListVulnerabilities = RAMPART_SELECT_VULN
    "WHERE (?2 IS NULL OR u.is_suppressed = ?2) AND (?3 IS NULL OR u.has_notices = ?3)"
    " AND (?4 IS NULL OR (u.origin = 'imported' AND EXISTS (SELECT 1 FROM json_each(u.doc, '$.agents')"
    " WHERE json_extract(value, '$.agentId') = ?4)) OR (u.origin = 'matched' AND EXISTS (SELECT 1 FROM"
    " vuln_findings f WHERE f.org_id = ?1 AND f.cve = u.cve"
    " AND f.host = (SELECT host FROM agent_inventories WHERE agent_id = ?4))))"
    " AND (?5 IS NULL OR u.package = ?5 OR (u.origin = 'matched' AND EXISTS (SELECT 1 FROM vuln_findings f"
    " WHERE f.org_id = ?1 AND f.cve = u.cve AND f.package = ?5)))"
    " AND (?9 IS NULL OR (u.origin = 'matched' AND u.unfixed = ?9))"
    " AND (u.created_at_ms, u.cve) < (?6, ?7)"
    " ORDER BY u.created_at_ms DESC, u.cve DESC LIMIT ?8";
inline constexpr const char* kGetVulnerability = RAMPART_SELECT_VULN "WHERE u.cve = ?2";
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

// kMembersOfOrg's columns, for every user (?1 = '') or one organization's members.
inline constexpr const char* kListUsers =
    "SELECT COALESCE(m.user_id, u.id), COALESCE(m.org_id, ''), COALESCE(m.role, ''), u.id, u.email,"
    " u.created_at_ms, u.display_name, u.password_hash, u.disabled_at_ms FROM users u"
    " LEFT JOIN memberships m ON m.user_id = u.id WHERE ?1 = '' OR m.org_id = ?1 ORDER BY u.email, m.org_id";
inline constexpr const char* kDeleteMembership = "DELETE FROM memberships WHERE user_id = ?1 AND org_id = ?2";
inline constexpr const char* kMembersOfOrg =
    "SELECT m.user_id, m.org_id, m.role, u.id, u.email, u.created_at_ms, u.display_name, u.password_hash,"
    " u.disabled_at_ms FROM memberships m"
    " JOIN users u ON u.id = m.user_id WHERE m.org_id = ?1 ORDER BY u.email";

// Enforcement.
inline constexpr const char* kListPolicyObjects =
    "SELECT org_id, kind, id, name, created_at_ms, doc FROM policy_objects"
    " WHERE (?1 = '' OR org_id = ?1) AND kind = ?2 ORDER BY created_at_ms, rowid";
inline constexpr const char* kPutPolicyObject =
    "INSERT INTO policy_objects(org_id, kind, id, name, created_at_ms, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(org_id, kind, id) DO UPDATE SET name = excluded.name, doc = excluded.doc";
inline constexpr const char* kDeletePolicyObject =
    "DELETE FROM policy_objects WHERE org_id = ?1 AND kind = ?2 AND id = ?3";
inline constexpr const char* kDeletePolicyListRefs = "DELETE FROM policy_list_refs WHERE policy_id = ?1";
inline constexpr const char* kInsertPolicyListRef =
    "INSERT INTO policy_list_refs(org_id, policy_id, list_id) VALUES (?1, ?2, ?3)";
inline constexpr const char* kInsertZoneVersion =
    "INSERT INTO zone_versions(zone, serial, from_serial, delta, content_hash, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr const char* kTrimZoneVersions =
    "DELETE FROM zone_versions WHERE zone = ?1 AND seq NOT IN"
    " (SELECT seq FROM zone_versions WHERE zone = ?1 ORDER BY seq DESC LIMIT ?2)";
inline constexpr const char* kZoneVersions =
    "SELECT zone, serial, from_serial, delta, content_hash, at_ms FROM zone_versions WHERE zone = ?1 ORDER BY seq";

}  // namespace rampart::store::sqlite::q
