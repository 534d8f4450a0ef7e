#include "api/query.hpp"

#include <gtest/gtest.h>

namespace rampart::api {
namespace {

TEST(CheckQuery, NamesTheParameterWithABadEscape) {
  for (const char* ok : {"/v2/alerts", "/v2/alerts?", "/v2/alerts?status=active&agentId=a%2Fb", "/x?a=+1&b="}) {
    EXPECT_FALSE(CheckQuery(ok)) << ok;
  }
  for (auto [target, name] : {std::pair{"/v2/alerts?agentId=abc%", "'agentId'"}, std::pair{"/x?status=%", "'status'"},
                              std::pair{"/x?a=1&token=%%%", "'token'"}, std::pair{"/x?a=1&b%zz=2", "'b%zz'"}}) {
    auto bad = CheckQuery(target);
    ASSERT_TRUE(bad) << target;
    EXPECT_EQ(bad->code, Errc::kInvalid);
    EXPECT_NE(bad->detail.find(name), std::string::npos) << bad->detail;
  }
  EXPECT_TRUE(CheckQuery("/x?a=\"b\""));  // a character no query may hold: the query cannot be read
  EXPECT_TRUE(CheckQuery("/x?a#f"));      // nor a fragment in an origin-form target
}

TEST(QueryParam, DecodesEscapesAndPlus) {
  http::Request req{http::Verb::get, "/v2/alerts?from=2019-05-01T12:00:00+01:00&agentId=a%2Fb&x", 11};
  EXPECT_EQ(QueryParam(req, "from"), "2019-05-01T12:00:00 01:00");  // '+' is a space in a query
  EXPECT_EQ(QueryParam(req, "agentId"), "a/b");
  EXPECT_EQ(QueryParam(req, "x"), "");
  EXPECT_FALSE(QueryParam(req, "until"));
}

}  // namespace
}  // namespace rampart::api
