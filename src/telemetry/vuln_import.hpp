#pragma once
// `rampart admin vulnfeed import` (docs/vulnerabilities.md): a Debian Security Tracker JSON file,
// gzip-compressed or not (told by its first bytes), read in 1 MiB chunks — inflated, hashed and
// parsed as a stream, the entries written in batches of 5,000 to a staged feed — so memory stays
// bounded whatever the feed's size. The feed becomes current only when all of it was read and
// written (VulnStore::ActivateFeed): a malformed file leaves the old feed serving. A running
// server picks the new one up within its 10 s feed check.
#include <cstdint>
#include <istream>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "vuln/feed.hpp"

namespace rampart::telemetry {

struct FeedSource {
  std::string format;     // "debian-tracker"
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

}  // namespace rampart::telemetry
