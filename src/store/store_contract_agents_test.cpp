// The store contract for agents that enroll themselves: deploy keys (rotate, revoke, per
// organization), enrollment (one agent per host fingerprint, a revoked one refused), batches
// stored exactly once with their alerts, the per-organization event cap, retention, and the
// Base Rule Set given once, and liveness written into agents' documents in place.
#include <boost/json.hpp>

#include "store/store_contract.hpp"

namespace rampart::store {
namespace {
namespace json = boost::json;

Enrollment Enroll(const std::string& agent, const std::string& fp, const std::string& org = kOrg) {
  Enrollment e;
  e.key = {agent, org, fp, "sealed", 5, {"rs1"}, "dk1", std::nullopt};
  e.agent = {org, agent, "online", 5, "{\"status\":\"online\"}"};
  e.hostname = "web-1";
  e.at_ms = 7;
  e.audit = {org, "aud-" + agent + std::to_string(e.at_ms), 7, "{}"};
  return e;
}

EventBatch Batch(const std::string& agent, int64_t seq, int n, int64_t at = 100) {
  EventBatch b{.org_id = kOrg, .agent_id = agent, .batch_seq = seq, .at_ms = at};
  for (int i = 0; i < n; ++i) b.events.push_back({0, kOrg, agent, at, "audit", "{\"i\":" + std::to_string(i) + "}"});
  return b;
}

TEST_P(StoreContract, DeployKeysRotateRevokeAndStayInTheirOrganization) {
  ASSERT_TRUE(store_->CreateDeployKey({"dk1", kOrg, "h1", "ci", 1}));
  ASSERT_TRUE(store_->CreateDeployKey({"dk2", kOtherOrg, "h2", "", 2}));
  EXPECT_EQ(store_->ListDeployKeys(kOrg)->size(), 1u);
  EXPECT_FALSE(*store_->RotateDeployKey(kOtherOrg, "dk1", "h9", 3));  // not that organization's
  EXPECT_TRUE(*store_->RotateDeployKey(kOrg, "dk1", "h3", 3));
  auto k = **store_->FindDeployKey("dk1");
  EXPECT_EQ(k.secret_hash, "h3");
  EXPECT_EQ(k.rotated_at_ms, 3);
  EXPECT_TRUE(*store_->RevokeDeployKey(kOrg, "dk1", 4));
  EXPECT_FALSE(*store_->RevokeDeployKey(kOrg, "dk1", 5));
  EXPECT_FALSE(*store_->RotateDeployKey(kOrg, "dk1", "h4", 6));  // revoked keys stay revoked
}

TEST_P(StoreContract, EnrollmentKeepsOneAgentPerHostAndRevocationSticks) {
  ASSERT_TRUE(store_->CreateDeployKey({"dk1", kOrg, "h1", "", 1}));
  ASSERT_TRUE(store_->Enroll(Enroll("ag1", "fp1")));
  auto dk = **store_->FindDeployKey("dk1");
  EXPECT_EQ(dk.last_used_at_ms, 7);
  EXPECT_EQ(dk.last_used_host, "web-1");
  EXPECT_EQ((*store_->FindAgentByFingerprint(kOrg, "fp1"))->agent_id, "ag1");
  EXPECT_FALSE(*store_->FindAgentByFingerprint(kOtherOrg, "fp1"));
  // The same host under another id loses (the caller must reuse the id it found).
  EXPECT_EQ(store_->Enroll(Enroll("ag2", "fp1")).error().code, Errc::kConflict);
  ASSERT_TRUE(store_->StoreBatch({.org_id = kOrg, .agent_id = "ag1", .batch_seq = 1, .at_ms = 8}));
  Enrollment again = Enroll("ag1", "fp1");
  again.key.sealed_key = "sealed2";
  again.at_ms = 8;
  again.audit.id = "aud-again";
  ASSERT_TRUE(store_->Enroll(again));
  EXPECT_EQ((*store_->FindAgentKey("ag1"))->sealed_key, "sealed2");
  EXPECT_FALSE(*store_->BatchSeen("ag1", 1));  // a re-enrolled host numbers its batches afresh
  EXPECT_FALSE(*store_->RevokeAgent(kOtherOrg, "ag1", 9, {kOtherOrg, "aud-x", 9, "{}"}));
  EXPECT_EQ(store_->ListAgentKeys()->size(), 1u);
  ASSERT_TRUE(*store_->RevokeAgent(kOrg, "ag1", 9, {kOrg, "aud-r", 9, "{}"}));
  EXPECT_TRUE(store_->ListAgentKeys()->empty());
  EXPECT_EQ((*store_->FindAgentKey("ag1"))->revoked_at_ms, 9);
  EXPECT_EQ((*store_->GetAgent(kOrg, "ag1"))->status, "offline");
  again.audit.id = "aud-after";
  EXPECT_EQ(store_->Enroll(again).error().code, Errc::kForbidden);
  auto changes = *store_->ChangesSince(0, 100);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().topic, "agent");
  EXPECT_EQ(changes.back().key, "ag1");
}

TEST_P(StoreContract, LivenessIsWrittenIntoTheDocumentInPlaceAndStaysInItsOrganization) {
  const std::string doc =
      R"({"id":"a1","status":"online","hostname":"web-1","tags":["x\"y"],"agentModuleHealth":{"isHealthy":true,)"
      R"("audit":{"isHealthy":true},"fim":{"isHealthy":true}},"ipAddresses":{"private":["10.0.0.1/8"]}})";
  ASSERT_TRUE(store_->PutAgents({{kOrg, "a1", "online", 1, doc}, {kOtherOrg, "a1", "online", 1, doc},
                                 {kOrg, "a2", "online", 2, "not json"}}));
  AgentLiveness touch{kOrg, "a1", "offline", "2026-01-02T03:04:05.000Z"};
  AgentLiveness gone{kOrg, "nobody", "online", "2026-01-02T03:04:05.000Z"};
  AgentLiveness broken{kOrg, "a2", "offline", "2026-01-02T03:04:05.000Z"};
  ASSERT_TRUE(store_->UpdateLiveness({touch, gone, broken}));  // unknown and non-JSON agents are skipped
  auto a1 = **store_->GetAgent(kOrg, "a1");
  EXPECT_EQ(a1.status, "offline");
  auto o = json::parse(a1.doc).as_object();
  EXPECT_EQ(o.at("status"), "offline");
  EXPECT_EQ(o.at("lastReportedAt"), "2026-01-02T03:04:05.000Z");
  EXPECT_EQ(o.at("tags").at(0), "x\"y");  // the rest as it was
  EXPECT_TRUE(o.at("agentModuleHealth").as_object().contains("fim"));
  EXPECT_EQ((*store_->GetAgent(kOrg, "a2"))->doc, "not json");
  EXPECT_EQ((*store_->GetAgent(kOtherOrg, "a1"))->doc, doc);  // same id, other organization: untouched

