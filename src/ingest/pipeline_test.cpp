// Enrollment, the pipeline and liveness over a real (in-memory SQLite) store with an injected
// clock: a deploy key enrolls a host once per fingerprint, rotation and revocation take effect at
// once, a batch is evaluated against the agent's rulesets and stored once, alerts open at the
// threshold and collect later events, and silent agents go offline.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>

#include "ingest/deploy_keys.hpp"
#include "ingest/enroll.hpp"
#include "ingest/liveness.hpp"
#include "ingest/pipeline.hpp"
#include "telemetry/base_rule_set.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::ingest {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kOrg = "0123456789abcdef01234567";

std::string Sudo(const std::string& user) {
  return R"({"event_type":"audit","timestamp":1,"command":"sudo","user":")" + user + R"(","arguments":"sudo id"})";
}
std::string FailedLogin() { return R"({"event_type":"login","timestamp":1,"user":"admin","success":false})"; }

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_->CreateOrg({kOrg, "Acme", 1}));
    ASSERT_TRUE(*telemetry::AddBaseRuleSet(*store_, kOrg, 1));
    auto dk = deploy_keys_.Create(kOrg, "ci");
    ASSERT_TRUE(dk);
    token_ = dk->token.Reveal();
  }
  std::string Host(const std::string& machine, const std::string& extra = "") {
    return R"({"hostname":"web-1","machineId":")" + machine + R"(","kernel":"6.1.0","osVersion":"debian 12")" + extra + "}";
  }
  Result<Enrolled> EnrollHost(const std::string& machine, const std::string& extra = "") {
    RAMPART_TRY(dk, deploy_keys_.Check("Bearer " + token_));
    return enroller_.Enroll(dk, Host(machine, extra));
  }
  std::shared_ptr<const AgentIdentity> Agent(const std::string& id) { return keys_.Find(id, true); }
  size_t AlertCount() { return store_->ListAlerts({.org_id = kOrg})->size(); }

  FakeClock clock_{SysTime{} + 1'700'000'000s};
  std::unique_ptr<store::Store> store_ = std::move(*store::OpenSqliteStore({":memory:"}));
  crypto::SecretBox box_{std::array<uint8_t, 32>{7}};
  telemetry::PageTokenCodec codec_{"k"};
  telemetry::AgentDirectory directory_{*store_, codec_, clock_, 0};
  AgentKeys keys_{*store_, box_, clock_, 60000};
  DeployKeyService deploy_keys_{*store_, clock_};
  Enroller enroller_{*store_, keys_, directory_, box_, clock_};
  Pipeline pipeline_{*store_, clock_, {}};
  std::string token_;
};

TEST_F(IngestTest, TheSameHostReenrollsAsItselfWithANewKey) {
  auto first = EnrollHost("machine-0001");
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_FALSE(first->reenrolled);
  ASSERT_EQ(first->rulesets.size(), 1u);  // the Base Rule Set by default
  auto agent = Agent(first->agent_id);
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->key, first->key.Reveal());
  auto again = EnrollHost("machine-0001");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->reenrolled);
  EXPECT_EQ(again->agent_id, first->agent_id);
  EXPECT_NE(again->key.Reveal(), first->key.Reveal());
  EXPECT_EQ(Agent(first->agent_id)->key, again->key.Reveal());  // the old key stopped
  auto other = EnrollHost("machine-0002");
  ASSERT_TRUE(other);
  EXPECT_NE(other->agent_id, first->agent_id);
  auto listed = *deploy_keys_.List(kOrg);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_host, "web-1");
}

TEST_F(IngestTest, RevocationAndRotationTakeEffectAtOnce) {
  auto e = EnrollHost("machine-0001");
  ASSERT_TRUE(e);
  ASSERT_TRUE(enroller_.Revoke(kOrg, e->agent_id, "admin"));
  EXPECT_FALSE(Agent(e->agent_id));
  EXPECT_EQ(EnrollHost("machine-0001").error().code, Errc::kForbidden);  // revocation sticks
  EXPECT_EQ(enroller_.Revoke(kOrg, e->agent_id, "admin").error().code, Errc::kNotFound);
  const std::string id = deploy_keys_.List(kOrg)->front().id;
  auto rotated = deploy_keys_.Rotate(kOrg, id);
  ASSERT_TRUE(rotated);
  EXPECT_EQ(deploy_keys_.Check("Bearer " + token_).error().code, Errc::kUnauthorized);
  EXPECT_TRUE(deploy_keys_.Check("Bearer " + rotated->token.Reveal()));
  ASSERT_TRUE(deploy_keys_.Revoke(kOrg, id));
  EXPECT_EQ(deploy_keys_.Check("Bearer " + rotated->token.Reveal()).error().code, Errc::kUnauthorized);
  EXPECT_EQ(deploy_keys_.Check("Bearer rpt_0123456789abcdef_" + std::string(43, 'a')).error().code, Errc::kUnauthorized);
}

