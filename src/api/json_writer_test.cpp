#include "api/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rampart::api {

TEST(JsonWriter, ProducesWhatBoostJsonParsesBack) {
  std::string tricky = "quote\" back\\slash \x01\x1f tab\t newline\n bücher ✓";
  std::string out;
  JsonWriter w(out);
  w.Open().Key("a").String(tricky).Key("list").OpenArray().Uint(1).Null().Bool(true).Open().Close().CloseArray();
  w.Key("lit").Literal(R"({"x":[]})").Key(tricky).String("").Close();
  boost::json::value v = boost::json::parse(out);
  EXPECT_EQ(v.at("a").as_string(), tricky);
  EXPECT_EQ(v.at("list").as_array().size(), 4u);
  EXPECT_TRUE(v.at("list").as_array()[3].as_object().empty());
  EXPECT_TRUE(v.at("lit").at("x").as_array().empty());
  EXPECT_EQ(v.at(tricky).as_string(), "");
}

TEST(JsonWriter, EscapesAtTheEdgesOfAString) {
  for (std::string s : {std::string("\"x\\"), std::string("\n"), std::string("\x00a\x00", 3), std::string("plain")}) {
    std::string out;
    JsonWriter(out).String(s);
    EXPECT_EQ(boost::json::parse(out).as_string(), s) << out;
  }
}

TEST(JsonWriter, EveryByteAtEveryOffsetOfAWordRoundTrips) {
  for (int c = 0; c < 0x80; ++c) {
    for (size_t at = 0; at < 17; ++at) {
      std::string s(17, 'a');
      s[at] = static_cast<char>(c);
      std::string out;
      JsonWriter(out).String(s);
      ASSERT_EQ(boost::json::parse(out).as_string(), s) << c << " at " << at;
    }
  }
}

}  // namespace rampart::api
