// The store contract for vulnerability matching: a feed becomes current only when activated and
// takes the older entries' place; inventories full and delta; findings replaced per package with
// their first sighting kept; matched CVEs listed beside imported ones (which they hide), filtered
// by agent, package, suppression and fix; a revoked agent's findings go with it.
#include <map>

#include "store/store_contract.hpp"

namespace rampart::store {
namespace {

vuln::FeedEntry Entry(const std::string& cve, const std::string& source, std::optional<std::string> fixed) {
  return {"bookworm", source, cve, fixed ? "resolved" : "open", fixed, "low", false, {"DSA-1-1"}, "about " + cve};
}

FindingRecord Finding(const std::string& cve, const std::string& package, std::optional<std::string> fixed,
                      const std::string& agent = "ag1") {
  return {kOrg, cve, agent, package, "amd64", "1.0-1", package, "1.0-1", fixed, "low", "", "bookworm", 1, 0};
}

TEST_P(StoreContract, AFeedBecomesCurrentOnlyWhenActivatedAndReplacesTheOldEntries) {
  EXPECT_FALSE(*store_->CurrentFeed());
  FeedRecord meta{0, "debian-tracker", "json.gz", "", 0, "2026-12-01T00:00:00Z", 50, "admin", 0, false};
  auto first = store_->StageFeed(meta);
  ASSERT_TRUE(first);
  ASSERT_TRUE(store_->AddFeedEntries(*first, {Entry("CVE-2024-0001", "openssl", "3.0.13-1"), Entry("CVE-2024-0002", "openssl", {})}));
  EXPECT_FALSE(*store_->CurrentFeed());  // staged, not visible
  ASSERT_TRUE(store_->ActivateFeed(*first, 2, "ab12", 1000));
  auto current = **store_->CurrentFeed();
  EXPECT_EQ(current.id, *first);
  EXPECT_EQ(current.entries, 2);
  EXPECT_EQ(current.sha256, "ab12");
  auto entries = *store_->FeedEntries(*first);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[0].description.empty());  // left out of the matcher's load
  EXPECT_EQ(entries[0].notices, std::vector<std::string>{"DSA-1-1"});
  EXPECT_EQ(*store_->FeedDescription(*first, "CVE-2024-0002"), "about CVE-2024-0002");

  auto second = store_->StageFeed(meta);
  ASSERT_TRUE(store_->AddFeedEntries(*second, {Entry("CVE-2024-0003", "bash", "5.2-1")}));
  EXPECT_EQ(store_->ActivateFeed(*second, 2, "cd34", 900).error().code, Errc::kConflict);  // not all of it
  EXPECT_EQ((*store_->CurrentFeed())->id, *first);  // the old one serves until the commit
  ASSERT_TRUE(store_->ActivateFeed(*second, 1, "cd34", 900));
  EXPECT_EQ((*store_->CurrentFeed())->id, *second);
  EXPECT_TRUE(store_->FeedEntries(*first)->empty());
  EXPECT_EQ(store_->ListFeeds()->size(), 2u);  // the history stays
  EXPECT_EQ(store_->ActivateFeed(999, 0, "", 0).error().code, Errc::kNotFound);
}

TEST_P(StoreContract, InventoriesAreStoredWholeOrByDelta) {
  InventoryRecord inv{"ag1", kOrg, "bookworm", "12", 10, 0};
  ASSERT_TRUE(store_->PutInventory(inv, true, {{"bash", "amd64", "5.2-1", "bash", "5.2-1", "install ok installed"},
                                               {"zsh", "amd64", "5.9-4", "zsh", "5.9-4", "install ok installed"}}, {}));
  ASSERT_TRUE(store_->PutInventory(inv, false, {{"bash", "amd64", "5.2-2", "bash", "5.2-2", "install ok installed"}},
                                   {{"zsh", "amd64", "", "", "", ""}}));
  auto packages = *store_->PackagesOf("ag1");
  ASSERT_EQ(packages.size(), 1u);
  EXPECT_EQ(packages[0].version, "5.2-2");
  EXPECT_EQ((*store_->GetInventory("ag1"))->packages, 1);
  ASSERT_TRUE(store_->PutInventory(inv, true, {{"curl", "amd64", "7.88-1", "curl", "7.88-1", "ii"}}, {}));
  EXPECT_EQ(store_->PackagesOf("ag1")->at(0).name, "curl");
  EXPECT_EQ(store_->ListInventories()->size(), 1u);
  EXPECT_FALSE(*store_->GetInventory("ag2"));
}

TEST_P(StoreContract, DeferredFindingsAreListedOnlyOnceSummarized) {
  ASSERT_TRUE(store_->PutInventory({"ag1", kOrg, "bookworm", "12", 1, 0}, true, {}, {}));
  TouchedCves touched;
  ASSERT_TRUE(store_->ReplaceFindings({{kOrg, "ag1", true, {}, {Finding("CVE-2024-0001", "openssl", std::nullopt)}, 5}},
                                      &touched));
  EXPECT_EQ(touched, (TouchedCves{{kOrg, {"CVE-2024-0001"}}}));
  EXPECT_TRUE(store_->ListVulnerabilities({.org_id = kOrg})->empty());  // the summary waits
  EXPECT_EQ(store_->FindingsOf(kOrg, {"CVE-2024-0001"})->size(), 1u);
  ASSERT_TRUE(store_->SummarizeFindings(touched));
  auto listed = *store_->ListVulnerabilities({.org_id = kOrg});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].unfixed);
  // The findings go in a transaction whose list of touched CVEs is then lost (a failed
  // re-match): summing up anything else still drops the summary left without findings.
  TouchedCves lost;
  ASSERT_TRUE(store_->ReplaceFindings({{kOrg, "ag1", true, {}, {}, 6}}, &lost));
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg})->size(), 1u);  // stale until summed up
  ASSERT_TRUE(store_->SummarizeFindings({}));
  EXPECT_TRUE(store_->ListVulnerabilities({.org_id = kOrg})->empty());  // no findings left: gone
}

