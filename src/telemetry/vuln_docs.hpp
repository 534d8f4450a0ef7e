#pragma once
// The v2 CVE object of a matched vulnerability (threatstack-api.md §8.4), built from the
// organization's findings when it is read: `cveNumber`, `reportedPackage` ("<source>
// <upstream>"), `systemPackage` ("<binary> <version> <arch>"), `vectorType` (null: Debian's data
// does not say), `severity` from Debian's urgency, `isSuppressed`, `securityNotices`, `agents`
// (one per host, with what it has installed) — and rampart's own: `origin` ("matched"),
// `unfixed`, `fixedVersion`, `debianUrgency`, and `evidence` (the feed, release and source
// package the finding rests on). docs/vulnerabilities.md.
#include <vector>

#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::telemetry {

// Gives every matched row of `rows` (origin "matched", doc "") its doc; imported rows keep theirs.
Result<void> FillMatchedDocs(store::Store& store, const std::string& org_id, std::vector<store::VulnRecord>& rows);

}  // namespace rampart::telemetry