  touch.status = "online";
  const std::string health = R"({"isHealthy":false,"audit":{"isHealthy":false}})";  // fim is gone
  touch.members = {{"agentModuleHealth", health}, {"kernel", "\"6.1.9\""},
                   {"ipAddresses", R"({"public":["192.0.2.1/32"]})"}};
  ASSERT_TRUE(store_->UpdateLiveness({touch}));
  a1 = **store_->GetAgent(kOrg, "a1");
  EXPECT_EQ(a1.status, "online");
  o = json::parse(a1.doc).as_object();
  EXPECT_EQ(o.at("agentModuleHealth"), json::parse(health));  // each member replaced whole
  EXPECT_EQ(o.at("kernel"), "6.1.9");
  EXPECT_EQ(o.at("hostname"), "web-1");
  EXPECT_EQ(o.at("ipAddresses"), json::parse(R"({"public":["192.0.2.1/32"]})"));
}

TEST_P(StoreContract, BatchesAreStoredOnceWithTheirAlerts) {
  EventBatch b = Batch("ag1", 1, 3);
  b.new_alerts.push_back({kOrg, "al1", 100, false, 2, std::string("r1"), std::string("ag1"), "{}", "[{\"i\":0}]"});
  b.attach.push_back({"al1", "{\"i\":1}"});
  ASSERT_FALSE(store_->StoreBatch(b)->duplicate);
  EXPECT_TRUE(*store_->BatchSeen("ag1", 1));
  EXPECT_FALSE(*store_->BatchSeen("ag1", 2));
  EXPECT_TRUE(store_->StoreBatch(b)->duplicate);
  EXPECT_EQ(store_->RecentEvents(kOrg, 10)->size(), 3u);
  EXPECT_EQ((*store_->GetAlert(kOrg, "al1"))->events, "[{\"i\":0},{\"i\":1}]");
  EXPECT_TRUE(store_->RecentEvents(kOtherOrg, 10)->empty());
  // An alert keeps at most max_alert_events events.
  EventBatch more = Batch("ag1", 2, 0);
  more.max_alert_events = 2;
  more.attach.push_back({"al1", "{\"i\":2}"});
  ASSERT_TRUE(store_->StoreBatch(more));
  EXPECT_EQ((*store_->GetAlert(kOrg, "al1"))->events, "[{\"i\":0},{\"i\":1}]");
}

