// The engine's semantics with explicit times: threshold and window, attaching to an open alert,
// aggregation, suppressions, disabled and broken rules, titles, rule changes, the bucket bound.
#include "rules/engine.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rampart::rules {
namespace {
namespace json = boost::json;

json::object Ev(std::string_view text) { return json::parse(text).as_object(); }

RuleSpec Sudo(int64_t threshold = 1, int64_t window_s = 60) {
  return RuleSpec{.id = "sudo", .filter = "command = 'sudo'", .suppressions = {"user = 'deploy'"},
                  .aggregate_fields = {"user"}, .window_s = window_s, .threshold = threshold,
                  .title = "{{user}} ran sudo on {{ agent }}", .severity = 2};
}

TEST(Engine, ThresholdWithinTheWindowOpensOneAlertAndLaterEventsAttach) {
  Engine e;
  e.SetRules({Sudo(3, 60)});
  const auto alice = Ev(R"({"command":"sudo","user":"alice","agent":"web-1"})");
  EXPECT_TRUE(e.Evaluate("a1", alice, 1000).empty());
  EXPECT_TRUE(e.Evaluate("a1", alice, 2000).empty());
  auto opened = e.Evaluate("a1", alice, 3000);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].kind, Outcome::Kind::kOpen);
  EXPECT_EQ(opened[0].events.size(), 3u);
  EXPECT_EQ(opened[0].title, "alice ran sudo on web-1");
  EXPECT_EQ(opened[0].severity, 2);
  auto attached = e.Evaluate("a1", alice, 4000);
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_EQ(attached[0].kind, Outcome::Kind::kAttach);
  EXPECT_EQ(attached[0].alert_key, opened[0].alert_key);
  // After the window (60 s from the first event) counting starts over.
  EXPECT_TRUE(e.Evaluate("a1", alice, 61000).empty());
  EXPECT_TRUE(e.Evaluate("a1", alice, 62000).empty());
  auto again = e.Evaluate("a1", alice, 63000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0].alert_key, opened[0].alert_key);
}

TEST(Engine, BucketsPerAgentAndAggregateValues) {
  Engine e;
  e.SetRules({Sudo(2, 60)});
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"alice"})"), 0).empty());
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"bob"})"), 0).empty());   // another user
  EXPECT_TRUE(e.Evaluate("a2", Ev(R"({"command":"sudo","user":"alice"})"), 0).empty());  // another agent
  EXPECT_EQ(e.open_buckets(), 3u);
  EXPECT_EQ(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"bob"})"), 1).size(), 1u);
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"ls","user":"bob"})"), 1).empty());  // no match
}

TEST(Engine, SuppressedDisabledAndBrokenRulesNeverCount) {
  Engine e;
  RuleSpec off = Sudo();
  off.id = "off";
  off.enabled = false;
  RuleSpec broken = Sudo();
  broken.id = "broken";
  broken.filter = "command = ";
  e.SetRules({Sudo(), off, broken});
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"deploy"})"), 0).empty());
  EXPECT_EQ(e.rules()[0].suppressed, 1u);
  auto fired = e.Evaluate("a1", Ev(R"({"command":"sudo","user":"alice"})"), 0);
  ASSERT_EQ(fired.size(), 1u);  // only the enabled, parsing rule
  EXPECT_EQ(fired[0].rule_id, "sudo");
  ASSERT_TRUE(e.rules()[2].filter_error);
  EXPECT_NE(e.rules()[2].filter_error->find("column"), std::string::npos);
}

TEST(Engine, TitlesInterpolateFieldsNestedArraysAndMissing) {
  const auto ev = Ev(R"({"exe":"/usr/bin/curl","user":"www","connection":{"dst_addr":"8.8.8.8"},"group":["a","b"],"pid":7})");
  EXPECT_EQ(Interpolate("{{exe}} ran by user {{user}} connected to {{connection.dst_addr}}", ev),
            "/usr/bin/curl ran by user www connected to 8.8.8.8");
  EXPECT_EQ(Interpolate("{{group}} {{pid}} [{{nope}}] {{unclosed", ev), "a,b 7 [] {{unclosed");
}