TEST_F(IngestTest, EnrollmentRefusesBadRequests) {
  auto dk = *deploy_keys_.Check("Bearer " + token_);
  for (const std::string body : {R"({"machineId":"machine-0001"})", R"({"hostname":"h"})", R"({"hostname":"h","machineId":"short"})",
                                 R"({"hostname":"h","machineId":"machine-0001","agentType":"spy"})",
                                 R"({"hostname":"h","machineId":"machine-0001","rulesets":["No Such Set"]})",
                                 R"({"hostname":"h","machineId":"machine-0001","ipAddresses":{"private":["not-an-ip"]}})",
                                 R"({"hostname":"h","machineId":"machine-0001","colour":"red"})", "[]", "{"}) {
    auto r = enroller_.Enroll(dk, body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Errc::kInvalid) << body;
  }
}

TEST_F(IngestTest, ABatchOpensAlertsOnceAndLaterEventsAttach) {
  auto e = EnrollHost("machine-0001");
  ASSERT_TRUE(e);
  auto agent = Agent(e->agent_id);
  auto ack = pipeline_.Ingest(*agent, 1, Gzip(Sudo("alice") + "\n" + Sudo("alice")), true);
  ASSERT_TRUE(ack) << ack.error().detail;
  EXPECT_EQ(ack->accepted, 2u);
  EXPECT_EQ(ack->alerts_opened, 1u);
  ASSERT_EQ(AlertCount(), 1u);
  auto alert = store_->ListAlerts({.org_id = kOrg})->front();
  json::value doc = json::parse(alert.doc);
  EXPECT_EQ(doc.at("title").as_string(), "alice ran sudo: sudo id");
  EXPECT_EQ(doc.at("agentId").as_string(), e->agent_id);
  EXPECT_EQ(json::parse(alert.events).as_array().size(), 2u);  // the second attached
  EXPECT_EQ(json::parse(alert.events).as_array()[0].at("agent").as_string(), "web-1");
  // The same batch again is acknowledged and changes nothing.
  auto dup = pipeline_.Ingest(*agent, 1, Sudo("alice"), false);
  ASSERT_TRUE(dup);
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(store_->RecentEvents(kOrg, 10)->size(), 2u);
  // Another user is another aggregate: another alert.
  ASSERT_TRUE(pipeline_.Ingest(*agent, 2, Sudo("bob"), false));
  EXPECT_EQ(AlertCount(), 2u);
}

TEST_F(IngestTest, ThresholdsCountAcrossBatchesAndBadBatchesStoreNothing) {
  auto agent = Agent(EnrollHost("machine-0001")->agent_id);
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(pipeline_.Ingest(*agent, i, FailedLogin(), false));
  EXPECT_EQ(AlertCount(), 0u);  // five within five minutes
  ASSERT_TRUE(pipeline_.Ingest(*agent, 5, FailedLogin(), false));
  EXPECT_EQ(AlertCount(), 1u);
  auto bad = pipeline_.Ingest(*agent, 6, FailedLogin() + "\n{\"oops\":1}", false);
  ASSERT_FALSE(bad);
  EXPECT_EQ(store_->RecentEvents(kOrg, 100)->size(), 5u);
  EXPECT_FALSE(*store_->BatchSeen(agent->agent_id, 6));  // a refused batch may be sent again, fixed
}

TEST_F(IngestTest, AnAgentRunsOnlyItsRulesets) {
  store::V2Write w{.org_id = kOrg};
  w.put_rulesets.push_back({kOrg, "custom", "Custom", "", 2, 2});
  ASSERT_TRUE(store_->Commit(w));
  auto agent = Agent(EnrollHost("machine-0001", R"(,"rulesets":["Custom"])")->agent_id);
  ASSERT_EQ(agent->rulesets, std::vector<std::string>{"custom"});
  ASSERT_TRUE(pipeline_.Ingest(*agent, 1, Sudo("alice"), false));
  EXPECT_EQ(AlertCount(), 0u);  // sudo is a Base Rule Set rule
  auto config = json::parse(*pipeline_.ConfigFor(*agent));
  EXPECT_TRUE(config.at("fileIntegrity").at("paths").as_array().empty());
  auto base = Agent(EnrollHost("machine-0002")->agent_id);
  auto base_config = json::parse(*pipeline_.ConfigFor(*base));
  const json::array& paths = base_config.at("fileIntegrity").at("paths").as_array();
  EXPECT_TRUE(std::any_of(paths.begin(), paths.end(), [](const json::value& p) {
    return p.at("path") == "/etc" && p.at("recursive") == true;
  }));
  EXPECT_EQ(base_config.at("heartbeatIntervalSeconds").as_int64(), 30);
}

