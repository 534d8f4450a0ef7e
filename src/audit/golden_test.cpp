// Recorded auditd text (testdata/*.log: real dispatcher and audit.log output of auditd 3.0.9 on
// Debian 12, plus one hand-interleaved file with a lost EOE and a line that is not a record, and
// one hand-written file of hostile text: invalid UTF-8, control bytes, a 32-bit execve, another
// rule's syscall in ENRICHED format) →
// the events rampart-agent would send (testdata/*.events.jsonl). The last line of each golden
// file counts what did not become an event. RAMPART_UPDATE_GOLDEN=1 rewrites the golden files
// (review the diff: that is the test).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/assembler.hpp"
#include "audit/event.hpp"

namespace rampart::audit {
namespace {

namespace fs = std::filesystem;

Lookups FixedHost() {
  return {[](int64_t uid) -> std::string { return uid == 0 ? "root" : uid == 65534 ? "nobody" : ""; },
          [](int64_t pid) -> std::string { return pid == 4463 ? "/usr/bin/bash" : ""; }};
}

std::string Replay(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  Assembler assembler({.max_records = 64, .max_pending = 256, .stale_after_ms = 2000});
  std::vector<Assembler::Group> groups;
  std::string line;
  int unparsed = 0;
  while (std::getline(in, line)) {
    auto r = ParseRecord(line);
    if (!r) {
      ++unparsed;
      continue;
    }
    assembler.Add(std::move(*r), groups);
  }
  assembler.Drain(groups);
  std::string out;
  int skipped = 0;
  for (const auto& g : groups) {
    auto e = BuildEvent(g, FixedHost());
    if (!e) {
      ++skipped;
      continue;
    }
    out += boost::json::serialize(*e) + "\n";
  }
  out += "{\"unparsed\":" + std::to_string(unparsed) + ",\"incomplete\":" + std::to_string(assembler.incomplete()) +
         ",\"not_events\":" + std::to_string(skipped) + "}\n";
  return out;
}

TEST(AuditGolden, RecordedTextBecomesTheExpectedEvents) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(RAMPART_AUDIT_TESTDATA)) {
    if (entry.path().extension() != ".log") continue;
    ++files;
    fs::path golden = entry.path();
    golden.replace_extension(".events.jsonl");
    std::string got = Replay(entry.path());
    if (std::getenv("RAMPART_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << got;
    std::ifstream want_in(golden, std::ios::binary);
    ASSERT_TRUE(want_in) << "no golden file " << golden;
    std::stringstream want;
    want << want_in.rdbuf();
    EXPECT_EQ(got, want.str()) << entry.path().filename();
  }
  EXPECT_GE(files, 5);
}

}  // namespace
}  // namespace rampart::audit
