#pragma once
// The SQL of vulnerability matching (migration V15): feeds, inventories, findings.
namespace rampart::store::sqlite::q {

#define RAMPART_FEED_COLUMNS \
  "id, format, name, sha256, bytes, feed_date, imported_at_ms, imported_by, entries, is_current"
inline constexpr const char* kStageFeed =
    "INSERT INTO vuln_feeds(format, name, sha256, bytes, feed_date, imported_at_ms, imported_by, entries, is_current)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0)";
inline constexpr const char* kInsertFeedEntry =
    "INSERT OR REPLACE INTO vuln_feed_entries(feed_id, release, source, cve, status, fixed_version, urgency, nodsa,"
    " notices) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// A CVE's last non-empty description in the feed is the one kept (osv_feed.hpp relies on it).
inline constexpr const char* kInsertFeedDescription =
    "INSERT OR REPLACE INTO vuln_feed_descriptions(feed_id, cve, description) VALUES (?1, ?2, ?3)";
inline constexpr const char* kUncurrentFeeds = "UPDATE vuln_feeds SET is_current = 0 WHERE is_current = 1";
inline constexpr const char* kMakeCurrent =
    "UPDATE vuln_feeds SET is_current = 1, entries = ?2, sha256 = ?3, bytes = ?4 WHERE id = ?1";
// Older feeds' entries (and those of imports that never finished); a newer import still being
// written keeps its own.
inline constexpr const char* kDropOtherEntries = "DELETE FROM vuln_feed_entries WHERE feed_id < ?1";
inline constexpr const char* kDropOtherDescriptions = "DELETE FROM vuln_feed_descriptions WHERE feed_id < ?1";
inline constexpr const char* kCountFeedEntries = "SELECT COUNT(*) FROM vuln_feed_entries WHERE feed_id = ?1";
inline constexpr const char* kCurrentFeed = "SELECT " RAMPART_FEED_COLUMNS " FROM vuln_feeds WHERE is_current = 1";
inline constexpr const char* kListFeeds = "SELECT " RAMPART_FEED_COLUMNS " FROM vuln_feeds ORDER BY id DESC";
#undef RAMPART_FEED_COLUMNS
#define RAMPART_FEED_ENTRY_SELECT \
  "SELECT release, source, cve, status, fixed_version, urgency, nodsa, notices FROM vuln_feed_entries "
inline constexpr const char* kFeedEntries = RAMPART_FEED_ENTRY_SELECT "WHERE feed_id = ?1";
inline constexpr const char* kFeedEntriesOfRelease = RAMPART_FEED_ENTRY_SELECT "WHERE feed_id = ?1 AND release = ?2";
#undef RAMPART_FEED_ENTRY_SELECT
inline constexpr const char* kFeedDescription =
    "SELECT description FROM vuln_feed_descriptions WHERE feed_id = ?1 AND cve = ?2";

inline constexpr const char* kPutInventory =
    "INSERT INTO agent_inventories(agent_id, org_id, codename, version_id, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(agent_id) DO UPDATE SET org_id = excluded.org_id, codename = excluded.codename,"
    " version_id = excluded.version_id, updated_at_ms = excluded.updated_at_ms";
#define RAMPART_INVENTORY_SELECT \
  "SELECT i.agent_id, i.org_id, i.codename, i.version_id, i.updated_at_ms," \
  " (SELECT COUNT(*) FROM agent_packages p WHERE p.agent_id = i.agent_id) FROM agent_inventories i "
inline constexpr const char* kGetInventory = RAMPART_INVENTORY_SELECT "WHERE i.agent_id = ?1";
inline constexpr const char* kListInventories = RAMPART_INVENTORY_SELECT "ORDER BY i.agent_id";
#undef RAMPART_INVENTORY_SELECT
inline constexpr const char* kDeletePackages = "DELETE FROM agent_packages WHERE agent_id = ?1";
inline constexpr const char* kDeletePackage = "DELETE FROM agent_packages WHERE agent_id = ?1 AND name = ?2 AND arch = ?3";
inline constexpr const char* kPutPackage =
    "INSERT OR REPLACE INTO agent_packages(agent_id, name, arch, version, source, source_version, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr const char* kPackagesOf =
    "SELECT name, arch, version, source, source_version, status FROM agent_packages WHERE agent_id = ?1"
    " ORDER BY name, arch";

// A finding names its host by the inventory's number (migration V17); read back with the agent
// id joined in.
inline constexpr const char* kFindingsOfCve =
    "SELECT f.org_id, f.cve, i.agent_id, f.package, f.arch, f.version, f.source, f.source_version, f.fixed_version,"
    " f.urgency, f.notices, f.release, f.feed_id, f.first_seen_ms FROM vuln_findings f"
    " JOIN agent_inventories i ON i.host = f.host WHERE f.org_id = ?1 AND f.cve = ?2 ORDER BY i.agent_id, f.package, f.arch";
// What replacing or forgetting a host's findings needs of the old ones.
inline constexpr const char* kFindingKeysOfHost =
    "SELECT org_id, cve, package, arch, first_seen_ms FROM vuln_findings WHERE host = ?1";
inline constexpr const char* kHostOf = "SELECT host FROM agent_inventories WHERE agent_id = ?1";
inline constexpr const char* kInsertFinding =
    "INSERT OR REPLACE INTO vuln_findings(org_id, cve, host, package, arch, version, source, source_version,"
    " fixed_version, urgency, notices, release, feed_id, first_seen_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
inline constexpr const char* kDeleteFinding =
    "DELETE FROM vuln_findings WHERE org_id = ?1 AND cve = ?2 AND host = ?3 AND package = ?4 AND arch = ?5";
// One organization's summary row of a CVE, recomputed from its findings (gone when none remain;
// first seen kept).
inline constexpr const char* kDropMatchedCve =
    "DELETE FROM matched_cves WHERE org_id = ?1 AND cve = ?2"
    " AND NOT EXISTS (SELECT 1 FROM vuln_findings WHERE org_id = ?1 AND cve = ?2)";
inline constexpr const char* kRefreshMatchedCve =
    "INSERT INTO matched_cves(org_id, cve, first_seen_ms, source, unfixed, has_notices)"
    " SELECT ?1, ?2, MIN(first_seen_ms), MIN(source), MAX(fixed_version IS NULL), MAX(notices != '')"
    " FROM vuln_findings WHERE org_id = ?1 AND cve = ?2 HAVING COUNT(*) > 0"
    " ON CONFLICT(org_id, cve) DO UPDATE SET source = excluded.source, unfixed = excluded.unfixed,"
    " has_notices = excluded.has_notices";

// The same for all of an organization's CVEs at once, in one pass over its findings: cheaper
// than one CVE at a time when a re-match touched most of them.
inline constexpr const char* kDropMatchedOfOrg =
    "DELETE FROM matched_cves WHERE org_id = ?1 AND NOT EXISTS"
    " (SELECT 1 FROM vuln_findings f WHERE f.org_id = ?1 AND f.cve = matched_cves.cve)";
inline constexpr const char* kRefreshMatchedOfOrg =
    "INSERT INTO matched_cves(org_id, cve, first_seen_ms, source, unfixed, has_notices)"
    " SELECT ?1, cve, MIN(first_seen_ms), MIN(source), MAX(fixed_version IS NULL), MAX(notices != '')"
    " FROM vuln_findings WHERE org_id = ?1 GROUP BY cve"
    " ON CONFLICT(org_id, cve) DO UPDATE SET source = excluded.source, unfixed = excluded.unfixed,"
    " has_notices = excluded.has_notices";
inline constexpr const char* kCountMatched = "SELECT COUNT(*) FROM matched_cves WHERE org_id = ?1";

// Summary rows whose CVE has no finding left (a re-match that failed after some of its
// transactions lost the list of CVEs it had touched).
inline constexpr const char* kDropOrphanMatched =
    "DELETE FROM matched_cves WHERE NOT EXISTS"
    " (SELECT 1 FROM vuln_findings f WHERE f.org_id = matched_cves.org_id AND f.cve = matched_cves.cve)";

// A revoked agent's inventory and findings go with it (RevokeAgent).
inline constexpr const char* kDeleteInventory = "DELETE FROM agent_inventories WHERE agent_id = ?1";

}  // namespace rampart::store::sqlite::q
