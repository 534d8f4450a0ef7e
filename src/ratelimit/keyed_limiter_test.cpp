#include "ratelimit/keyed_limiter.hpp"

#include <gtest/gtest.h>

namespace rampart::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(KeyedLimiter, ExactAtTheBoundaryAndResetsWithTheWindow) {
  FakeClock clock{SysTime(1000000s)};
  KeyedLimiter org({200, 60s, 0s}, clock, 1000);
  for (int i = 1; i <= 200; ++i) {
    Decision d = org.Take("org1");
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 200u - i);
  }
  Decision refused = org.Take("org1");  // request 201
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.reset_ms, 60000);
  EXPECT_TRUE(org.Take("org2").allowed);  // keys are independent
  clock.Advance(59999ms);
  EXPECT_FALSE(org.Take("org1").allowed);
  EXPECT_EQ(org.Take("org1").reset_ms, 1);
  clock.Advance(1ms);
  Decision fresh = org.Take("org1");
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 199u);
  EXPECT_EQ(fresh.reset_ms, 60000);
}

TEST(KeyedLimiter, LockoutOutlastsTheWindow) {
  FakeClock clock{SysTime(1000000s)};
  KeyedLimiter ip({3, 60s, 15min}, clock, 1000);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ip.Take("10.0.0.1").allowed);
  Decision d = ip.Take("10.0.0.1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reset_ms, 15 * 60 * 1000);
  clock.Advance(14min);
  EXPECT_FALSE(ip.Take("10.0.0.1").allowed);
  EXPECT_EQ(ip.Take("10.0.0.1").reset_ms, 60 * 1000);
  clock.Advance(1min);
  EXPECT_TRUE(ip.Take("10.0.0.1").allowed);
}

TEST(KeyedLimiter, MemoryIsBoundedByLru) {
  FakeClock clock{SysTime(1000000s)};
  KeyedLimiter ip({1, 60s, 0s}, clock, 64, 4);
  for (int i = 0; i < 10000; ++i) ip.Take("ip" + std::to_string(i));
  EXPECT_LE(ip.size(), 64u);
  // A recently seen key survives; its window still counts.
  EXPECT_FALSE(ip.Take("ip9999").allowed);
}

TEST(KeyedLimiter, TighterPicksTheBindingDecision) {
  Decision a{true, 200, 10, 5000}, b{true, 1000, 500, 30000}, no{false, 200, 0, 7000};
  EXPECT_EQ(Tighter(a, b).remaining, 10u);
  EXPECT_FALSE(Tighter(b, no).allowed);
  EXPECT_EQ(Tighter(no, Decision{false, 1000, 0, 900000}).reset_ms, 900000);
}

}  // namespace
}  // namespace rampart::ratelimit