TEST_P(StoreContract, FindingsAreListedBesideImportedVulnerabilitiesAndFilter) {
  ASSERT_TRUE(store_->PutVulnerabilities({{kOrg, "CVE-2020-0001", 5, false, false, "old", "{\"imported\":1}"},
                                          {kOrg, "CVE-2024-0001", 6, false, false, "openssl", "{\"imported\":2}"}}));
  for (const char* agent : {"ag1", "ag2"}) ASSERT_TRUE(store_->PutInventory({agent, kOrg, "bookworm", "12", 1, 0}, true, {}, {}));
  ASSERT_TRUE(store_->ReplaceFindings({{kOrg, "ag9", true, {}, {Finding("CVE-2024-0009", "x", "1", "ag9")}, 1}}));
  EXPECT_TRUE(store_->ListVulnerabilities({.org_id = kOrg, .agent_id = "ag9"})->empty());  // no inventory: skipped
  FindingsUpdate u{kOrg, "ag1", true, {}, {Finding("CVE-2024-0001", "openssl", "3.0.13-1"),
                                            Finding("CVE-2024-0002", "openssl", std::nullopt)}, 100};
  ASSERT_TRUE(store_->ReplaceFindings({u}));
  ASSERT_TRUE(store_->ReplaceFindings({{kOrg, "ag2", true, {}, {Finding("CVE-2024-0001", "libssl3", "3.0.13-1", "ag2")}, 200}}));
  auto all = *store_->ListVulnerabilities({.org_id = kOrg});
  ASSERT_EQ(all.size(), 3u);  // the imported CVE-2024-0001 is hidden by the matched one
  EXPECT_EQ(all[0].id, "CVE-2024-0002");
  EXPECT_EQ(all[0].origin, "matched");
  EXPECT_TRUE(all[0].unfixed);
  EXPECT_EQ(all[1].id, "CVE-2024-0001");
  EXPECT_EQ(all[1].origin, "matched");
  EXPECT_EQ(all[1].created_at_ms, 100);  // first seen
  EXPECT_EQ(all[2].origin, "imported");
  auto of_ag2 = *store_->ListVulnerabilities({.org_id = kOrg, .agent_id = "ag2"});
  ASSERT_EQ(of_ag2.size(), 1u);
  EXPECT_EQ(of_ag2[0].id, "CVE-2024-0001");
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .package = "libssl3"})->size(), 1u);  // a binary name
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .unfixed = true})->size(), 1u);
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .unfixed = false})->size(), 1u);
  EXPECT_TRUE(store_->ListVulnerabilities({.org_id = kOtherOrg})->empty());
  EXPECT_EQ((*store_->GetVulnerability(kOrg, "CVE-2024-0001"))->origin, "matched");
  EXPECT_EQ(store_->FindingsOf(kOrg, {"CVE-2024-0001"})->size(), 2u);

  // A suppression object hides a matched CVE from the active ones.
  V2Write w{kOrg, {{kOrg, "suppression", "s1", "CVE-2024-0002", 7, "{}"}}};
  ASSERT_TRUE(store_->Commit(w));
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .suppressed = true})->at(0).id, "CVE-2024-0002");

  // Re-matching one package keeps its first sighting and drops what is fixed now.
  ASSERT_TRUE(store_->ReplaceFindings({{kOrg, "ag1", false, {{"openssl", "amd64"}},
                                        {Finding("CVE-2024-0001", "openssl", "3.0.13-1")}, 900}}));
  EXPECT_FALSE(*store_->GetVulnerability(kOrg, "CVE-2024-0002"));
  auto kept = *store_->FindingsOf(kOrg, {"CVE-2024-0001"});
  ASSERT_EQ(kept.size(), 2u);
  for (const auto& f : kept) EXPECT_LT(f.first_seen_ms, 900);
}

