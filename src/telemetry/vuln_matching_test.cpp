// Vulnerability matching end to end below the API: the fixture feed imported from its file (as
// the CLI does, gzip too), a host's inventory in full and then as a delta, a new feed that fixes
// one CVE, and the v2 documents built from the findings with their evidence.
#include "telemetry/vuln_matching.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "telemetry/page_token.hpp"
#include "telemetry/vuln_import.hpp"
#include "telemetry/vulns.hpp"

namespace rampart::telemetry {
namespace {
namespace json = boost::json;

constexpr const char* kOrg = "aaaaaaaaaaaaaaaaaaaaaaaa";

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Fixture() {
  std::ifstream in(std::string(RAMPART_VULN_FIXTURE));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

store::PackageRecord Pkg(const std::string& name, const std::string& version, const std::string& source,
                         const std::string& source_version) {
  return {name, "amd64", version, source, source_version, "install ok installed"};
}

class VulnMatchingTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db_->CreateOrg({kOrg, "acme", 0})); }
  Result<FeedImported> Import(const std::string& text, bool gzip = false) {
    std::istringstream in(gzip ? Gzip(text) : text);
    return ImportFeed(*db_, in, {"debian-tracker", gzip ? "json.gz" : "json", "2026-12-01T00:00:00Z", "admin", 5});
  }
  std::set<std::string> Cves(const std::string& params = "") {
    VulnParams p;
    if (params == "unfixed") p.unfixed = "true";
    auto body = ListVulnsBody(*db_, codec_, kOrg, p);
    EXPECT_TRUE(body) << body.error().detail;
    std::set<std::string> out;
    const json::value doc = json::parse(*body);  // named: the loop must not outlive it
    for (const auto& c : doc.at("cves").as_array()) out.insert(std::string(c.at("cveNumber").as_string()));
    return out;
  }
  std::unique_ptr<store::Store> db_ = std::move(*store::OpenSqliteStore({":memory:"}));
  FakeClock clock_{SysTime(std::chrono::seconds(1700000000))};
  PageTokenCodec codec_{"k"};
  VulnMatcher matcher_{*db_, clock_};
};

TEST_F(VulnMatchingTest, AnInventoryIsMatchedAndANewFeedChangesOnlyWhatItFixed) {
  auto imported = Import(Fixture(), true);
  ASSERT_TRUE(imported) << imported.error().detail;
  EXPECT_EQ(imported->feed.entries, 20);
  EXPECT_EQ(imported->feed.sha256.size(), 64u);
  EXPECT_TRUE(imported->feed.current);
  ASSERT_TRUE(*matcher_.Refresh());
  EXPECT_FALSE(*matcher_.Refresh());  // the same feed: nothing to do

  InventoryUpdate full{kOrg, "ag1", "bookworm", "12", true,
                       {Pkg("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                        Pkg("snmpd", "5.9.3+dfsg-2", "net-snmp", "5.9.3+dfsg-2"),
                        Pkg("gzip", "1.12-1", "gzip", "1.12-1")},
                       {}};
  auto out = matcher_.Inventory(full);
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->packages, 3u);
  EXPECT_EQ(Cves(), (std::set<std::string>{"CVE-2023-5678", "CVE-2024-2511", "CVE-2022-24805"}));
  EXPECT_EQ(Cves("unfixed"), (std::set<std::string>{"CVE-2024-2511"}));

  // The document: Threat Stack's fields from the finding, and the evidence.
  const json::value parsed = json::parse(*GetVulnBody(*db_, kOrg, "CVE-2022-24805"));
  const json::object& doc = parsed.as_object();
  EXPECT_EQ(doc.at("reportedPackage").as_string(), "net-snmp 5.9.3+dfsg");
  EXPECT_EQ(doc.at("systemPackage").as_string(), "snmpd 5.9.3+dfsg-2 amd64");
  EXPECT_EQ(doc.at("severity").as_string(), "medium");
  EXPECT_EQ(doc.at("origin").as_string(), "matched");
  EXPECT_EQ(doc.at("fixedVersion").as_string(), "5.9.3+dfsg-2+deb12u1");
  EXPECT_EQ(doc.at("agents").at(0).at("agentId").as_string(), "ag1");
  EXPECT_EQ(doc.at("evidence").at("feed").at("sha256").as_string(), imported->feed.sha256);
  EXPECT_EQ(doc.at("evidence").at("release").as_string(), "bookworm");
  const json::value unimportant_doc = json::parse(*GetVulnBody(*db_, kOrg, "CVE-2024-2511"));
  const json::object& unimportant = unimportant_doc.as_object();
  EXPECT_EQ(unimportant.at("severity").as_string(), "low");
  EXPECT_EQ(unimportant.at("debianUrgency").as_string(), "unimportant");
  EXPECT_TRUE(unimportant.at("fixedVersion").is_null());
  auto servers = json::parse(*VulnServersBody(*db_, kOrg, "CVE-2023-5678"));
  EXPECT_EQ(servers.at("servers").at(0).at("agentId").as_string(), "ag1");

  // A delta: snmpd upgraded past the fix; a delta with no stored base asks for a full one.
  InventoryUpdate delta{kOrg, "ag1", "bookworm", "12", false,
                        {Pkg("snmpd", "5.9.3+dfsg-2+deb12u1", "net-snmp", "5.9.3+dfsg-2+deb12u1")}, {}};
  ASSERT_TRUE(matcher_.Inventory(delta));
  EXPECT_FALSE(Cves().count("CVE-2022-24805"));
  InventoryUpdate orphan{kOrg, "ag2", "bookworm", "12", false, {Pkg("gzip", "1.12-1", "gzip", "1.12-1")}, {}};
  EXPECT_TRUE(matcher_.Inventory(orphan)->need_full);
  EXPECT_FALSE(db_->GetInventory("ag2").value());

  // A feed where openssl's CVE-2023-5678 is fixed at the installed version: only that goes.
  std::string fixed = Fixture();
  const std::string from = "\"fixed_version\": \"3.0.13-1~deb12u1\"";
  fixed.replace(fixed.find(from), from.size(), "\"fixed_version\": \"3.0.11-1~deb12u2\"");
  ASSERT_TRUE(Import(fixed));
  ASSERT_TRUE(*matcher_.Refresh());
  EXPECT_EQ(Cves(), (std::set<std::string>{"CVE-2024-2511"}));
}

