#pragma once
// OSV records (the OpenSSF schema, https://ossf.github.io/osv-schema/) of the Debian ecosystems,
// as OSV.dev publishes them: per-CVE records (`DEBIAN-CVE-…`, Debian's own triage from the
// Security Tracker) and advisories (`DSA-…`, `DLA-…`, `DTSA-…`):
//
//   { "id": "DSA-5555-1", "upstream": ["CVE-2023-1234"], "summary": "…", "details": "…",
//     "affected": [ { "package": { "ecosystem": "Debian:12", "name": "<source package>" },
//                     "ranges": [ { "type": "ECOSYSTEM",
//                                   "events": [ {"introduced": "0"}, {"fixed": "<version>"} ] } ],
//                     "ecosystem_specific": { "urgency": "low" } } ] }
//
// Each (release, source, CVE) becomes one FeedEntry, the same shape the tracker's feed gives
// (feed.hpp), merged over every record that names it, whatever the order records come in:
//  - a per-CVE record (`DEBIAN-…`) decides the fixed version and the urgency (the release's own
//    triage; the same key in two such records: the last read);
//  - every other record (`DSA-…`, `DLA-…`, `DTSA-…` add their id to the sorted notices, at most
//    64) gives, while no per-CVE record named the key, the lowest fixed version it names as the
//    fix (none: open), the urgency "not yet assigned".
// The CVE ids of a record are its id when it is one (`CVE-…`), else the `CVE-`/`TEMP-` ids in
// `upstream` and `aliases` (not `related`: other vulnerabilities), else the id without its
// `DEBIAN-` prefix. Releases come from the ecosystem's number (`Debian:12` → bookworm;
// `Debian:unstable` → sid). Bounded: at most 64 ranges per affected entry, 65,536 (package,
// vulnerability) pairs per record and 4,000,000 distinct entries per feed, else Invalid.
//
// Left out and counted (FeedStats::unsupported): affected entries of other ecosystems or of a
// Debian release without a number rampart knows, ranges other than ECOSYSTEM from "0" to an
// optional fix (a `last_affected` or a later `introduced` cannot be said as "below the fix"),
// withdrawn records. A record that is not an object, a known field of the wrong type, a source
// name or fixed version Debian would refuse, or a record with more than 4,096 affected entries is
// an Invalid error naming the record and the field ("DSA-5555-1.json: affected[0] / ranges[0] /
// events[1] / fixed: …"). Unknown fields are ignored; descriptions are cut at kMaxDescription.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "base/result.hpp"
#include "vuln/feed.hpp"

namespace rampart::vuln {

// The codename of a Debian ecosystem ("Debian:12" → "bookworm"), or "" when rampart does not
// know its number.
std::string CodenameOf(std::string_view ecosystem);

class OsvReader {
 public:
  // Called with an entry each time what is known of it changes: the last call for a key holds
  // its merged state, so a store that replaces by key ends with the right row. Its description
  // is empty when it should not replace the CVE's current one (an advisory's summary once the
  // CVE's own record was read), so a store keeping the last non-empty description per CVE keeps
  // the per-CVE record's. The sink may fail (a store write): that error ends the read.
  using Sink = std::function<Result<void>(FeedEntry&&)>;
  explicit OsvReader(Sink sink) : sink_(std::move(sink)) {}

  // One document: a record (an object) or an array of records. `origin` names it in errors.
  Result<void> Read(std::string_view document, std::string_view origin);
  // The distinct entries, sources and vulnerabilities read so far.
  FeedStats stats() const;

 private:
  struct Merged {
    std::optional<std::string> fixed;
    std::string urgency = "not yet assigned";
    bool triaged = false;  // a per-CVE record decided fixed and urgency
    std::vector<std::string> notices;
  };
  Sink sink_;
  std::unordered_map<std::string, Merged> merged_;  // release \0 source \0 CVE
  std::unordered_set<std::string> sources_, cves_, triaged_cves_;
  size_t unsupported_ = 0;

  friend struct OsvRecordReader;
};

}  // namespace rampart::vuln