// A re-match touching most of an organization's CVEs sums them up in one pass: the same
// summaries as one CVE at a time (first sightings kept, CVEs without findings dropped, another
// organization's left alone).
TEST_P(StoreContract, SummingUpManyCvesAtOnceKeepsWhatOneAtATimeWould) {
  for (const auto& [org, agent] : {std::pair{kOrg, "ag1"}, std::pair{kOtherOrg, "ag2"}}) {
    ASSERT_TRUE(store_->PutInventory({agent, org, "bookworm", "12", 1, 0}, true, {}, {}));
  }
  auto many = [](int from, int n, int64_t at, const char* agent, const std::string& org) {
    FindingsUpdate u{org, agent, true, {}, {}, at};
    for (int i = from; i < from + n; ++i) {
      FindingRecord f = Finding("CVE-2024-" + std::to_string(10000 + i), "pkg", i % 2 ? std::optional<std::string>("2") : std::nullopt, agent);
      f.org_id = org;
      u.findings.push_back(f);
    }
    return u;
  };
  ASSERT_TRUE(store_->ReplaceFindings({many(0, 10, 5, "ag2", kOtherOrg)}));
  TouchedCves touched;
  ASSERT_TRUE(store_->ReplaceFindings({many(0, 400, 10, "ag1", kOrg)}, &touched));
  ASSERT_TRUE(store_->SummarizeFindings(touched));
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .limit = 1000})->size(), 400u);
  // Again, shifted by 100: 100 CVEs go, 100 come, 300 keep their first sighting.
  touched.clear();
  ASSERT_TRUE(store_->ReplaceFindings({many(100, 400, 20, "ag1", kOrg)}, &touched));
  EXPECT_EQ(touched[kOrg].size(), 500u);
  ASSERT_TRUE(store_->SummarizeFindings(touched));
  auto listed = *store_->ListVulnerabilities({.org_id = kOrg, .limit = 1000});
  ASSERT_EQ(listed.size(), 400u);
  std::map<std::string, int64_t> first_seen;
  for (const auto& v : listed) first_seen[v.id] = v.created_at_ms;
  EXPECT_FALSE(first_seen.count("CVE-2024-10099"));
  EXPECT_EQ(first_seen["CVE-2024-10100"], 10);
  EXPECT_EQ(first_seen["CVE-2024-10499"], 20);
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .unfixed = true, .limit = 1000})->size(), 200u);
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOtherOrg, .limit = 1000})->size(), 10u);
}

TEST_P(StoreContract, ARevokedAgentTakesItsInventoryAndFindingsWithIt) {
  Enrollment e;
  e.key = {"ag1", kOrg, "fp-1", "sealed", 5, {}, "dk1", std::nullopt};
  e.agent = {kOrg, "ag1", "online", 5, "{\"status\":\"online\"}"};
  e.hostname = "web-1";
  e.at_ms = 7;
  e.audit = {kOrg, "aud-1", 7, "{}"};
  ASSERT_TRUE(store_->CreateDeployKey({"dk1", kOrg, "h1", "ci", 1}));
  ASSERT_TRUE(store_->Enroll(e));
  ASSERT_TRUE(store_->PutInventory({"ag1", kOrg, "bookworm", "12", 10, 0}, true,
                                   {{"bash", "amd64", "5.2-1", "bash", "5.2-1", "install ok installed"}}, {}));
  ASSERT_TRUE(store_->ReplaceFindings({{kOrg, "ag1", true, {}, {Finding("CVE-2024-0009", "bash", "5.2-2")}, 10}}));
  ASSERT_EQ(store_->ListVulnerabilities({.org_id = kOrg})->size(), 1u);
  ASSERT_TRUE(*store_->RevokeAgent(kOrg, "ag1", 20, {kOrg, "aud-2", 20, "{}"}));
  EXPECT_TRUE(store_->ListVulnerabilities({.org_id = kOrg})->empty());
  EXPECT_FALSE(*store_->GetInventory("ag1"));
  EXPECT_TRUE(store_->PackagesOf("ag1")->empty());
}

}  // namespace
}  // namespace rampart::store