TEST_P(StoreContract, ABatchsEventsAreStoredInOrderWithTheBatchsOwnerAndTime) {
  // Sizes around however many events a store writes at once; the records' own org, agent and
  // time are not read: the batch's are.
  int64_t seq = 0, last = 0;
  for (int n : {1, 31, 32, 33, 70}) {
    ++seq;
    EventBatch b = Batch("ag1", seq, n, 100 + seq);
    for (auto& e : b.events) e.org_id = e.agent_id = "ignored";
    ASSERT_FALSE(store_->StoreBatch(b)->duplicate);
    auto got = *store_->RecentEvents(kOrg, n);
    ASSERT_EQ(got.size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      const EventRecord& e = got[static_cast<size_t>(n - 1 - i)];  // newest first
      EXPECT_EQ(e.doc, "{\"i\":" + std::to_string(i) + "}");
      EXPECT_EQ(e.org_id, kOrg);
      EXPECT_EQ(e.agent_id, "ag1");
      EXPECT_EQ(e.at_ms, 100 + seq);
      EXPECT_GT(e.seq, last);
      last = e.seq;
    }
  }
}

TEST_P(StoreContract, NewAlertsQueueADeliveryPerEnabledWebhook) {
  ASSERT_TRUE(store_->CreateWebhook({"wh1", kOrg, "http://127.0.0.1:9/a", "sealed", "siem", true, 1}));
  ASSERT_TRUE(store_->CreateWebhook({"wh2", kOrg, "http://127.0.0.1:9/b", "sealed", "", false, 2}));
  ASSERT_TRUE(store_->CreateWebhook({"wh3", kOtherOrg, "http://127.0.0.1:9/c", "sealed", "", true, 3}));
  EventBatch b = Batch("ag1", 1, 1);
  b.new_alerts.push_back({kOrg, "al1", 100, false, 2, std::nullopt, std::nullopt, "{\"id\":\"al1\"}", "[]"});
  ASSERT_TRUE(store_->StoreBatch(b));
  EXPECT_TRUE(store_->DueDeliveries(99, 10)->empty());  // not before the alert's time
  auto due = *store_->DueDeliveries(100, 10);
  ASSERT_EQ(due.size(), 1u);  // the enabled webhook of the alert's organization only
  EXPECT_EQ(due[0].webhook.id, "wh1");
  EXPECT_EQ(due[0].alert_doc, "{\"id\":\"al1\"}");
  DeliveryRecord d = due[0].delivery;
  d.attempts = 1;
  d.next_at_ms = 500;
  d.last_status = 503;
  ASSERT_TRUE(store_->UpdateDelivery(d));
  EXPECT_TRUE(store_->DueDeliveries(499, 10)->empty());
  d.status = "delivered";
  d.done_at_ms = 600;
  ASSERT_TRUE(store_->UpdateDelivery(d));
  EXPECT_TRUE(store_->DueDeliveries(10000, 10)->empty());
  EXPECT_EQ(store_->ListDeliveries(kOrg, "wh1", 10)->front().status, "delivered");
  ASSERT_TRUE(store_->TrimDeliveries(601));
  EXPECT_TRUE(store_->ListDeliveries(kOrg, "wh1", 10)->empty());
  EXPECT_FALSE(*store_->DeleteWebhook(kOtherOrg, "wh1"));
  EXPECT_TRUE(*store_->DeleteWebhook(kOrg, "wh1"));
  EXPECT_EQ(store_->ListWebhooks(kOrg)->size(), 1u);
}

TEST_P(StoreContract, TheOldestEventsGoPastTheCap) {
  EventBatch b = Batch("ag1", 1, 4);
  b.max_org_events = 5;
  ASSERT_EQ(store_->StoreBatch(b)->evicted, 0);
  b = Batch("ag1", 2, 3);
  b.max_org_events = 5;
  ASSERT_EQ(store_->StoreBatch(b)->evicted, 2);
  auto events = *store_->RecentEvents(kOrg, 10);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events.back().doc, "{\"i\":2}");  // the first batch's first two went
}

