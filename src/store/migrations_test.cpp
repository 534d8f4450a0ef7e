// Migrations of real older databases: V6, V11, V15, V16 and V17 ones built by the migrations
// themselves (V7's backfill, V12's typed rules, V16's descriptions, V17's hosts, V18's alerts),
// and the V9 database the V9 binary made (tests/migration/v9, see make_v9_fixture.py), which V10
// turns into organizations.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/sqlite/migrations.hpp"
#include "store/store.hpp"

namespace rampart::store {
namespace {

namespace fs = std::filesystem;

class Migration : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rampart_migrate_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "db.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string why = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << why;
  }
  fs::path dir_;
  std::string path_;
};

ListChange Delete(const std::string& org, const std::string& list) {
  ListChange del;
  del.op = ListChange::Op::kDelete;
  del.list = {list, org, "ip", "x", "block", "", std::nullopt, 1, {}};
  del.audit = {0, org, list, "ip", "x", "key:t", "delete", 11, "{}"};
  return del;
}

// A V6 database (policies, no reference table) gains its references from the policy documents.
TEST_F(Migration, V7BackfillsPolicyListReferences) {
  {
    sqlite::Db db;
    ASSERT_TRUE(db.Open(path_, 1000));
    ASSERT_TRUE(sqlite::MigrateTo(db, 6));
  }
  Exec("INSERT INTO accounts VALUES ('acct1', 'a', 1);"
       "INSERT INTO user_lists VALUES ('L1', 'acct1', 'ip', 'one', 'block', '', NULL, 1);"
       "INSERT INTO policy_objects VALUES ('acct1', 'policy', 'P1', 'corp', 1,"
       " '{\"type\":\"dns\",\"zone_name\":\"z\",\"lists\":[{\"list_id\":\"L1\"},{\"list_id\":\"gone\"}]}')");
  auto st = OpenSqliteStore({path_});
  ASSERT_TRUE(st) << st.error().detail;
  // Through V8 SQLite's own check says ok (V7's shape made 3.40 report a NULL); V9 gave the account
  // its zone label, V10 made it an organization with a new id.
  EXPECT_EQ(*(*st)->CheckIntegrity(), std::vector<std::string>{"ok"});
  auto org = *(*st)->FindOrg("a");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->zone_suffix.size(), 8u);
  EXPECT_EQ(org->id.size(), 24u);
  EXPECT_EQ((*st)->Apply(Delete(org->id, "L1")).error().code, Errc::kInUse);  // the backfilled reference holds
  ASSERT_TRUE((*st)->DeletePolicyObject(org->id, "policy", "P1", {0, org->id, "P1", "policy", "corp", "key:t", "delete", 5, "{}"}));
  EXPECT_TRUE((*st)->Apply(Delete(org->id, "L1")));
}

