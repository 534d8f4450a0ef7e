// The dpkg status file as the inventory reads it: stanzas, continuation lines, Source with and
// without a version, packages whose files are gone; the delta between two inventories; and
// this machine's own status file, read the same way dpkg-query reads it.
#include "agent/inventory.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace rampart::agent {
namespace {

constexpr const char* kStatus = R"(Package: snmpd
Status: install ok installed
Architecture: amd64
Source: net-snmp
Version: 5.9.3+dfsg-2
Depends: libsnmp40 (= 5.9.3+dfsg-2)
Description: SNMP (Simple Network Management Protocol) agents
 The Simple Network Management Protocol (SNMP) provides a framework
 .
 Source: not-a-field

Package: linux-image-6.1.0-18-amd64
Status: install ok installed
Architecture: amd64
Source: linux-signed-amd64 (6.1.76+1)
Version: 6.1.76-1

Package: oldthing
Status: deinstall ok config-files
Architecture: all
Version: 1.0-1

Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b2
Source: bash (5.2.15-2)

Package: noversion
Status: install ok installed
Architecture: all
)";

TEST(AgentInventory, TheStatusFileGivesBinariesWithTheirSources) {
  auto got = ParseDpkgStatus(kStatus);
  ASSERT_EQ(got.size(), 3u);  // sorted; config-files and a stanza without a version are left out
  EXPECT_EQ(got[0], (Package{"bash", "amd64", "5.2.15-2+b2", "bash", "5.2.15-2", "install ok installed"}));
  EXPECT_EQ(got[1], (Package{"linux-image-6.1.0-18-amd64", "amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1",
                             "install ok installed"}));
  EXPECT_EQ(got[2], (Package{"snmpd", "amd64", "5.9.3+dfsg-2", "net-snmp", "5.9.3+dfsg-2", "install ok installed"}));
  EXPECT_EQ(ParseDpkgStatus(kStatus, 2).size(), 2u);
  EXPECT_TRUE(ParseDpkgStatus("").empty());
  EXPECT_TRUE(ParseDpkgStatus("\n\n:\nPackage\n").empty());
}

TEST(AgentInventory, ADeltaNamesWhatWasAddedChangedAndRemoved) {
  auto before = ParseDpkgStatus(kStatus);
  auto after = before;
  after[0].version = "5.2.15-2+b3";           // bash upgraded
  after.erase(after.begin() + 1);             // the kernel removed
  after.push_back({"zsh", "amd64", "5.9-4", "zsh", "5.9-4", "install ok installed"});
  auto d = Diff(before, after);
  ASSERT_EQ(d.upserted.size(), 2u);
  EXPECT_EQ(d.upserted[0].name, "bash");
  EXPECT_EQ(d.upserted[1].name, "zsh");
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].name, "linux-image-6.1.0-18-amd64");
  EXPECT_TRUE(Diff(after, after).empty());
}

TEST(AgentInventory, ThisMachinesStatusFileReadsAsDpkgQueryReadsIt) {
  std::ifstream in("/var/lib/dpkg/status");
  if (!in) {
    // The CI machine is Debian: there a missing status file is a failure, not a skip.
    if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true") FAIL() << "no /var/lib/dpkg/status";
    GTEST_SKIP() << "no /var/lib/dpkg/status: not a Debian system";
  }
  std::stringstream text;
  text << in.rdbuf();
  auto ours = ParseDpkgStatus(text.str());
  FILE* p = ::popen("dpkg-query -W -f='${Package} ${Architecture} ${Version} ${source:Package} ${source:Version}"
                    " ${db:Status-Abbrev}\\n'", "r");
  ASSERT_TRUE(p);
  std::set<std::string> theirs;
  char line[4096];
  while (std::fgets(line, sizeof line, p)) {
    std::string l(line);
    if (l.ends_with("\n")) l.pop_back();
    while (l.ends_with(" ")) l.pop_back();
    if (l.ends_with(" ii")) theirs.insert(l.substr(0, l.size() - 3));
  }
  ::pclose(p);
  std::set<std::string> mine;
  for (const auto& pkg : ours) {
    if (pkg.status == "install ok installed" || pkg.status == "hold ok installed") {
      mine.insert(pkg.name + " " + pkg.arch + " " + pkg.version + " " + pkg.source + " " + pkg.source_version);
    }
  }
  EXPECT_GT(mine.size(), 100u);
  EXPECT_EQ(mine, theirs);
}

}  // namespace
}  // namespace rampart::agent
