#include "base/date.hpp"

#include <gtest/gtest.h>

namespace rampart {

TEST(Date, RoundTripsEveryDayOfFourHundredYears) {
  auto start = Date::FromYmd(2000, 1, 1);
  ASSERT_TRUE(start);
  for (int64_t i = 0; i < 146097; ++i) {
    Date d = Date::FromDays(start->days() + i);
    auto back = ParseIsoDate(d.ToString());
    ASSERT_TRUE(back) << d.ToString();
    EXPECT_EQ(back->days(), d.days());
  }
}

TEST(Date, RejectsImpossibleDays) {
  EXPECT_FALSE(Date::FromYmd(2023, 2, 29));
  EXPECT_TRUE(Date::FromYmd(2024, 2, 29));
  EXPECT_FALSE(Date::FromYmd(1900, 2, 29));
  EXPECT_FALSE(Date::FromYmd(2024, 13, 1));
  EXPECT_FALSE(Date::FromYmd(2024, 4, 31));
  EXPECT_FALSE(ParseIsoDate("2024-1-01"));
  EXPECT_FALSE(ParseIsoDate("2024-01-0x"));
}

TEST(Date, EpochAndEndOfDay) {
  EXPECT_EQ(Date::FromYmd(1970, 1, 1)->days(), 0);
  Date d = *Date::FromYmd(2018, 3, 29);
  EXPECT_EQ(d.ToString(), "2018-03-29");
  EXPECT_EQ(Date::Of(d.EndOfDay() - std::chrono::seconds(1)), d);
  EXPECT_EQ(Date::Of(d.EndOfDay()).days(), d.days() + 1);
  EXPECT_EQ(Date::Of(SysTime(std::chrono::seconds(-1))).days(), -1);
  EXPECT_EQ(Date::FromUnixSeconds(-86400).days(), -1);
  EXPECT_EQ(Date::FromUnixSeconds(-86401).days(), -2);
}

TEST(Date, FarFutureDoesNotOverflow) {  // found by userlists_body_fuzz
  Date d = *Date::FromYmd(9999, 12, 31);
  EXPECT_EQ(d.EndOfDay(), SysTime::max());
  EXPECT_EQ(Date::FromUnixSeconds(d.days() * 86400 + 100).days(), d.days());
}

}  // namespace rampart
