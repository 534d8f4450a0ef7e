#pragma once
// The SQL of deploy keys, enrolled agents' keys, events and their batches (migration V13).
#include <string>
namespace rampart::store::sqlite::q {

#define RAMPART_DEPLOY_KEY_COLUMNS \
  "id, org_id, secret_hash, description, created_at_ms, rotated_at_ms, revoked_at_ms, last_used_at_ms, last_used_host"
inline constexpr const char* kInsertDeployKey =
    "INSERT INTO deploy_keys(" RAMPART_DEPLOY_KEY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
inline constexpr const char* kFindDeployKey = "SELECT " RAMPART_DEPLOY_KEY_COLUMNS " FROM deploy_keys WHERE id = ?1";
inline constexpr const char* kListDeployKeys =
    "SELECT " RAMPART_DEPLOY_KEY_COLUMNS " FROM deploy_keys WHERE org_id = ?1 ORDER BY created_at_ms, id";
#undef RAMPART_DEPLOY_KEY_COLUMNS
inline constexpr const char* kRotateDeployKey =
    "UPDATE deploy_keys SET secret_hash = ?3, rotated_at_ms = ?4 WHERE org_id = ?1 AND id = ?2 AND revoked_at_ms IS NULL";
inline constexpr const char* kRevokeDeployKey =
    "UPDATE deploy_keys SET revoked_at_ms = ?3 WHERE org_id = ?1 AND id = ?2 AND revoked_at_ms IS NULL";
inline constexpr const char* kTouchDeployKey =
    "UPDATE deploy_keys SET last_used_at_ms = ?2, last_used_host = ?3 WHERE id = ?1";

#define RAMPART_AGENT_KEY_COLUMNS \
  "agent_id, org_id, fingerprint, sealed_key, key_created_at_ms, rulesets, deploy_key_id, revoked_at_ms"
inline constexpr const char* kFindAgentKey = "SELECT " RAMPART_AGENT_KEY_COLUMNS " FROM agent_keys WHERE agent_id = ?1";
inline constexpr const char* kFindAgentByFingerprint =
    "SELECT " RAMPART_AGENT_KEY_COLUMNS " FROM agent_keys WHERE org_id = ?1 AND fingerprint = ?2";
inline constexpr const char* kListAgentKeys =
    "SELECT " RAMPART_AGENT_KEY_COLUMNS " FROM agent_keys WHERE revoked_at_ms IS NULL ORDER BY agent_id";
inline constexpr const char* kPutAgentKey =
    "INSERT INTO agent_keys(" RAMPART_AGENT_KEY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)"
    " ON CONFLICT(agent_id) DO UPDATE SET sealed_key = excluded.sealed_key,"
    " key_created_at_ms = excluded.key_created_at_ms, rulesets = excluded.rulesets,"
    " deploy_key_id = excluded.deploy_key_id";
#undef RAMPART_AGENT_KEY_COLUMNS
inline constexpr const char* kRevokeAgentKey =
    "UPDATE agent_keys SET revoked_at_ms = ?3 WHERE org_id = ?1 AND agent_id = ?2 AND revoked_at_ms IS NULL";
inline constexpr const char* kAgentOffline =
    "UPDATE agents SET status = 'offline', doc = json_set(doc, '$.status', 'offline') WHERE org_id = ?1 AND id = ?2";

// A liveness flush edits the stored document in place (SQLite's JSON functions) instead of
// reading, parsing and re-serializing it: it runs for every agent once a minute.
inline constexpr const char* kAgentLiveness =
    "UPDATE agents SET status = ?3, doc = json_set(doc, '$.status', ?3, '$.lastReportedAt', ?4)"
    " WHERE org_id = ?1 AND id = ?2 AND json_valid(doc)";
inline constexpr const char* kAgentMember =
    "UPDATE agents SET doc = json_set(doc, '$.\"' || ?3 || '\"', json(?4))"
    " WHERE org_id = ?1 AND id = ?2 AND json_valid(doc)";

inline constexpr const char* kInsertBatch = "INSERT OR IGNORE INTO ingest_batches(agent_id, seq, at_ms) VALUES (?1, ?2, ?3)";
inline constexpr const char* kForgetBatches = "DELETE FROM ingest_batches WHERE agent_id = ?1";
inline constexpr const char* kBatchSeen = "SELECT 1 FROM ingest_batches WHERE agent_id = ?1 AND seq = ?2";
inline constexpr const char* kInsertEvent =
    "INSERT INTO events(org_id, agent_id, at_ms, event_type, doc) VALUES (?1, ?2, ?3, ?4, ?5)";
// kInsertEvent for kEventsPerInsert events at once: (?1, ?2, ?3, ?4, ?5), (?1, ?2, ?3, ?6, ?7), ...
// A batch's events go in a few statements instead of one each (docs/benchmarks.md).
inline constexpr int kEventsPerInsert = 32;
inline const char* InsertEvents() {
  static const std::string sql = [] {
    std::string s = "INSERT INTO events(org_id, agent_id, at_ms, event_type, doc) VALUES ";
    for (int k = 0; k < kEventsPerInsert; ++k) {
      s += (k ? ", (?1, ?2, ?3, ?" : "(?1, ?2, ?3, ?") + std::to_string(4 + 2 * k) + ", ?" + std::to_string(5 + 2 * k) + ")";
    }
    return s;
  }();
  return sql.c_str();
}
inline constexpr const char* kCountEvents =
    "INSERT INTO event_counts(org_id, n) VALUES (?1, ?2) ON CONFLICT(org_id) DO UPDATE SET n = n + excluded.n"
    " RETURNING n";
// The organization's oldest `?2` events.
inline constexpr const char* kEvictEvents =
    "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE org_id = ?1 ORDER BY seq LIMIT ?2)";
inline constexpr const char* kAttachEvent =
    "UPDATE alerts SET events = json_insert(events, '$[#]', json(?3))"
    " WHERE org_id = ?1 AND id = ?2 AND json_array_length(events) < ?4";
inline constexpr const char* kRecentEvents =
    "SELECT seq, org_id, agent_id, at_ms, event_type, doc FROM events WHERE org_id = ?1 ORDER BY seq DESC LIMIT ?2";

// Retention, a slice at a time (a long delete would hold the writer). RETURNING names the
// organizations whose counts drop.
inline constexpr const char* kExpireEvents =
    "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE at_ms < ?1 LIMIT ?2) RETURNING org_id";
inline constexpr const char* kUncountEvents = "UPDATE event_counts SET n = max(0, n - ?2) WHERE org_id = ?1";
inline constexpr const char* kExpireBatches = "DELETE FROM ingest_batches WHERE at_ms < ?1";
inline constexpr const char* kExpireAlerts =
    "DELETE FROM alerts WHERE rowid IN (SELECT rowid FROM alerts WHERE created_at_ms < ?1 LIMIT ?2)";

inline constexpr const char* kOrgsWithoutBaseRules = "SELECT id FROM organizations WHERE base_ruleset_id IS NULL";
inline constexpr const char* kClaimBaseRules =
    "UPDATE organizations SET base_ruleset_id = ?2 WHERE id = ?1 AND base_ruleset_id IS NULL";

}  // namespace rampart::store::sqlite::q