TEST(Engine, ChangedRulesKeepTheirBucketsAndDropTheGoneOnes) {
  Engine e;
  e.SetRules({Sudo(2, 60)});
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"alice"})"), 0).empty());
  RuleSpec other = Sudo(2, 60);
  other.id = "other";
  e.SetRules({Sudo(2, 60), other});  // a new version: sudo's bucket stays
  EXPECT_EQ(e.open_buckets(), 1u);
  EXPECT_EQ(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"alice"})"), 1).size(), 1u);  // sudo: 2nd event opens; other: 1st
  e.SetRules({other});
  EXPECT_EQ(e.open_buckets(), 1u);  // other's (from the last event); sudo's went with its rule
}

TEST(Engine, AHugeThresholdKeepsOnlyTheFirstEventsAndCountsThemAll) {
  Engine e;
  e.SetRules({Sudo(1000, 3600)});
  const auto ev = Ev(R"({"command":"sudo","user":"alice"})");
  for (int i = 0; i < 999; ++i) ASSERT_TRUE(e.Evaluate("a1", ev, i).empty());
  auto opened = e.Evaluate("a1", ev, 999);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].events.size(), kMaxEventsPerAlert);
}

TEST(Engine, OneAgentsFloodCannotPushOutAnothersBuckets) {
  Engine e(100, 2);
  e.SetRules({Sudo(2, 60)});
  EXPECT_TRUE(e.Evaluate("a2", Ev(R"({"command":"sudo","user":"victim"})"), 0).empty());
  for (int i = 0; i < 50; ++i) {
    e.Evaluate("a1", Ev(R"({"command":"sudo","user":"u)" + std::to_string(i) + "\"}"), 0);
  }
  EXPECT_EQ(e.open_buckets(), 3u);  // a1 holds its share (2), a2's bucket is still there
  EXPECT_EQ(e.Evaluate("a2", Ev(R"({"command":"sudo","user":"victim"})"), 1).size(), 1u);
}

TEST(Engine, AggregateValuesDoNotRunIntoEachOther) {
  Engine e;
  RuleSpec r = Sudo(2, 60);
  r.aggregate_fields = {"group"};
  e.SetRules({r});
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","group":["a,b"]})"), 0).empty());
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","group":["a","b"]})"), 0).empty());
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","group":""})"), 0).empty());
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo"})"), 0).empty());
  EXPECT_EQ(e.open_buckets(), 4u);
}

TEST(Engine, AChangedRuleStartsItsCountOverAndKeepsItsSuppressionCount) {
  Engine e;
  e.SetRules({Sudo(2, 60)});
  e.Evaluate("a1", Ev(R"({"command":"sudo","user":"deploy"})"), 0);  // suppressed
  EXPECT_TRUE(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"alice"})"), 0).empty());
  e.SetRules({Sudo(3, 60)});  // the threshold changed: its half-counted bucket goes
  EXPECT_EQ(e.open_buckets(), 0u);
  EXPECT_EQ(e.rules()[0].suppressed, 1u);
  RuleSpec huge = Sudo(1, 0);
  huge.window_s = INT64_MAX;  // clamped, no overflow
  e.SetRules({huge});
  EXPECT_EQ(e.Evaluate("a1", Ev(R"({"command":"sudo","user":"alice"})"), INT64_MAX / 4).size(), 1u);
}

TEST(Engine, TitlesAreCut) {
  std::string big(5000, 'x');
  const auto ev = Ev(std::string(R"({"arguments":")") + big + "\"}");
  std::string title;
  for (int i = 0; i < 100; ++i) title += "{{arguments}}";
  EXPECT_EQ(Interpolate(title, ev).size(), kMaxTitleBytes);
  EXPECT_EQ(Interpolate("{{arguments}}", ev).size(), kMaxFieldBytes);
}

TEST(Engine, OpenBucketsAreBounded) {
  Engine e(2);
  e.SetRules({Sudo(5, 60)});
  for (const char* u : {"a", "b", "c"}) {
    e.Evaluate("a1", Ev(std::string(R"({"command":"sudo","user":")") + u + "\"}"), 0);
  }
  EXPECT_EQ(e.open_buckets(), 2u);
}

}  // namespace
}  // namespace rampart::rules