// Only the hosts' releases are loaded; the first host of another release brings its entries in,
// and a later feed re-matches it like any other.
TEST_F(VulnMatchingTest, AHostOfAReleaseNotLoadedYetIsMatchedAgainstIt) {
  ASSERT_TRUE(Import(Fixture()));
  ASSERT_TRUE(matcher_.Inventory({kOrg, "ag1", "bookworm", "12", true, {Pkg("gzip", "1.12-1", "gzip", "1.12-1")}, {}}));
  ASSERT_TRUE(*matcher_.Refresh());  // loads bookworm only
  InventoryUpdate old_host{kOrg, "ag2", "bullseye", "11", true,
                           {Pkg("libssl1.1", "1.1.1w-0+deb11u1", "openssl", "1.1.1w-0+deb11u1")}, {}};
  auto out = matcher_.Inventory(old_host);
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->findings, 1u);
  const json::value doc = json::parse(*GetVulnBody(*db_, kOrg, "CVE-2023-5678"));
  EXPECT_EQ(doc.at("agents").at(0).at("agentId").as_string(), "ag2");
  EXPECT_EQ(doc.at("evidence").at("release").as_string(), "bullseye");

  std::string fixed = Fixture();
  const std::string from = "\"fixed_version\": \"1.1.1w-0+deb11u2\"";
  ASSERT_NE(fixed.find(from), std::string::npos);
  fixed.replace(fixed.find(from), from.size(), "\"fixed_version\": \"1.1.1w-0+deb11u1\"");
  ASSERT_TRUE(Import(fixed));
  ASSERT_TRUE(*matcher_.Refresh());
  EXPECT_FALSE(Cves().count("CVE-2023-5678"));
}

TEST_F(VulnMatchingTest, AMalformedFeedLeavesTheCurrentOneServing) {
  ASSERT_TRUE(Import(Fixture()));
  const int64_t current = (*db_->CurrentFeed())->id;
  auto bad = Import("{\"openssl\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": \"resolved\", "
                    "\"fixed_version\": \"not a version\"}}}}}");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalid);
  EXPECT_NE(bad.error().detail.find("line 1: openssl / CVE-1 / releases / bookworm / fixed_version"), std::string::npos)
      << bad.error().detail;
  EXPECT_EQ((*db_->CurrentFeed())->id, current);
  auto truncated = Import(Gzip(Fixture()).substr(0, 400));
  EXPECT_FALSE(truncated);
  EXPECT_EQ((*db_->CurrentFeed())->id, current);
  EXPECT_EQ(db_->FeedEntries(current)->size(), 20u);
}

}  // namespace
}  // namespace rampart::telemetry
