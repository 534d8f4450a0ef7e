// The tracker's JSON read as a stream: the fixture's entries whole whatever the chunking,
// undetermined ones skipped, and malformed feeds refused naming the line and the key path.
#include "vuln/tracker_feed.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace rampart::vuln {
namespace {

std::string Fixture() {
  std::ifstream in(std::string(RAMPART_VULN_TESTDATA) + "/debian-tracker-fixture.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<std::vector<FeedEntry>> ParseAll(std::string_view text, size_t chunk = 1 << 20, FeedStats* stats = nullptr) {
  std::vector<FeedEntry> out;
  TrackerParser p([&](FeedEntry&& e) -> Result<void> {
    out.push_back(std::move(e));
    return {};
  });
  for (size_t at = 0; at < text.size(); at += chunk) RAMPART_CHECK(p.Write(text.substr(at, chunk)));
  RAMPART_CHECK(p.Finish());
  if (stats) *stats = p.stats();
  return out;
}

TEST(TrackerFeed, TheFixtureReadsTheSameInAnyChunking) {
  FeedStats stats;
  auto whole = ParseAll(Fixture(), 1 << 20, &stats);
  ASSERT_TRUE(whole) << whole.error().detail;
  EXPECT_EQ(stats.vulnerabilities, 18u);
  EXPECT_EQ(stats.sources, 9u);
  EXPECT_EQ(stats.undetermined, 1u);
  EXPECT_EQ(stats.entries, whole->size());
  EXPECT_EQ(whole->size(), 20u);
  std::map<std::string, FeedEntry> by;
  for (const auto& e : *whole) by[e.source + "/" + e.cve + "/" + e.release] = e;
  const FeedEntry& open = by.at("openssl/CVE-2024-2511/bookworm");
  EXPECT_EQ(open.status, "open");
  EXPECT_FALSE(open.fixed_version);
  EXPECT_TRUE(open.nodsa);
  EXPECT_EQ(open.urgency, "unimportant");
  EXPECT_NE(open.description.find("unbounded memory growth"), std::string::npos);  // after the releases
  EXPECT_EQ(by.at("openssl/CVE-2020-1967/bookworm").fixed_version, "0");
  EXPECT_EQ(by.at("bind9/CVE-2024-11187/bookworm").fixed_version, "1:9.18.33-1~deb12u2");
  EXPECT_EQ(by.at("linux/CVE-2024-26581/bullseye").fixed_version, "5.10.216-1");
  EXPECT_FALSE(by.count("openssl/CVE-2024-9143/bookworm"));  // undetermined
  for (size_t chunk : {1, 7, 4096}) {
    auto parts = ParseAll(Fixture(), chunk);
    ASSERT_TRUE(parts) << chunk << ": " << parts.error().detail;
    ASSERT_EQ(parts->size(), whole->size());
    for (size_t i = 0; i < parts->size(); ++i) {
      EXPECT_EQ((*parts)[i].cve, (*whole)[i].cve);
      EXPECT_EQ((*parts)[i].description, (*whole)[i].description);
      EXPECT_EQ((*parts)[i].fixed_version, (*whole)[i].fixed_version);
    }
  }
}

TEST(TrackerFeed, MalformedFeedsNameTheLineAndTheKey) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"[]", "line 1: the feed must be a JSON object"},
           {"{\"a\": []}", "line 1: a: must be an object"},
           {"{\"a\": {\"CVE-1\": 5}}", "line 1: a / CVE-1: must be an object"},
           {"{\"a\":\n {\"CVE-1\": {\"releases\": []}}}", "line 2: a / CVE-1 / releases: must be an object"},
           {"{\"a\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": 1}}}}}",
            "a / CVE-1 / releases / bookworm / status: 'status' must be a string"},
           {"{\"a\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": \"resolved\", \"fixed_version\": \"x1\"}}}}}",
            "fixed_version: 'fixed_version' \"x1\": the upstream version does not start with a digit"},
           {"{\"a\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"fixed_version\": \"1.0\"}}}}}", "'status' is missing"},
           {"{\"a\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": \"maybe\"}}}}}", "'status' must be resolved"},
           {"{\"a\": {\"CVE-1\": {\"releases\": {\"bookworm\": []}}}}", "bookworm: must be an object"},
           {"{\"a\": {\"CVE-1\":\n\n {\"releases\": {", "line 3: not valid JSON"},
           {"{\"a\": {\"CVE-1\": {}}} x", "not valid JSON"},
           {"{\"\": {}}", "an empty package or CVE name"},
       }) {
    auto r = ParseAll(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().detail.find(c.says), std::string::npos) << c.text << " → " << r.error().detail;
    EXPECT_EQ(r.error().code, Errc::kInvalid);
  }
  // Unknown keys and containers are skipped; a CVE without releases is no entry.
  auto fine = ParseAll(R"({"a": {"CVE-1": {"scope": ["x", {"y": 1}], "releases": {"bookworm": {"status": "open",
      "repositories": {"bookworm": "1.0-1"}, "new": [1, 2]}}, "debianbug": 7}, "CVE-2": {"description": "d"}}})");
  ASSERT_TRUE(fine) << fine.error().detail;
  ASSERT_EQ(fine->size(), 1u);
  EXPECT_EQ((*fine)[0].cve, "CVE-1");
}

TEST(TrackerFeed, ASinkErrorStopsTheParseAndIsReturned) {
  TrackerParser p([](FeedEntry&&) -> Result<void> { return Error::Unavailable("disk full"); });
  auto r = p.Write(Fixture());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnavailable);
  EXPECT_EQ(r.error().detail, "disk full");
}

}  // namespace
}  // namespace rampart::vuln