// The V9 fixture: accounts "demo", "Acme", "solo"; organizations "acme" (merged into "Acme") and
// "Other Org"; tokens, lists, a policy and device of Acme, Hawk users, v2 data of "acme".
TEST_F(Migration, V10MakesEveryAccountAnOrganizationAndKeepsItsData) {
  std::ifstream in(RAMPART_V9_FIXTURE);
  ASSERT_TRUE(in) << RAMPART_V9_FIXTURE;
  std::stringstream sql;
  sql << in.rdbuf();
  Exec(sql.str());
  auto st = OpenSqliteStore({path_});
  ASSERT_TRUE(st) << st.error().detail;
  Store& s = **st;
  EXPECT_EQ(*s.CheckIntegrity(), std::vector<std::string>{"ok"});
  auto orgs = *s.ListOrgs();
  ASSERT_EQ(orgs.size(), 4u);  // demo, Acme+acme, solo, Other Org
  auto acme = **s.FindOrg("acme");
  EXPECT_EQ(acme.id, "6b0e5ce665ab80332d7c0667");  // the Threat Stack organization's id is kept
  EXPECT_EQ(acme.zone_suffix, "ec8b1fab");         // the account's zone suffix is kept
  EXPECT_EQ((**s.FindOrg("Other Org")).zone_suffix.size(), 8u);
  // The account's tokens are the organization's keys, same id and hash; a write token writes both services.
  auto keys = *s.ListApiKeys(acme.id);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, "e4cc4068141e627f");
  EXPECT_EQ(keys[0].perms, "userlists:write,policies:write");
  EXPECT_EQ(keys[1].perms, "userlists:read,policies:read");
  // Lists, the policy, its references and the audit trail hang off the organization.
  auto lists = *s.LoadLists(acme.id);
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_EQ(s.ListPolicyObjects(acme.id, "policy")->size(), 1u);
  EXPECT_EQ(s.ListPolicyObjects(acme.id, "device")->size(), 1u);
  EXPECT_EQ(s.Apply(Delete(acme.id, "254c8c30-504d-4789-b898-d6bd370897f8")).error().code, Errc::kInUse);
  auto audit = *s.ReadAudit(acme.id, "", 0, 100);
  ASSERT_EQ(audit.size(), 5u);
  EXPECT_EQ(audit.back().actor, "key:e4cc4068141e627f");
  // Members, Hawk keys and v2 data of the merged organization are untouched.
  EXPECT_EQ(s.MembersOfOrg(acme.id)->size(), 1u);
  EXPECT_EQ(s.ListAgents({acme.id, "online", std::nullopt, 10})->size(), 1u);
  EXPECT_EQ(s.ListRulesets(acme.id)->size(), 1u);  // through V12, a typed row
  EXPECT_EQ((*s.ListRulesets(acme.id))[0].name, "base");
  EXPECT_EQ(s.ValidHawkKeys("6b0e5ce682ca3982732c37e9", 0)->size(), 1u);
  // The zone's journal is keyed by its name, which did not change.
  EXPECT_GE(s.ZoneVersions("corp.ec8b1fab.rpz.rampart")->size(), 2u);
  auto solo = **s.FindOrg("solo");
  EXPECT_EQ(solo.zone_suffix, "eeec0a2a");
  EXPECT_EQ(s.LoadLists(solo.id)->size(), 1u);
}

// Rules written as v2_objects documents (V5..V11) become typed rows with every field.
TEST_F(Migration, V12TypesRulesetsAndRules) {
  {
    sqlite::Db db;
    ASSERT_TRUE(db.Open(path_, 1000));
    ASSERT_TRUE(sqlite::MigrateTo(db, 11));
  }
  Exec(R"sql(
INSERT INTO organizations(id, name, created_at_ms, zone_suffix) VALUES ('o1', 'acme', 1, 'aaaaaaaa');
INSERT INTO v2_objects VALUES ('o1', 'ruleset', 'rs1', '', 1000,
  '{"id":"rs1","name":"base","description":"d","createdAt":"2020-01-01T00:00:01.000Z","updatedAt":"2020-01-02T00:00:00.500Z"}');
INSERT INTO v2_objects VALUES ('o1', 'rule', 'r1', 'rs1', 2000,
  '{"id":"r1","rulesetId":"rs1","name":"sudo","title":"Sudo: {{command}}","type":"File","severityOfAlerts":2,
    "alertDescription":"ran sudo","aggregateFields":["user"],"filter":"command = ''sudo''","window":60,"threshold":3,
    "suppressions":["user = ''root''"],"enabled":false,"fileIntegrityPaths":[{"path":"/etc","recursive":true}],
    "ignoreFiles":["/etc/mtab"],"eventsToMonitor":["open"],"createdAt":"2020-01-01T00:00:02.000Z",
    "updatedAt":"2020-01-03T00:00:00.000Z"}');
INSERT INTO v2_objects VALUES ('o1', 'rule', 'r2', 'gone', 3000, '{"name":"orphan"}');
INSERT INTO v2_objects VALUES ('o1', 'rule_tags', 'r1', '', 4000, '{"inclusion":[],"exclusion":[]}');
)sql");
  auto st = OpenSqliteStore({path_});
  ASSERT_TRUE(st) << st.error().detail;
  Store& s = **st;
  EXPECT_EQ(*s.CheckIntegrity(), std::vector<std::string>{"ok"});
  auto rs = **s.GetRuleset("o1", "rs1");
  EXPECT_EQ(rs.description, "d");
  EXPECT_EQ(rs.created_at_ms, 1000);
  EXPECT_EQ(rs.updated_at_ms, 1577923200500);  // 2020-01-02T00:00:00.500Z
  auto rules = *s.ListRules("o1", "");
  ASSERT_EQ(rules.size(), 1u);  // the orphan could not be reached: dropped
  const RuleRecord& r = rules[0];
  EXPECT_EQ(r.title, "Sudo: {{command}}");
  EXPECT_EQ(r.severity, 2);
  EXPECT_EQ(r.filter, "command = 'sudo'");
  EXPECT_EQ(r.window_s, 60);
  EXPECT_EQ(r.threshold, 3);
  EXPECT_FALSE(r.enabled);
  EXPECT_EQ(r.suppressions, std::vector<std::string>{"user = 'root'"});
  EXPECT_EQ(r.file_integrity_paths, (std::vector<FileIntegrityPath>{{"/etc", true}}));
  EXPECT_EQ(r.ignore_files, std::vector<std::string>{"/etc/mtab"});
  EXPECT_EQ(r.updated_at_ms, 1578009600000);
  EXPECT_TRUE(s.ListObjects("o1", "rule", "")->empty());
  EXPECT_TRUE(*s.GetObject("o1", "rule_tags", "r1"));  // tags stay documents
}