TEST_F(IngestTest, SilentAgentsGoOffline) {
  auto e = EnrollHost("machine-0001");
  auto agent = Agent(e->agent_id);
  Liveness live(*store_, directory_, clock_, 120000);
  ASSERT_TRUE(live.Prime());
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":true,"status":"RUNNING"}},"counters":{"auditLost":0},"host":{"kernel":"6.1.1"}})"));
  ASSERT_EQ(*live.Flush(), 1u);
  auto doc = json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc);
  EXPECT_EQ(doc.at("status").as_string(), "online");
  EXPECT_TRUE(doc.at("agentModuleHealth").at("isHealthy").as_bool());
  EXPECT_EQ(doc.at("agentModuleHealth").at("audit").at("status").as_string(), "RUNNING");
  EXPECT_EQ(doc.at("kernel").as_string(), "6.1.1");
  EXPECT_EQ(*live.Flush(), 0u);  // nothing changed
  clock_.Advance(119s);
  EXPECT_EQ(*live.Flush(), 0u);
  clock_.Advance(2s);
  ASSERT_EQ(*live.Flush(), 1u);
  EXPECT_EQ((*store_->GetAgent(kOrg, e->agent_id))->status, "offline");
  live.Seen(*agent);
  ASSERT_EQ(*live.Flush(), 1u);
  EXPECT_EQ((*store_->GetAgent(kOrg, e->agent_id))->status, "online");
  EXPECT_EQ(live.Heartbeat(*agent, R"({"modules":{"audit":{"status":"RUNNING"}}})").error().code, Errc::kInvalid);
  EXPECT_EQ(live.Heartbeat(*agent, R"({"counters":{"x":-1}})").error().code, Errc::kInvalid);
  EXPECT_EQ(live.Heartbeat(*agent, R"({"extra":1})").error().code, Errc::kInvalid);
}

TEST_F(IngestTest, HeartbeatsUpdateAddressesCheckedLikeEnrollment) {
  auto e = EnrollHost("machine-0001");
  auto agent = Agent(e->agent_id);
  Liveness live(*store_, directory_, clock_, 120000);
  ASSERT_TRUE(live.Prime());
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"host":{"ipAddresses":{"private":["10.1.2.3/24"],"public":["2001:db8::5/64"]}}})"));
  ASSERT_EQ(*live.Flush(), 1u);
  auto doc = json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc);
  EXPECT_EQ(doc.at("ipAddresses").at("private").at(0).as_string(), "10.1.2.3/24");
  EXPECT_EQ(doc.at("ipAddresses").at("public").at(0).as_string(), "2001:db8::5/64");
  EXPECT_TRUE(doc.at("ipAddresses").at("link_local").as_array().empty());
  for (const char* bad : {R"({"host":{"ipAddresses":{"private":["10.1.2.3/33"]}}})",
                          R"({"host":{"ipAddresses":{"private":["10.1.2.3/"]}}})",
                          R"({"host":{"ipAddresses":{"private":["10.1.2.3/-1"]}}})",
                          R"({"host":{"ipAddresses":{"private":["fe80::1/129"]}}})",
                          R"({"host":{"ipAddresses":{"site":[]}}})", R"({"host":{"ipAddresses":["10.0.0.1"]}})",
                          R"({"host":{"hostname":"a\u0007b"}})", R"({"host":{"kernel":""}})",
                          R"({"host":{"mac":"00:11"}})"}) {
    EXPECT_EQ(live.Heartbeat(*agent, bad).error().code, Errc::kInvalid) << bad;
  }
}

}  // namespace
TEST_F(IngestTest, RoutineHeartbeatsAreWrittenAMinuteApartAndChangesAtOnce) {
  auto e = EnrollHost("machine-0001");
  auto agent = Agent(e->agent_id);
  Liveness live(*store_, directory_, clock_, 120000, 60000);
  ASSERT_TRUE(live.Prime());
  const char* same = R"({"modules":{"audit":{"healthy":true,"status":"RUNNING"}},"counters":{"eventsSent":1}})";
  ASSERT_TRUE(live.Heartbeat(*agent, same));
  ASSERT_EQ(*live.Flush(), 1u);  // the first health is news
  clock_.Advance(30s);
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":true,"status":"RUNNING"}},"counters":{"eventsSent":9}})"));
  EXPECT_EQ(*live.Flush(), 0u);  // only lastReportedAt and a counter moved: it waits
  clock_.Advance(30s);
  ASSERT_EQ(*live.Flush(), 1u);  // a minute after the last write
  auto doc = json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc);
  EXPECT_EQ(doc.at("agentModuleHealth").at("counters").at("eventsSent").as_int64(), 9);
  clock_.Advance(5s);
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":false,"status":"STOPPED"}}})"));
  ASSERT_EQ(*live.Flush(), 1u);  // a module went down: written by the next flush
  doc = json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc);
  EXPECT_FALSE(doc.at("agentModuleHealth").at("isHealthy").as_bool());
  clock_.Advance(5s);
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":false,"status":"STOPPED"}},"host":{"kernel":"6.1.2"}})"));
  ASSERT_EQ(*live.Flush(), 1u);  // a new kernel too
  EXPECT_EQ(json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc).at("kernel").as_string(), "6.1.2");
  EXPECT_EQ(*live.Flush(), 0u);  // written once, not again by every flush
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":false,"status":"STOPPED"}},"host":{"kernel":"6.1.3"}})"));
  ASSERT_EQ(*live.Flush(), 1u);  // a host fact alone, modules unchanged
  EXPECT_EQ(*live.Flush(), 0u);
}

