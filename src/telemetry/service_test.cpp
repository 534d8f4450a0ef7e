// The telemetry service: writes reach the store with their audit record, and the hooks hear of
// the writes that succeeded (and of no other).
#include "telemetry/service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/secretbox.hpp"

namespace rampart::telemetry {
namespace {

constexpr const char* kOrg = "aaaaaaaaaaaaaaaaaaaaaaaa";
constexpr const char* kUser = "bbbbbbbbbbbbbbbbbbbbbbbb";

class TelemetryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_->CreateOrg({kOrg, "acme", 0}));
    ASSERT_TRUE(db_->CreateUser({kUser, "soc@acme.example", 0}));
    ASSERT_TRUE(db_->PutMembership({kUser, kOrg, "owner"}, std::nullopt));
    svc_.SetHooks({.alerts_changed = [this](const std::string& o) { alerts_.push_back(o); },
                   .rules_changed = [this](const std::string& o) { rules_.push_back(o); }});
  }
  std::unique_ptr<store::Store> db_ = std::move(*store::OpenSqliteStore({":memory:"}));
  FakeClock clock_{SysTime(std::chrono::seconds(1700000000))};
  crypto::SecretBox box_{std::array<uint8_t, crypto::SecretBox::kKeyBytes>{}};
  identity::IdentityService ids_{*db_, box_, clock_};
  PageTokenCodec codec_{"k"};
  AgentDirectory agents_{*db_, codec_, clock_, 5000};
  TelemetryService svc_{*db_, ids_, codec_, agents_, clock_};
  std::vector<std::string> alerts_, rules_;
};

TEST_F(TelemetryServiceTest, WritesAreAuditedAndHooksHearOnlyOfSuccesses) {
  auto actor = svc_.ActorFor(kOrg, kUser);
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->email, "soc@acme.example");
  EXPECT_EQ(actor->now_ms, UnixMillis(clock_.Now()));
  auto rs = svc_.CreateRuleset(*actor, R"({"name":"base","description":"d"})");
  ASSERT_TRUE(rs) << rs.error().detail;
  EXPECT_EQ(rules_, std::vector<std::string>{kOrg});
  EXPECT_FALSE(svc_.CreateRuleset(*actor, R"({"name":5})"));  // refused: no hook
  EXPECT_EQ(rules_.size(), 1u);
  const std::string id(boost::json::parse(*rs).as_object()["id"].as_string());
  ASSERT_TRUE(svc_.CreateRule(*actor, id, R"({"name":"r","title":"t","type":"host","alertDescription":"x","severityOfAlerts":1,"filter":"command = 'sudo'","window":3600,"threshold":1})"));
  EXPECT_EQ(rules_.size(), 2u);
  ASSERT_TRUE(db_->PutAlerts({{kOrg, "x1", 1, false, 1, std::nullopt, std::nullopt, "{\"id\":\"x1\"}", "[]"}}));
  ASSERT_TRUE(svc_.Dismiss(*actor, R"({"ids":["x1"],"dismissReason":"OTHER","dismissReasonText":"t"})"));
  EXPECT_EQ(alerts_, std::vector<std::string>{kOrg});
  auto audit = *db_->ListV2Audit({.org_id = kOrg});
  EXPECT_EQ(audit.size(), 3u);  // ruleset, rule, dismissal: each write left its record
  EXPECT_EQ(svc_.Alert(kOrg, "nope").error().code, Errc::kNotFound);
}

TEST_F(TelemetryServiceTest, MembersGoThroughIdentity) {
  auto actor = *svc_.ActorFor(kOrg, kUser);
  // The only owner cannot demote itself (the v2 API's 400), and the membership is unchanged.
  auto demoted = svc_.AddMember(actor, R"({"id":"bbbbbbbbbbbbbbbbbbbbbbbb","role":"reader"})");
  ASSERT_FALSE(demoted);
  EXPECT_EQ(demoted.error().code, Errc::kInvalid);
  EXPECT_EQ(*ids_.RoleIn(kUser, kOrg), identity::Role::kOwner);
  EXPECT_EQ(svc_.RemoveMember(actor, "cccccccccccccccccccccccc").error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace rampart::telemetry