// V16 moves a feed's descriptions out of its entries, one per CVE, and keeps the entries.
TEST_F(Migration, V16KeepsFeedEntriesAndTheirDescriptions) {
  {
    sqlite::Db db;
    ASSERT_TRUE(db.Open(path_, 1000));
    ASSERT_TRUE(sqlite::MigrateTo(db, 15));
  }
  Exec(R"sql(
INSERT INTO vuln_feeds VALUES (1, 'debian-tracker', 'f.json', 'ab', 10, '', 1, 'admin', 3, 1);
INSERT INTO vuln_feed_entries VALUES (1, 'bookworm', 'openssl', 'CVE-1', 'resolved', '3.0.1-1', 'low', 0, 'DSA-1-1', 'about one');
INSERT INTO vuln_feed_entries VALUES (1, 'bullseye', 'openssl', 'CVE-1', 'open', NULL, 'low', 0, '', 'about one');
INSERT INTO vuln_feed_entries VALUES (1, 'bookworm', 'bash', 'CVE-2', 'open', NULL, 'high', 1, '', '');
)sql");
  auto st = OpenSqliteStore({path_});
  ASSERT_TRUE(st) << st.error().detail;
  Store& s = **st;
  EXPECT_EQ(*s.CheckIntegrity(), std::vector<std::string>{"ok"});
  auto entries = *s.FeedEntries(1);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(*s.FeedDescription(1, "CVE-1"), "about one");
  EXPECT_EQ(*s.FeedDescription(1, "CVE-2"), "");
  bool found = false;
  for (const auto& e : entries) {
    if (e.release == "bookworm" && e.cve == "CVE-1") {
      found = true;
      EXPECT_EQ(e.fixed_version, std::optional<std::string>("3.0.1-1"));
      EXPECT_EQ(e.notices, std::vector<std::string>{"DSA-1-1"});
    }
  }
  EXPECT_TRUE(found);
}

