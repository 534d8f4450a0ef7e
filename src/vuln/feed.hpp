#pragma once
// Debian security data as rampart keeps it: one entry per (release, source package,
// vulnerability), whichever feed it came from (tracker_feed.hpp, osv_feed.hpp).
#include <optional>
#include <string>
#include <vector>

namespace rampart::vuln {

struct FeedEntry {
  std::string release;  // Debian codename: "bookworm"
  std::string source;   // source package: "net-snmp"
  std::string cve;      // "CVE-2022-24805" (or the tracker's TEMP-… ids)
  // "resolved" (a fix exists for the release) or "open" (none yet). The tracker's
  // "undetermined" entries are not kept.
  std::string status;
  // The first fixed version; nullopt while there is none; "0": the release was never affected.
  std::optional<std::string> fixed_version;
  std::string urgency;  // the feed's word: "low", "medium**", "unimportant", "not yet assigned", …
  bool nodsa = false;   // the tracker's nodsa: no advisory will be issued (minor issue)
  std::vector<std::string> notices;  // DSA-…/DLA-… ids, when the feed names them
  std::string description;           // at most kMaxDescription bytes
};

inline constexpr size_t kMaxDescription = 4096;

// What an import read.
struct FeedStats {
  size_t entries = 0;       // kept
  size_t undetermined = 0;  // skipped: the tracker has not decided
  size_t unsupported = 0;   // OSV: affected entries left out (osv_feed.hpp says which)
  size_t sources = 0, vulnerabilities = 0;
};

}  // namespace rampart::vuln
