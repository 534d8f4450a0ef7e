// The store contract for telemetry (agents, alerts) and the v2 store (configuration objects,
// vulnerabilities, members, audit): keyset pages newest first with ties broken by id, filters,
// one transaction per V2Write, and no organization seeing another's rows.
#include "store/store_contract.hpp"

namespace rampart::store {
namespace {

AlertRecord Alert(const std::string& id, int64_t at, int severity = 1, bool dismissed = false,
                  const char* org = kOrg) {
  return {org, id, at, dismissed, severity, std::string("rule-") + std::to_string(severity), "agent-1",
          "{\"id\":\"" + id + "\"}", "[]"};
}

TEST_P(StoreContract, AgentsPageNewestFirstWithTiesById) {
  ASSERT_TRUE(store_->PutAgents({{kOrg, "a1", "online", 10, "{}"}, {kOrg, "a2", "online", 20, "{}"},
                                 {kOrg, "a3", "online", 20, "{}"}, {kOrg, "a4", "offline", 30, "{}"},
                                 {kOtherOrg, "a9", "online", 40, "{}"}}));
  auto first = *store_->ListAgents({kOrg, "online", std::nullopt, 2});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, "a3");  // created_at 20 twice: the larger id first
  EXPECT_EQ(first[1].id, "a2");
  auto rest = *store_->ListAgents({kOrg, "online", std::pair<int64_t, std::string>(20, "a2"), 2});
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, "a1");
  EXPECT_EQ(store_->ListAgents({kOrg, "offline", std::nullopt, 10})->size(), 1u);
  // Put replaces by id.
  ASSERT_TRUE(store_->PutAgents({{kOrg, "a1", "offline", 10, "{\"v\":2}"}}));
  EXPECT_EQ((*store_->GetAgent(kOrg, "a1"))->doc, "{\"v\":2}");
  EXPECT_FALSE(*store_->GetAgent(kOrg, "a9"));  // another organization's
}

TEST_P(StoreContract, AlertsFilterAndCountBySeverity) {
  ASSERT_TRUE(store_->PutAlerts({Alert("x1", 10, 1), Alert("x2", 20, 2), Alert("x3", 30, 2, true), Alert("x4", 40, 3),
                                 Alert("y1", 50, 1, false, kOtherOrg)}));
  AlertQuery q{.org_id = kOrg};
  auto active = *store_->ListAlerts(q);
  ASSERT_EQ(active.size(), 3u);
  EXPECT_EQ(active[0].id, "x4");
  q.page_only = true;  // the same alerts and documents, nothing else read
  auto light = *store_->ListAlerts(q);
  ASSERT_EQ(light.size(), 3u);
  for (size_t i = 0; i < light.size(); ++i) {
    EXPECT_EQ(light[i].id, active[i].id);
    EXPECT_EQ(light[i].doc, active[i].doc);
    EXPECT_FALSE(active[i].events.empty());
    EXPECT_EQ(light[i].created_at_ms, active[i].created_at_ms);
    EXPECT_TRUE(light[i].events.empty());
    EXPECT_TRUE(light[i].org_id.empty());
  }
  q.page_only = false;
  q.severity = 2;
  ASSERT_EQ(store_->ListAlerts(q)->size(), 1u);
  q = {.org_id = kOrg, .dismissed = true};
  ASSERT_EQ(store_->ListAlerts(q)->size(), 1u);
  q = {.org_id = kOrg, .from_ms = 20, .until_ms = 40};  // inclusive on both ends
  EXPECT_EQ(store_->ListAlerts(q)->size(), 2u);
  q = {.org_id = kOrg, .after = std::pair<int64_t, std::string>(40, "x4"), .limit = 1};
  EXPECT_EQ((*store_->ListAlerts(q))[0].id, "x2");
  auto counts = *store_->AlertSeverityCounts(kOrg, std::nullopt, std::nullopt);
  EXPECT_EQ(counts, (std::vector<std::pair<int, int64_t>>{{1, 1}, {2, 1}, {3, 1}}));
  EXPECT_EQ(store_->AlertSeverityCounts(kOrg, 15, 25)->size(), 1u);
  EXPECT_TRUE(*store_->GetAlert(kOrg, "x3"));
  EXPECT_FALSE(*store_->GetAlert(kOrg, "y1"));
}

