// Every rule of the Base Rule Set parses, knows every key it names, fires on its test event (the
// threshold's number of times) and stays quiet on its near miss.
#include "rules/base_rules.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

namespace rampart::rules {
namespace {

TEST(BaseRuleSet, EveryRuleFiresOnItsEventAndNotOnItsNearMiss) {
  const auto& rules = BaseRuleSet();
  ASSERT_GE(rules.size(), 15u);
  std::set<std::string> ids;
  for (const BaseRule& r : rules) {
    SCOPED_TRACE(r.spec.id);
    EXPECT_TRUE(ids.insert(r.spec.id).second);  // unique
    auto compiled = CompiledFilter::Compile(r.spec.filter);
    ASSERT_TRUE(compiled) << compiled.error().detail;
    EXPECT_TRUE(compiled->unknown_keys().empty()) << compiled->unknown_keys()[0];
    EXPECT_TRUE(r.type == "Host" || r.type == "File");
    EXPECT_FALSE(r.description.empty());
    Engine e;
    e.SetRules({r.spec});
    const auto fires = boost::json::parse(r.fires).as_object();
    const auto quiet = boost::json::parse(r.quiet).as_object();
    for (int i = 0; i < 2 * r.spec.threshold; ++i) EXPECT_TRUE(e.Evaluate("a1", quiet, i).empty());
    std::vector<Outcome> out;
    for (int i = 0; i < r.spec.threshold; ++i) out = e.Evaluate("a1", fires, 1000 + i);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, Outcome::Kind::kOpen);
    EXPECT_EQ(out[0].title.find("{{"), std::string::npos) << out[0].title;
    if (r.spec.threshold > 1) {  // one short of the threshold is not enough
      Engine short_of;
      short_of.SetRules({r.spec});
      for (int i = 0; i + 1 < r.spec.threshold; ++i) EXPECT_TRUE(short_of.Evaluate("a1", fires, i).empty());
    }
  }
}

}  // namespace
}  // namespace rampart::rules