// A heartbeat repeating the last one byte for byte skips the parse; it must still move the time,
// and a body that returns to an earlier state after a different one must still count as news.
TEST_F(IngestTest, RepeatedHeartbeatsMoveTheTimeAndAReturnToAnEarlierStateIsNews) {
  auto e = EnrollHost("machine-0001");
  auto agent = Agent(e->agent_id);
  Liveness live(*store_, directory_, clock_, 120000, 60000);
  ASSERT_TRUE(live.Prime());
  const char* up = R"({"modules":{"audit":{"healthy":true,"status":"RUNNING"}}})";
  const char* down = R"({"modules":{"audit":{"healthy":false,"status":"STOPPED"}}})";
  auto healthy = [&] {
    return json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc).at("agentModuleHealth").at("isHealthy").as_bool();
  };
  ASSERT_TRUE(live.Heartbeat(*agent, up));
  ASSERT_EQ(*live.Flush(), 1u);
  EXPECT_TRUE(healthy());
  clock_.Advance(61s);
  ASSERT_TRUE(live.Heartbeat(*agent, up));  // the same bytes again
  const std::string heard = telemetry::FormatInstant(UnixMillis(clock_.Now()));
  ASSERT_EQ(*live.Flush(), 1u);  // routine: the time moved
  EXPECT_EQ(json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc).at("lastReportedAt").as_string(), heard);
  EXPECT_EQ(*live.Flush(), 0u);
  ASSERT_TRUE(live.Heartbeat(*agent, down));
  ASSERT_EQ(*live.Flush(), 1u);
  EXPECT_FALSE(healthy());
  ASSERT_TRUE(live.Heartbeat(*agent, up));  // back to the first state: news, not a repeat
  ASSERT_EQ(*live.Flush(), 1u);
  EXPECT_TRUE(healthy());
  // A body that only begins like the remembered one is parsed and refused.
  EXPECT_EQ(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":true,"status":"RUNNING"}},"extra":1})").error().code,
            Errc::kInvalid);
}

TEST_F(IngestTest, AFlushWritesTheTimeOfTheLastHeartbeatAndTheModulesAsReported) {
  auto e = EnrollHost("machine-0001");
  auto agent = Agent(e->agent_id);
  Liveness live(*store_, directory_, clock_, 120000);
  ASSERT_TRUE(live.Prime());
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":true},"fim":{"healthy":true}}})"));
  const std::string heard = telemetry::FormatInstant(UnixMillis(clock_.Now()));
  clock_.Advance(10s);
  ASSERT_EQ(*live.Flush(), 1u);
  auto doc = json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc);
  EXPECT_EQ(doc.at("lastReportedAt").as_string(), heard);
  EXPECT_TRUE(doc.at("agentModuleHealth").as_object().contains("fim"));
  ASSERT_TRUE(live.Heartbeat(*agent, R"({"modules":{"audit":{"healthy":true}}})"));  // fim no longer runs
  ASSERT_EQ(*live.Flush(), 1u);
  doc = json::parse((*store_->GetAgent(kOrg, e->agent_id))->doc);
  EXPECT_FALSE(doc.at("agentModuleHealth").as_object().contains("fim"));
  EXPECT_EQ(doc.at("agentModuleHealth").at("isHealthy"), true);
  EXPECT_EQ(doc.at("hostname").as_string(), "web-1");  // what enrollment wrote stays
}

}  // namespace rampart::ingest
