// OSV records of the Debian ecosystems: the fixture directory's records merge into one entry per
// (release, source, CVE) whatever order they come in — per-CVE triage decides the fix and the
// urgency, advisories add their ids —, other ecosystems and ranges the matcher cannot say are left
// out and counted, and malformed records are refused naming the document and the field.
#include "vuln/osv_feed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace rampart::vuln {
namespace {

using Entries = std::map<std::string, FeedEntry>;  // "release/source/CVE" -> its last state

std::vector<std::pair<std::string, std::string>> FixtureDocuments() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : std::filesystem::directory_iterator(std::string(RAMPART_VULN_TESTDATA) + "/debian-osv")) {
    if (f.path().extension() != ".json") continue;
    std::ifstream in(f.path());
    std::stringstream s;
    s << in.rdbuf();
    out.emplace_back(f.path().filename().string(), s.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<Entries> ReadAll(const std::vector<std::pair<std::string, std::string>>& documents, FeedStats* stats = nullptr) {
  Entries out;
  std::map<std::string, std::string> described;  // as the store keeps them: the last non-empty
  OsvReader reader([&](FeedEntry&& e) -> Result<void> {
    if (!e.description.empty()) described[e.cve] = e.description;
    out[e.release + "/" + e.source + "/" + e.cve] = std::move(e);
    return {};
  });
  for (const auto& [name, text] : documents) RAMPART_CHECK(reader.Read(text, name));
  for (auto& [key, e] : out) e.description = described[e.cve];
  if (stats) *stats = reader.stats();
  return out;
}

TEST(OsvFeed, TheFixtureMergesPerReleaseSourceAndCve) {
  FeedStats stats;
  auto entries = ReadAll(FixtureDocuments(), &stats);
  ASSERT_TRUE(entries) << entries.error().detail;
  EXPECT_EQ(stats.entries, entries->size());
  EXPECT_EQ(stats.unsupported, 3u);  // Ubuntu, a last_affected range, a withdrawn record
  const FeedEntry& triaged = entries->at("bookworm/openssl/CVE-2023-5678");
  EXPECT_EQ(triaged.fixed_version, std::optional<std::string>("3.0.13-1~deb12u1"));
  EXPECT_EQ(triaged.urgency, "low");
  EXPECT_EQ(triaged.status, "resolved");
  EXPECT_EQ(triaged.notices, std::vector<std::string>{"DSA-5532-1"});
  EXPECT_EQ(entries->at("bullseye/openssl/CVE-2023-5678").notices, std::vector<std::string>{"DLA-3942-1"});
  // Named by an advisory only: its fix, and no triage yet.
  const FeedEntry& advisory_only = entries->at("bookworm/openssl/CVE-2023-5363");
  EXPECT_EQ(advisory_only.fixed_version, std::optional<std::string>("3.0.13-1~deb12u1"));
  EXPECT_EQ(advisory_only.urgency, "not yet assigned");
  EXPECT_EQ(entries->at("bookworm/linux/CVE-2024-26581").notices, std::vector<std::string>{"DSA-5620-1"});
  const FeedEntry& open = entries->at("bookworm/openssl/CVE-2024-2511");
  EXPECT_EQ(open.status, "open");
  EXPECT_FALSE(open.fixed_version);
  EXPECT_EQ(open.urgency, "unimportant");
  EXPECT_TRUE(open.notices.empty());
  EXPECT_EQ(entries->at("bookworm/redis/CVE-2099-0002").fixed_version, std::optional<std::string>("5:7.0.15-1"));
  EXPECT_FALSE(entries->count("bookworm/gzip/CVE-2099-0004"));  // last_affected
  EXPECT_FALSE(entries->count("bookworm/gzip/CVE-2099-0005"));  // withdrawn
  EXPECT_NE(triaged.description.find("X9.42"), std::string::npos);
}

TEST(OsvFeed, TheOrderOfRecordsDoesNotChangeTheResult) {
  auto documents = FixtureDocuments();
  auto forward = ReadAll(documents);
  std::reverse(documents.begin(), documents.end());
  auto backward = ReadAll(documents);
  ASSERT_TRUE(forward && backward);
  ASSERT_EQ(forward->size(), backward->size());
  for (const auto& [key, e] : *forward) {
    const FeedEntry& b = backward->at(key);
    EXPECT_EQ(e.fixed_version, b.fixed_version) << key;
    EXPECT_EQ(e.urgency, b.urgency) << key;
    EXPECT_EQ(e.description, b.description) << key;
    EXPECT_EQ(e.notices, b.notices) << key;
  }
}

TEST(OsvFeed, AdvisoriesAloneGiveTheLowestFixAndAnArrayHoldsManyRecords) {
  const std::string doc = R"([
    {"id": "DSA-2-1", "upstream": ["CVE-2024-1"], "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.88.1-10+deb12u6"}]}]}]},
    {"id": "DSA-1-1", "aliases": ["CVE-2024-1", "GHSA-xxxx"], "affected": [{"package": {"ecosystem": "Debian:12.4",
      "name": "curl"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.88.1-10+deb12u5"}]}]}]},
    {"id": "DEBIAN-TEMP-0000001-AB12CD", "affected": [{"package": {"ecosystem": "Debian:unstable", "name": "curl"},
      "ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}, {"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
  ])";
  FeedStats stats;
  auto entries = ReadAll({{"many.json", doc}}, &stats);
  ASSERT_TRUE(entries) << entries.error().detail;
  const FeedEntry& e = entries->at("bookworm/curl/CVE-2024-1");
  EXPECT_EQ(e.fixed_version, std::optional<std::string>("7.88.1-10+deb12u5"));
  EXPECT_EQ(e.notices, (std::vector<std::string>{"DSA-1-1", "DSA-2-1"}));  // sorted
  EXPECT_EQ(entries->at("sid/curl/TEMP-0000001-AB12CD").status, "open");
  EXPECT_EQ(stats.unsupported, 0u);  // the GIT range is skipped, the ECOSYSTEM one says it
}

TEST(OsvFeed, MalformedRecordsAreRefusedNamingTheDocumentAndTheField) {
  auto refusal = [](std::string_view doc) {
    auto r = ReadAll({{"x.json", std::string(doc)}});
    return r ? std::string("accepted") : r.error().detail;
  };
  const std::string affected = R"({"id": "DSA-1-1", "upstream": ["CVE-2024-1"], "affected": [)";
  EXPECT_EQ(refusal("{"), "x.json is not valid JSON (incomplete JSON)");
  EXPECT_EQ(refusal("3"), "x.json must hold an OSV record (a JSON object) or an array of them");
  EXPECT_EQ(refusal(R"([{"id": "DSA-1-1"}, 4])"), "x.json: record[1]: must be a JSON object");
  EXPECT_EQ(refusal(R"({"id": 4})"), "x.json: id: must be a string");
  EXPECT_EQ(refusal(R"({"id": "DSA 1"})"), "x.json: id: must be a vulnerability id");
  EXPECT_EQ(refusal(R"({"id": "DSA-1-1", "upstream": "CVE-2024-1"})"), "x.json: upstream: must be an array of ids");
  EXPECT_EQ(refusal(affected + R"({"package": {"ecosystem": "Debian:12", "name": "Bad Name"}}]})"),
            "x.json: affected[0] / package / name: must be a Debian source package name");
  EXPECT_EQ(refusal(affected + R"({"package": {"ecosystem": "Debian:12", "name": "curl"}, "ranges": [{"type": "ECOSYSTEM",
            "events": [{"introduced": "0"}, {"fixed": "x1"}]}]}]})"),
            "x.json: affected[0] / ranges[0] / events[1] / fixed: \"x1\": the upstream version does not start with a digit");
  EXPECT_EQ(refusal(affected + R"({"package": {"ecosystem": "Debian:12", "name": "curl"}, "ranges": [{"type": "ECOSYSTEM",
            "events": [{"introduced": "0", "fixed": "1"}]}]}]})"),
            "x.json: affected[0] / ranges[0] / events[0]: must be an object with one of introduced, fixed, last_affected, "
            "limit");
  EXPECT_EQ(refusal(affected + "3]}"), "x.json: affected[0]: must be an object");
}