TEST_P(StoreContract, RetentionDropsOldEventsBatchesAndAlerts) {
  ASSERT_TRUE(store_->StoreBatch(Batch("ag1", 1, 2, 100)));
  ASSERT_TRUE(store_->StoreBatch(Batch("ag1", 2, 1, 300)));
  ASSERT_TRUE(store_->PutAlerts({{kOrg, "old", 50, false, 1, std::nullopt, std::nullopt, "{}", "[]"},
                                 {kOrg, "new", 500, false, 1, std::nullopt, std::nullopt, "{}", "[]"}}));
  auto out = *store_->ApplyRetention(200, 100);
  EXPECT_EQ(out.events, 2);
  EXPECT_EQ(out.batches, 1);
  EXPECT_EQ(out.alerts, 1);
  EXPECT_EQ(store_->RecentEvents(kOrg, 10)->size(), 1u);
  EXPECT_FALSE(*store_->BatchSeen("ag1", 1));
  EXPECT_FALSE(*store_->GetAlert(kOrg, "old"));
  // The count followed: a cap of 2 now evicts nothing for one more event.
  EventBatch b = Batch("ag1", 3, 1, 400);
  b.max_org_events = 2;
  EXPECT_EQ(store_->StoreBatch(b)->evicted, 0);
}

TEST_P(StoreContract, RetentionDropsAlertsPastOneTransactionsWorth) {
  std::vector<AlertRecord> alerts;
  for (int i = 0; i < 25001; ++i) {
    alerts.push_back({kOrg, "old-" + std::to_string(i), 50 + i % 7, false, 1, std::nullopt, std::nullopt, "{}", "[]"});
  }
  alerts.push_back({kOrg, "new", 500, false, 1, std::nullopt, std::nullopt, "{}", "[]"});
  ASSERT_TRUE(store_->PutAlerts(alerts));
  EXPECT_EQ(store_->ApplyRetention(0, 100)->alerts, 25001);
  auto left = *store_->ListAlerts({.org_id = kOrg, .limit = 10});
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, "new");
}

TEST_P(StoreContract, TheBaseRuleSetIsGivenOnce) {
  auto without = *store_->OrgsWithoutBaseRules();
  EXPECT_EQ(without.size(), 2u);
  V2Write w{.org_id = kOrg};
  w.put_rulesets.push_back({kOrg, "base1", "Base Rule Set", "", 1, 1});
  w.base_ruleset_id = "base1";
  ASSERT_TRUE(store_->Commit(w));
  EXPECT_EQ(*store_->OrgsWithoutBaseRules(), std::vector<std::string>{kOtherOrg});
  w.put_rulesets[0].id = "base2";
  w.base_ruleset_id = "base2";
  EXPECT_EQ(store_->Commit(w).error().code, Errc::kConflict);
  EXPECT_FALSE(*store_->GetRuleset(kOrg, "base2"));  // nothing of the refused write landed
  // The organization's own Base Rule Set does not count as something it holds.
  EXPECT_EQ(store_->ContentsOf(kOrg)->Total(), 0);
}

TEST_P(StoreContract, DeletingARulesetDropsItFromTheAgentsEvaluatedAgainstIt) {
  ASSERT_TRUE(store_->Commit({.org_id = kOrg,
                              .put_rulesets = {{kOrg, "rs1", "base", "", 1, 1}, {kOrg, "rs2", "web", "", 2, 2}}}));
  Enrollment both = Enroll("ag1", "fp1");
  both.key.rulesets = {"rs1", "rs2"};
  ASSERT_TRUE(store_->Enroll(both));
  ASSERT_TRUE(store_->Enroll(Enroll("ag2", "fp2")));  // rs1 only
  Enrollment gone = Enroll("ag3", "fp3");
  ASSERT_TRUE(store_->Enroll(gone));
  ASSERT_TRUE(*store_->RevokeAgent(kOrg, "ag3", 9, {kOrg, "aud-r", 9, "{}"}));
  EXPECT_EQ(*store_->AgentsUsingRuleset(kOrg, "rs1"), (std::vector<std::string>{"ag1", "ag2"}));
  EXPECT_TRUE(store_->AgentsUsingRuleset(kOtherOrg, "rs1")->empty());
  ASSERT_TRUE(store_->Commit({.org_id = kOrg, .delete_rulesets = {"rs1"}}));
  EXPECT_TRUE(store_->AgentsUsingRuleset(kOrg, "rs1")->empty());
  EXPECT_EQ((*store_->FindAgentKey("ag1"))->rulesets, std::vector<std::string>{"rs2"});
  EXPECT_TRUE((*store_->FindAgentKey("ag2"))->rulesets.empty());
}

}  // namespace
}  // namespace rampart::store
