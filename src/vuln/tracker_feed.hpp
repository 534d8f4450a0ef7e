#pragma once
// The Debian Security Tracker's JSON (https://security-tracker.debian.org/tracker/data/json),
// read as a stream so a 50 MB feed costs memory for one vulnerability at a time:
//
//   { "<source package>": { "<CVE id>": { "description": "…", "scope": "…", "debianbug": 123,
//       "releases": { "<codename>": { "status": "resolved" | "open" | "undetermined",
//                                     "fixed_version": "<version>" (absent while unfixed),
//                                     "urgency": "low" | "medium**" | …, "nodsa": "…",
//                                     "repositories": { "<suite>": "<version>" } } } } } }
//
// Each (source, CVE, release) becomes a FeedEntry handed to the sink when its CVE's object ends
// (the description may come after the releases). Unknown keys are ignored, so the tracker can
// grow fields; a known key with the wrong type, a source or CVE that is not an object, a
// fixed_version that is not a Debian version, or text past its cap is an Invalid error naming the
// line and the key path ("line 12: net-snmp / CVE-2022-24805 / releases / bookworm /
// fixed_version: …"). Not valid JSON is Invalid naming the line.
#include <functional>
#include <memory>
#include <string_view>

#include "base/result.hpp"
#include "vuln/feed.hpp"

namespace rampart::vuln {

class TrackerParser {
 public:
  // The sink may fail (a store write): that error ends the parse and is returned.
  using Sink = std::function<Result<void>(FeedEntry&&)>;
  explicit TrackerParser(Sink sink);
  ~TrackerParser();

  Result<void> Write(std::string_view chunk);
  // The end of the input: Invalid when the document is incomplete.
  Result<void> Finish();
  const FeedStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rampart::vuln
