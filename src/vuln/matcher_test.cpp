// Matching a bookworm host against the fixture's traps (testdata/debian-tracker-fixture.json):
// each CVE is found or not for the reason the fixture names, so a comparator or keying mistake
// shows up as a named false positive or false negative.
#include "vuln/matcher.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "vuln/tracker_feed.hpp"

namespace rampart::vuln {
namespace {

std::vector<FeedEntry> FixtureEntries() {
  std::ifstream in(std::string(RAMPART_VULN_TESTDATA) + "/debian-tracker-fixture.json");
  std::stringstream s;
  s << in.rdbuf();
  std::vector<FeedEntry> out;
  TrackerParser p([&](FeedEntry&& e) -> Result<void> {
    out.push_back(std::move(e));
    return {};
  });
  EXPECT_TRUE(p.Write(s.str()) && p.Finish());
  return out;
}

const std::vector<InstalledPackage> kHost = {
    {"openssl", "amd64", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"},
    {"libssl3", "amd64", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"},
    {"bind9", "amd64", "1:9.18.28-1~deb12u2", "bind9", "1:9.18.28-1~deb12u2"},
    {"util-linux", "amd64", "2.38.1-5+deb12u3", "util-linux", "2.38.1-5+deb12u3"},
    {"redis-server", "amd64", "5:7.0.15-1~bpo12+1", "redis", "5:7.0.15-1~bpo12+1"},
    {"snmpd", "amd64", "5.9.3+dfsg-2", "net-snmp", "5.9.3+dfsg-2"},
    {"linux-image-6.1.0-18-amd64", "amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1"},
    {"gzip", "amd64", "1.12-1", "gzip", "1.12-1"},
    {"libcap2", "amd64", "1:2.44-1", "libcap2", "1:2.44-1"},
    {"libc6", "amd64", "2.36-9+deb12u9", "glibc", "2.36-9+deb12u9"},
};

TEST(VulnMatch, EachTrapOfTheFixtureComesOutRight) {
  auto index = FeedIndex::Build(FixtureEntries());
  auto found = Match(*index, "bookworm", kHost);
  std::map<std::string, std::set<std::string>> by_cve;  // cve -> binaries
  for (const auto& f : found) by_cve[f.cve].insert(f.package);
  // Affected: fixed above the installed version (a +deb12uN suffix ordered numerically, an
  // epoch, the signed kernel image as source `linux`, a binary named unlike its source).
  EXPECT_EQ(by_cve["CVE-2023-5678"], (std::set<std::string>{"libssl3", "openssl"}));
  EXPECT_EQ(by_cve["CVE-2024-11187"], (std::set<std::string>{"bind9"}));
  EXPECT_EQ(by_cve["CVE-2099-0001"], (std::set<std::string>{"util-linux"}));
  EXPECT_EQ(by_cve["CVE-2099-0002"], (std::set<std::string>{"redis-server"}));  // ~bpo12+1 is before -1
  EXPECT_EQ(by_cve["CVE-2022-24805"], (std::set<std::string>{"snmpd"}));
  EXPECT_EQ(by_cve["CVE-2024-26581"], (std::set<std::string>{"linux-image-6.1.0-18-amd64"}));
  EXPECT_EQ(by_cve["CVE-2025-0395"], (std::set<std::string>{"libc6"}));
  // Unfixed: reported, without a fixed version.
  EXPECT_EQ(by_cve["CVE-2024-2511"], (std::set<std::string>{"libssl3", "openssl"}));
  // Not affected: fixed below (CVE-2023-3817, CVE-2023-50387, CVE-2024-28085 u1 < u3, CVE-2023-45145
  // the backport above the older fix), fixed in exactly the installed version (CVE-2023-52429,
  // CVE-2022-1271), never affected ("0": CVE-2020-1967), undetermined (CVE-2024-9143),
  // another release only (CVE-2023-2603), and an epoch-less fix below an epoch (CVE-2019-6465).
  EXPECT_EQ(by_cve.size(), 8u);
  for (const auto& f : found) {
    if (f.cve == "CVE-2024-2511") {
      EXPECT_FALSE(f.fixed_version);
    } else {
      EXPECT_TRUE(f.fixed_version) << f.cve;
    }
    if (f.package == "linux-image-6.1.0-18-amd64") {
      EXPECT_EQ(f.source, "linux");
      EXPECT_EQ(f.source_version, "6.1.76-1");
      EXPECT_EQ(f.fixed_version, "6.1.82-1");
    }
  }
  EXPECT_TRUE(Match(*index, "trixie", kHost).empty());
  EXPECT_EQ(Match(*index, "bookworm", kHost, 3).size(), 4u);  // stops one past the limit
  auto bullseye = Match(*index, "bullseye", kHost);
  std::set<std::string> old;
  for (const auto& f : bullseye) old.insert(f.cve);
  // openssl 3.0.11 is above 1.1.1w, the 6.1 kernel above 5.10.216: only libcap2 at 1:2.44-1.
  EXPECT_EQ(old, (std::set<std::string>{"CVE-2023-2603"}));
}

TEST(VulnMatch, SeverityFromDebianUrgency) {
  EXPECT_EQ(SeverityOf("high").level, "high");
  EXPECT_EQ(SeverityOf("medium**").level, "medium");
  EXPECT_EQ(SeverityOf("medium**").note, "");
  EXPECT_EQ(SeverityOf("unimportant").level, "low");
  EXPECT_EQ(SeverityOf("unimportant").note, "unimportant");
  EXPECT_EQ(SeverityOf("end-of-life").note, "end-of-life");
  EXPECT_EQ(SeverityOf("not yet assigned").level, "medium");
  EXPECT_EQ(SeverityOf("").note, "not yet assigned");
}

TEST(VulnMatch, UnparsableInstalledVersionsMatchNothing) {
  auto index = FeedIndex::Build(FixtureEntries());
  EXPECT_TRUE(Match(*index, "bookworm", {{"openssl", "amd64", "garbage", "openssl", "garbage"}}).empty());
}

}  // namespace
}  // namespace rampart::vuln