TEST_P(StoreContract, AV2WriteLandsWholeWithItsAuditOrNotAtAll) {
  V2Write w{.org_id = kOrg,
            .put_objects = {{kOrg, "ruleset", "rs1", "", 1, "{}"}, {kOrg, "rule", "r1", "rs1", 2, "{}"},
                            {kOrg, "rule", "r2", "rs1", 3, "{}"}},
            .audit = V2AuditRecord{kOrg, "000000000000000000000001", 5, "{\"a\":1}"}};
  ASSERT_TRUE(store_->Commit(w));
  EXPECT_EQ(store_->ListObjects(kOrg, "rule", "rs1")->size(), 2u);
  EXPECT_EQ(store_->ListObjects(kOrg, "rule", "")->size(), 2u);
  EXPECT_TRUE(store_->ListObjects(kOtherOrg, "rule", "")->empty());
  // A write whose last part fails (its audit record's id is taken) leaves none of its parts behind.
  V2Write failing{.org_id = kOrg,
                  .delete_objects = {{"rule", "r1"}},
                  .audit = V2AuditRecord{kOrg, "000000000000000000000001", 6, "{}"}};
  EXPECT_EQ(store_->Commit(failing).error().code, Errc::kConflict);
  EXPECT_TRUE(*store_->GetObject(kOrg, "rule", "r1"));
  auto audit = *store_->ListV2Audit({.org_id = kOrg});
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].doc, "{\"a\":1}");
  failing.audit->id = "000000000000000000000002";
  ASSERT_TRUE(store_->Commit(failing));
  EXPECT_FALSE(*store_->GetObject(kOrg, "rule", "r1"));
  EXPECT_EQ(store_->ListV2Audit({.org_id = kOrg, .from_ms = 6})->size(), 1u);
}

RuleRecord Rule(const std::string& id, const std::string& ruleset, int64_t at) {
  RuleRecord r{.org_id = kOrg, .id = id, .ruleset_id = ruleset, .name = "n-" + id, .title = "t", .type = "File",
               .severity = 2, .alert_description = "d", .filter = "event_type = 'audit'"};
  r.aggregate_fields = {"user", "exe"};
  r.file_integrity_paths = {{"/etc", true}, {"/usr/bin/sudo", false}};
  r.events_to_monitor = {"open"};
  r.created_at_ms = r.updated_at_ms = at;
  return r;
}

TEST_P(StoreContract, RulesetsAndRulesAreTypedRowsThatGoTogether) {
  ASSERT_TRUE(store_->Commit({.org_id = kOrg,
                              .put_rulesets = {{kOrg, "rs1", "base", "d", 1, 1}, {kOrg, "rs2", "web", "", 2, 2}},
                              .put_rules = {Rule("r2", "rs1", 20), Rule("r1", "rs1", 10), Rule("r3", "rs2", 30)}}));
  auto rules = *store_->ListRules(kOrg, "rs1");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id, "r1");  // oldest first
  const RuleRecord& r = rules[0];
  EXPECT_EQ(r.type, "File");
  EXPECT_EQ(r.aggregate_fields, (std::vector<std::string>{"user", "exe"}));
  EXPECT_EQ(r.file_integrity_paths, (std::vector<FileIntegrityPath>{{"/etc", true}, {"/usr/bin/sudo", false}}));
  EXPECT_EQ(r.events_to_monitor, std::vector<std::string>{"open"});
  EXPECT_EQ(r.filter, "event_type = 'audit'");
  EXPECT_EQ(store_->ListRules(kOrg, "")->size(), 3u);
  EXPECT_TRUE(store_->ListRules(kOtherOrg, "")->empty());
  EXPECT_EQ((*store_->GetRuleset(kOrg, "rs2"))->name, "web");
  EXPECT_FALSE(*store_->GetRuleset(kOtherOrg, "rs2"));
  // A rule of a ruleset that does not exist is refused, and nothing of its write lands.
  auto orphan = store_->Commit({.org_id = kOrg, .put_rulesets = {{kOrg, "rs9", "x", "", 3, 3}},
                                .put_rules = {Rule("r9", "nope", 40)}});
  EXPECT_EQ(orphan.error().code, Errc::kInvalid);
  EXPECT_FALSE(*store_->GetRuleset(kOrg, "rs9"));
  // Tags go with their rule; a ruleset takes its rules and their tags along.
  ASSERT_TRUE(store_->Commit({.org_id = kOrg, .put_objects = {{kOrg, "rule_tags", "r1", "", 5, "{}"},
                                                              {kOrg, "rule_tags", "r3", "", 5, "{}"}}}));
  ASSERT_TRUE(store_->Commit({.org_id = kOrg, .delete_rules = {"r3"}}));
  EXPECT_FALSE(*store_->GetObject(kOrg, "rule_tags", "r3"));
  ASSERT_TRUE(store_->Commit({.org_id = kOrg, .delete_rulesets = {"rs1"}}));
  EXPECT_TRUE(store_->ListRules(kOrg, "")->empty());
  EXPECT_FALSE(*store_->GetObject(kOrg, "rule_tags", "r1"));
  EXPECT_EQ(store_->ListRulesets(kOrg)->size(), 1u);
  EXPECT_EQ(*store_->CheckIntegrity(), std::vector<std::string>{"ok"});
}

