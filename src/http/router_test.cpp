#include "http/router.hpp"

#include <gtest/gtest.h>

namespace rampart::http {

TEST(Router, MatchesTemplatesAndReportsAllowedMethods) {
  Router<int> r;
  r.Add(Verb::get, "/v4.0/user_ip_lists", 1);
  r.Add(Verb::post, "/v4.0/user_ip_lists", 2);
  r.Add(Verb::get, "/v4.0/user_ip_lists/{id}", 3);
  r.Add(Verb::get, "/v4.0/user_ip_lists/{id}/history", 4);

  auto m = r.Find(Verb::get, PathSegments("//v4.0/user_ip_lists/abc/?x=1"));
  ASSERT_TRUE(m.value);
  EXPECT_EQ(*m.value, 3);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], "abc");

  EXPECT_EQ(*r.Find(Verb::post, PathSegments("/v4.0/user_ip_lists/")).value, 2);
  EXPECT_EQ(*r.Find(Verb::get, PathSegments("/v4.0/user_ip_lists/x/history")).value, 4);

  auto wrong = r.Find(Verb::delete_, PathSegments("/v4.0/user_ip_lists"));
  EXPECT_FALSE(wrong.value);
  EXPECT_EQ(wrong.allowed, (std::vector<Verb>{Verb::get, Verb::post}));

  auto missing = r.Find(Verb::get, PathSegments("/v4.0/nothing"));
  EXPECT_FALSE(missing.value);
  EXPECT_TRUE(missing.allowed.empty());

  std::vector<std::pair<Verb, std::string>> listed;
  r.ForEach([&](Verb v, std::string_view p) { listed.emplace_back(v, std::string(p)); });
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[1], (std::pair<Verb, std::string>{Verb::post, "/v4.0/user_ip_lists"}));
  EXPECT_EQ(listed[3].second, "/v4.0/user_ip_lists/{id}/history");
}

TEST(Router, Segments) {
  EXPECT_EQ(PathSegments("/"), std::vector<std::string_view>{});
  EXPECT_EQ(PathSegments("/a//b/"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(PathSegments("a?/b/c"), (std::vector<std::string_view>{"a"}));
  EXPECT_EQ(PathSegments("/a/b#/c?d"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(PathSegments("/a/b/c/d/e/f/g/h/i/j"), (std::vector<std::string_view>{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}));
}

}  // namespace rampart::http
