#include "base/json.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace rampart {
namespace {

namespace json = boost::json;

std::string Array(size_t n, const std::string& item) {
  std::string s = "[";
  for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + item;
  return s + "]";
}

TEST(BoundedJson, ParsesWhatAPlainParseDoes) {
  const std::string text = R"({"a":[1,-2,3.5,"x",true,null,{"b":{}}],"c":"\u00e9","d":18446744073709551615})";
  boost::system::error_code ec;
  json::value v = ParseBoundedJson(text, {}, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(v, json::parse(text));
}

TEST(BoundedJson, StopsAtTheFirstContainerPastTheLimit) {
  boost::system::error_code ec;
  EXPECT_FALSE(ParseBoundedJson(R"({"addresses":)" + Array(3, R"({"value":"1.2.3.4"})") + "}", {3, 32}, ec).is_null());
  EXPECT_FALSE(ec);
  ParseBoundedJson(R"({"addresses":)" + Array(4, R"({"value":"1.2.3.4"})") + "}", {3, 32}, ec);
  EXPECT_TRUE(JsonTooLarge(ec));
  ParseBoundedJson(R"({"a":1,"b":2,"c":3,"d":4})", {3, 32}, ec);  // objects count their members too
  EXPECT_TRUE(JsonTooLarge(ec));
  ParseBoundedJson(Array(2, Array(3, "0")), {3, 32}, ec);  // nested: each container on its own
  EXPECT_FALSE(ec);
}

TEST(BoundedJson, MalformedDeepAndTrailingInputAreErrorsNotTooLarge) {
  boost::system::error_code ec;
  for (std::string bad : {"{", "[1,]", "{\"a\" 1}", "[1] x", "\"\\ud800\"x", ""}) {
    EXPECT_TRUE(ParseBoundedJson(bad, {}, ec).is_null()) << bad;
    EXPECT_TRUE(ec) << bad;
    EXPECT_FALSE(JsonTooLarge(ec)) << bad;
  }
  ParseBoundedJson(std::string(40, '[') + std::string(40, ']'), {}, ec);
  EXPECT_TRUE(ec);
  EXPECT_FALSE(JsonTooLarge(ec));
}

TEST(JsonEqual, MeansWhatBoostsEqualityMeans) {
  const char* docs[] = {R"({"a":1,"b":[1,2,{"c":"x"}]})", R"({"b":[1,2,{"c":"x"}],"a":1})", R"({"a":1,"b":[1,2,{"c":"y"}]})",
                        R"({"a":1,"b":[1,2]})", R"({"a":1.0,"b":[1,2,{"c":"x"}]})", R"({"a":1})", R"({"a":1,"c":1})",
                        R"([1,2])", R"([2,1])", R"({})", R"([])", "null", "1", "18446744073709551615", R"("1")", "true"};
  for (const char* x : docs) {
    for (const char* y : docs) {
      const json::value a = json::parse(x), b = json::parse(y);
      EXPECT_EQ(JsonEqual(a, b), a == b) << x << " vs " << y;
      if (a.is_object() && b.is_object()) {
        EXPECT_EQ(JsonEqual(a.get_object(), b.get_object()), a == b) << x << " vs " << y;
      }
    }
  }
}

}  // namespace
}  // namespace rampart