// V17 gives each inventory a host number and keys findings by it; the findings stay readable
// with their agents, and a revoked agent's findings still go with its inventory.
TEST_F(Migration, V17KeysFindingsByHostAndKeepsThem) {
  {
    sqlite::Db db;
    ASSERT_TRUE(db.Open(path_, 1000));
    ASSERT_TRUE(sqlite::MigrateTo(db, 16));
  }
  Exec(R"sql(
INSERT INTO organizations(id, name, created_at_ms) VALUES ('o1', 'one', 1);
INSERT INTO agent_inventories VALUES ('a2', 'o1', 'bookworm', '12', 5);
INSERT INTO agent_inventories VALUES ('a1', 'o1', 'bookworm', '12', 4);
INSERT INTO agent_packages VALUES ('a1', 'libssl3', 'amd64', '3.0.1-1', 'openssl', '3.0.1-1', 'install ok installed');
INSERT INTO vuln_findings VALUES ('o1', 'CVE-1', 'a1', 'libssl3', 'amd64', '3.0.1-1', 'openssl', '3.0.1-1',
  '3.0.2-1', 'low', 'DSA-1-1', 'bookworm', 1, 100);
INSERT INTO vuln_findings VALUES ('o1', 'CVE-1', 'a2', 'libssl3', 'amd64', '3.0.0-1', 'openssl', '3.0.0-1',
  '3.0.2-1', 'low', 'DSA-1-1', 'bookworm', 1, 200);
INSERT INTO matched_cves VALUES ('o1', 'CVE-1', 100, 'openssl', 0, 1);
)sql");
  auto st = OpenSqliteStore({path_});
  ASSERT_TRUE(st) << st.error().detail;
  Store& s = **st;
  EXPECT_EQ(*s.CheckIntegrity(), std::vector<std::string>{"ok"});
  auto findings = *s.FindingsOf("o1", {"CVE-1"});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].agent_id, "a1");
  EXPECT_EQ(findings[0].first_seen_ms, 100);
  EXPECT_EQ(findings[0].fixed_version, std::optional<std::string>("3.0.2-1"));
  EXPECT_EQ(findings[1].agent_id, "a2");
  EXPECT_EQ(findings[1].version, "3.0.0-1");
  EXPECT_EQ(s.GetInventory("a1")->value().packages, 1);
  auto by_agent = s.ListVulnerabilities({.org_id = "o1", .agent_id = "a2", .limit = 10});
  ASSERT_TRUE(by_agent) << by_agent.error().detail;
  EXPECT_EQ(by_agent->size(), 1u);
}

// V18 moves alerts into a rowid table: every alert keeps its document, events and place in the
// listing, the (organization, id) key still upserts, and retention still deletes.
TEST_F(Migration, V18KeepsAlertsInARowidTable) {
  {
    sqlite::Db db;
    ASSERT_TRUE(db.Open(path_, 1000));
    ASSERT_TRUE(sqlite::MigrateTo(db, 17));
  }
  Exec(R"sql(
INSERT INTO organizations(id, name, created_at_ms) VALUES ('o1', 'one', 1), ('o2', 'two', 1);
INSERT INTO alerts VALUES ('o1', 'b', 20, 0, 2, 'r1', 'a1', '{"id":"b"}', '[{"e":2}]');
INSERT INTO alerts VALUES ('o1', 'a', 20, 0, 1, NULL, NULL, '{"id":"a"}', '[]');
INSERT INTO alerts VALUES ('o1', 'c', 10, 1, 3, 'r2', 'a2', '{"id":"c"}', '[]');
INSERT INTO alerts VALUES ('o2', 'b', 30, 0, 3, NULL, NULL, '{"id":"o2b"}', '[]');
)sql");
  auto st = OpenSqliteStore({path_});
  ASSERT_TRUE(st) << st.error().detail;
  Store& s = **st;
  EXPECT_EQ(*s.CheckIntegrity(), std::vector<std::string>{"ok"});
  auto page = *s.ListAlerts({.org_id = "o1"});
  ASSERT_EQ(page.size(), 2u);  // newest first, ties by id descending
  EXPECT_EQ(page[0].id, "b");
  EXPECT_EQ(page[0].events, "[{\"e\":2}]");
  EXPECT_EQ(page[0].rule_id, std::optional<std::string>("r1"));
  EXPECT_EQ(page[1].id, "a");
  EXPECT_EQ(page[1].agent_id, std::nullopt);
  EXPECT_EQ(s.ListAlerts({.org_id = "o1", .dismissed = true})->size(), 1u);
  EXPECT_EQ((*s.GetAlert("o2", "b"))->doc, "{\"id\":\"o2b\"}");
  AlertRecord again = page[1];
  again.doc = "{\"id\":\"a\",\"v\":2}";
  ASSERT_TRUE(s.PutAlerts({again}));  // the same (organization, id): replaced, not added
  EXPECT_EQ((*s.GetAlert("o1", "a"))->doc, again.doc);
  EXPECT_EQ(s.ListAlerts({.org_id = "o1"})->size(), 2u);
  Exec("SELECT 1 FROM alerts WHERE rowid > 0 LIMIT 1");  // a rowid table now
}

}  // namespace
}  // namespace rampart::store
