#pragma once
// The SQL of organizations, users, memberships, Hawk keys and v4.0 API keys. Parameters are bound.
namespace rampart::store::sqlite::q {

inline constexpr const char* kInsertOrg =
    "INSERT INTO organizations(id, name, created_at_ms, zone_suffix) VALUES (?1, ?2, ?3, lower(hex(randomblob(4))))";
#define RAMPART_SELECT_ORG "SELECT id, name, created_at_ms, zone_suffix FROM organizations "
inline constexpr const char* kListOrgs = RAMPART_SELECT_ORG "ORDER BY created_at_ms, id";
// By id first: a name that happens to equal another organization's id never shadows it.
inline constexpr const char* kFindOrg = RAMPART_SELECT_ORG "WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1";
#undef RAMPART_SELECT_ORG
inline constexpr const char* kOrgContents =
    "SELECT (SELECT COUNT(*) FROM user_lists WHERE org_id = ?1), (SELECT COUNT(*) FROM api_keys WHERE org_id = ?1),"
    " (SELECT COUNT(*) FROM policy_objects WHERE org_id = ?1), (SELECT COUNT(*) FROM memberships WHERE org_id = ?1),"
    " (SELECT COUNT(*) FROM agents WHERE org_id = ?1), (SELECT COUNT(*) FROM alerts WHERE org_id = ?1),"
    " (SELECT COUNT(*) FROM vulnerabilities WHERE org_id = ?1),"
    " (SELECT COUNT(*) FROM v2_objects WHERE org_id = ?1) + (SELECT COUNT(*) FROM rulesets WHERE org_id = ?1"
    "  AND id IS NOT (SELECT base_ruleset_id FROM organizations WHERE id = ?1)),"
    " (SELECT COUNT(*) FROM zone_grants WHERE org_id = ?1), (SELECT COUNT(*) FROM deploy_keys WHERE org_id = ?1)";
// Everything that hangs off an organization, children first (the foreign keys are on). Its audit
// records stay: they are the record of what happened, and the deletion is one of them.
inline constexpr const char* kDeleteOrgData[] = {
    "DELETE FROM policy_list_refs WHERE org_id = ?1",
    "DELETE FROM policy_objects WHERE org_id = ?1",
    "DELETE FROM user_lists WHERE org_id = ?1",  // entries cascade
    "DELETE FROM api_keys WHERE org_id = ?1",
    "DELETE FROM zone_grants WHERE org_id = ?1",
    "DELETE FROM memberships WHERE org_id = ?1",
    "DELETE FROM agents WHERE org_id = ?1",
    "DELETE FROM alerts WHERE org_id = ?1",
    "DELETE FROM vulnerabilities WHERE org_id = ?1",
    "DELETE FROM v2_objects WHERE org_id = ?1",
    "DELETE FROM rules WHERE org_id = ?1",  // before its rulesets (foreign key)
    "DELETE FROM rulesets WHERE org_id = ?1",
    "DELETE FROM v2_audit WHERE org_id = ?1",
    "DELETE FROM ingest_batches WHERE agent_id IN (SELECT agent_id FROM agent_keys WHERE org_id = ?1)",
    "DELETE FROM agent_packages WHERE agent_id IN (SELECT agent_id FROM agent_inventories WHERE org_id = ?1)",
    "DELETE FROM agent_inventories WHERE org_id = ?1",
    "DELETE FROM vuln_findings WHERE org_id = ?1",
    "DELETE FROM matched_cves WHERE org_id = ?1",
    "DELETE FROM agent_keys WHERE org_id = ?1",
    "DELETE FROM deploy_keys WHERE org_id = ?1",
    "DELETE FROM events WHERE org_id = ?1",
    "DELETE FROM event_counts WHERE org_id = ?1",
    "DELETE FROM webhook_deliveries WHERE org_id = ?1",
    "DELETE FROM webhooks WHERE org_id = ?1",
    "DELETE FROM organizations WHERE id = ?1",
};

inline constexpr const char* kInsertUser =
    "INSERT INTO users(id, email, created_at_ms, display_name, password_hash, disabled_at_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr const char* kFindUser =
    "SELECT id, email, created_at_ms, display_name, password_hash, disabled_at_ms FROM users"
    " WHERE id = ?1 OR email = ?1 ORDER BY id = ?1 DESC LIMIT 1";
inline constexpr const char* kUpdateUser =
    "UPDATE users SET display_name = ?2, password_hash = ?3, disabled_at_ms = ?4 WHERE id = ?1";
inline constexpr const char* kPutMembership =
    "INSERT INTO memberships(user_id, org_id, role) VALUES (?1, ?2, ?3)"
    " ON CONFLICT(user_id, org_id) DO UPDATE SET role = excluded.role";
inline constexpr const char* kMembershipsOfUser =
    "SELECT user_id, org_id, role FROM memberships WHERE user_id = ?1 ORDER BY org_id";
inline constexpr const char* kRoleOf = "SELECT role FROM memberships WHERE user_id = ?1 AND org_id = ?2";
inline constexpr const char* kOwnerCount = "SELECT COUNT(*) FROM memberships WHERE org_id = ?1 AND role = 'owner'";

inline constexpr const char* kRetireHawkKeys =
    "UPDATE hawk_keys SET valid_until_ms = ?2 WHERE user_id = ?1 AND valid_until_ms IS NULL";
inline constexpr const char* kInsertHawkKey =
    "INSERT INTO hawk_keys(user_id, sealed_key, created_at_ms, valid_until_ms) VALUES (?1, ?2, ?3, ?4)";
inline constexpr const char* kAnySealedKey = "SELECT sealed_key FROM hawk_keys ORDER BY id LIMIT 1";
inline constexpr const char* kValidHawkKeys =
    "SELECT k.id, k.user_id, k.sealed_key, k.created_at_ms, k.valid_until_ms FROM hawk_keys k"
    " JOIN users u ON u.id = k.user_id WHERE k.user_id = ?1 AND u.disabled_at_ms IS NULL"
    " AND (k.valid_until_ms IS NULL OR k.valid_until_ms > ?2) ORDER BY k.id DESC";

inline constexpr const char* kInsertApiKey =
    "INSERT INTO api_keys(id, org_id, secret_hash, perms, networks, description, created_at_ms, expires_at_ms,"
    " revoked_at_ms, last_used_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
#define RAMPART_SELECT_KEY                                                                               \
  "SELECT id, org_id, secret_hash, perms, networks, description, created_at_ms, expires_at_ms, revoked_at_ms," \
  " last_used_at_ms FROM api_keys "
inline constexpr const char* kFindApiKey = RAMPART_SELECT_KEY "WHERE id = ?1";
inline constexpr const char* kListApiKeys = RAMPART_SELECT_KEY "WHERE org_id = ?1 ORDER BY created_at_ms, id";
#undef RAMPART_SELECT_KEY
inline constexpr const char* kRevokeApiKey =
    "UPDATE api_keys SET revoked_at_ms = ?2 WHERE id = ?1 AND revoked_at_ms IS NULL";
inline constexpr const char* kTouchApiKey =
    "UPDATE api_keys SET last_used_at_ms = max(COALESCE(last_used_at_ms, 0), ?2) WHERE id = ?1";

inline constexpr const char* kAppendChange =
    "INSERT INTO changes(topic, key, at_ms) VALUES (?1, ?2, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))";
inline constexpr const char* kLatestChange = "SELECT COALESCE(MAX(seq), 0) FROM changes";
inline constexpr const char* kChangesSince =
    "SELECT seq, topic, key, at_ms FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2";
inline constexpr const char* kTrimChanges = "DELETE FROM changes WHERE at_ms < ?1";

}  // namespace rampart::store::sqlite::q