TEST_P(StoreContract, VulnerabilitiesFilterAndSuppress) {
  ASSERT_TRUE(store_->PutVulnerabilities(
      {{kOrg, "CVE-2024-0001", 10, false, true, "openssl", R"({"agents":[{"agentId":"a1"}],"isSuppressed":false})"},
       {kOrg, "CVE-2024-0002", 20, false, false, "bash", R"({"agents":[{"agentId":"a2"}],"isSuppressed":false})"},
       {kOtherOrg, "CVE-2024-0003", 30, false, false, "bash", R"({"agents":[]})"}}));
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg})->size(), 2u);
  EXPECT_EQ((*store_->ListVulnerabilities({.org_id = kOrg}))[0].id, "CVE-2024-0002");
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .has_notices = true})->size(), 1u);
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .agent_id = "a1"})->size(), 1u);
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .package = "bash"})->size(), 1u);
  ASSERT_TRUE(store_->Commit({.org_id = kOrg, .set_suppressed = {{"CVE-2024-0001", true}}}));
  auto v = *store_->GetVulnerability(kOrg, "CVE-2024-0001");
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->suppressed);
  EXPECT_NE(v->doc.find("\"isSuppressed\":true"), std::string::npos);  // the document says so too
  EXPECT_EQ(store_->ListVulnerabilities({.org_id = kOrg, .suppressed = false})->size(), 1u);
  EXPECT_FALSE(*store_->GetVulnerability(kOrg, "CVE-2024-0003"));
}

TEST_P(StoreContract, MembersOfAnOrganization) {
  ASSERT_TRUE(store_->CreateUser({"aaaaaaaaaaaaaaaaaaaaaaaa", "b@acme.example", 1}));
  ASSERT_TRUE(store_->CreateUser({"bbbbbbbbbbbbbbbbbbbbbbbb", "a@acme.example", 1}));
  const V2AuditRecord put{kOrg, "000000000000000000000009", 5, "{\"member\":1}"};
  ASSERT_TRUE(store_->PutMembership({"aaaaaaaaaaaaaaaaaaaaaaaa", kOrg, "owner"}, put));
  ASSERT_TRUE(store_->PutMembership({"bbbbbbbbbbbbbbbbbbbbbbbb", kOrg, "reader"}, std::nullopt));
  EXPECT_EQ(store_->ListV2Audit({.org_id = kOrg})->size(), 1u);  // with the change, when given
  auto members = *store_->MembersOfOrg(kOrg);
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].user.email, "a@acme.example");
  EXPECT_EQ(members[0].membership.role, "reader");
  EXPECT_TRUE(store_->MembersOfOrg(kOtherOrg)->empty());
  EXPECT_EQ(store_->DeleteMembership(kOrg, "cccccccccccccccccccccccc", std::nullopt).error().code, Errc::kNotFound);
  ASSERT_TRUE(store_->DeleteMembership(kOrg, "bbbbbbbbbbbbbbbbbbbbbbbb", std::nullopt));
  EXPECT_EQ(store_->MembersOfOrg(kOrg)->size(), 1u);
}

// Instantiated with the rest of the suite in store_contract_test.cpp.

}  // namespace
}  // namespace rampart::store
