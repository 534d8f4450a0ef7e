#pragma once
// Plain rows of vulnerability matching (migration V15): imported Debian security feeds, hosts'
// package inventories, and the findings matching made of them. No behaviour: telemetry's
// VulnMatcher owns the meaning (docs/vulnerabilities.md).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rampart::store {

// One import of a feed. Imports are kept as history (who, when, what file); only the current
// feed keeps its entries.
struct FeedRecord {
  int64_t id = 0;                // assigned by the store
  std::string format = {};       // "debian-tracker" | "osv"
  std::string name = {};         // the file's name as given
  std::string sha256 = {};       // of the bytes read (compressed, when it was)
  int64_t bytes = 0;
  std::string feed_date = {};    // the feed's own date (file modification time), ISO-8601
  int64_t imported_at_ms = 0;
  std::string imported_by = {};  // "admin" (the CLI)
  int64_t entries = 0;
  bool current = false;
};

// The host a package inventory describes.
struct InventoryRecord {
  std::string agent_id = {};
  std::string org_id = {};
  std::string codename = {};    // VERSION_CODENAME: "bookworm"
  std::string version_id = {};  // VERSION_ID: "12"
  int64_t updated_at_ms = 0;
  int64_t packages = 0;         // how many are stored (set by the store)
};

struct PackageRecord {
  std::string name = {}, arch = {}, version = {}, source = {}, source_version = {}, status = {};
};

// One vulnerable package on one host.
struct FindingRecord {
  std::string org_id = {}, cve = {}, agent_id = {};
  std::string package = {}, arch = {}, version = {};  // the binary as installed
  std::string source = {}, source_version = {};       // what was compared
  std::optional<std::string> fixed_version = {};      // nullopt: no fix yet
  std::string urgency = {};
  std::string notices = {};  // DSA/DLA ids, comma-separated
  std::string release = {};
  int64_t feed_id = 0;
  int64_t first_seen_ms = 0;  // kept across re-matches of the same (cve, agent, package, arch)
};

// Replaces an agent's findings: of the packages named in `packages` (by name and arch), or of
// every package when `all`.
struct FindingsUpdate {
  std::string org_id = {}, agent_id = {};
  bool all = false;
  std::vector<std::pair<std::string, std::string>> packages = {};  // (name, arch)
  std::vector<FindingRecord> findings = {};
  int64_t now_ms = 0;
};

// CVEs whose findings changed, by organization.
using TouchedCves = std::map<std::string, std::set<std::string>>;

// An organization's matched vulnerability (one per CVE): the page key and the filters.
struct MatchedCve {
  std::string cve = {};
  int64_t first_seen_ms = 0;
  bool unfixed = false;
  bool has_notices = false;
};

}  // namespace rampart::store