TEST(OsvFeed, RelatedIdsAreOtherVulnerabilitiesAndHostileSizesAreRefused) {
  auto related = ReadAll({{"r.json", R"({"id": "DSA-3-1", "related": ["CVE-2024-7"], "affected": [{"package":
      {"ecosystem": "Debian:12", "name": "curl"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
      {"fixed": "1.0-1"}]}]}]})"}});
  ASSERT_TRUE(related);
  EXPECT_TRUE(related->empty());  // no CVE of its own: nothing, and CVE-2024-7 is not marked fixed
  std::string ranges = R"({"id": "DEBIAN-CVE-1", "affected": [{"package": {"ecosystem": "Debian:12", "name": "a"},
      "ranges": [)";
  for (int i = 0; i < 65; ++i) ranges += std::string(i ? "," : "") + R"({"type": "GIT", "events": []})";
  ranges += "]}]}";
  auto many = ReadAll({{"m.json", ranges}});
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().detail, "m.json: affected[0] / ranges: has more than 64 ranges");
  std::string pairs = R"({"id": "DSA-4-1", "upstream": [)";
  for (int i = 0; i < 256; ++i) pairs += std::string(i ? "," : "") + "\"CVE-2024-" + std::to_string(i) + "\"";
  pairs += R"(], "affected": [)";
  for (int i = 0; i < 257; ++i) pairs += std::string(i ? "," : "") + "{}";
  pairs += "]}";
  auto wide = ReadAll({{"w.json", pairs}});
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().detail, "w.json: affected: names more than 65,536 (package, vulnerability) pairs");
}

TEST(OsvFeed, EcosystemsNameDebianReleases) {
  EXPECT_EQ(CodenameOf("Debian:12"), "bookworm");
  EXPECT_EQ(CodenameOf("Debian:11"), "bullseye");
  EXPECT_EQ(CodenameOf("Debian:13"), "trixie");
  EXPECT_EQ(CodenameOf("Debian:12.5"), "bookworm");
  EXPECT_EQ(CodenameOf("Debian:unstable"), "sid");
  EXPECT_EQ(CodenameOf("Debian"), "");
  EXPECT_EQ(CodenameOf("Debian:99"), "");
  EXPECT_EQ(CodenameOf("Ubuntu:22.04"), "");
}

}  // namespace
}  // namespace rampart::vuln
