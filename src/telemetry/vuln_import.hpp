#pragma once
// `rampart admin vulnfeed import` (docs/vulnerabilities.md). Two formats:
//  - `debian-tracker`: the Debian Security Tracker's JSON file, gzip-compressed or not (told by
//    its first bytes), read in 1 MiB chunks — inflated, hashed and parsed as a stream, the entries
//    written in batches of 5,000 to a staged feed — so memory stays bounded whatever its size;
//  - `osv`: OSV records of the Debian ecosystems (vuln/osv_feed.hpp), one document at a time (a
//    file, or every .json file of a directory); memory holds the merged state of each entry
//    (~150 bytes), not the documents.
// The feed becomes current only when all of it was read and written (VulnStore::ActivateFeed):
// a malformed file leaves the old feed serving. A running server picks the new one up within its
// 10 s feed check.
#include <cstdint>
#include <functional>
#include <istream>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "vuln/feed.hpp"

namespace rampart::telemetry {

struct FeedSource {
  std::string format;     // "debian-tracker" | "osv"
  std::string name;       // the file name, recorded
  std::string feed_date;  // the file's modification time, ISO-8601
  std::string imported_by = "admin";
  int64_t now_ms = 0;
};

struct FeedImported {
  store::FeedRecord feed;  // as recorded (current)
  vuln::FeedStats stats;
};

// Invalid for an unknown format, a stream that is not gzip or JSON as announced, or a feed the
// parser refuses (naming the line and key); Unavailable for store errors.
Result<FeedImported> ImportFeed(store::VulnStore& store, std::istream& in, const FeedSource& source);

// Hands over an OSV feed's next document (its name, for errors, and its bytes); false when there
// are no more.
using NextDocument = std::function<Result<bool>(std::string& name, std::string& bytes)>;

// An OSV feed's documents, in the order given. Its SHA-256 is of the bytes of a lone document,
// or, with `named`, of each document's name, a NUL, its bytes and a NUL (a directory's files).
// Invalid for a document the reader refuses (naming the document and the field).
Result<FeedImported> ImportOsv(store::VulnStore& store, const NextDocument& next, const FeedSource& source, bool named);

}  // namespace rampart::telemetry
