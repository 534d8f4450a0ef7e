// The batch decoder: gzip or plain JSON lines, every limit enforced before it is spent (a zip bomb
// stops at the inflated cap), each line checked, errors naming the line.
#include "ingest/batch.hpp"

#include <gtest/gtest.h>

namespace rampart::ingest {
namespace {

constexpr const char* kExec =
    R"({"event_type":"audit","timestamp":1700000000000,"syscall":"execve","exe":"/usr/bin/sudo","arguments":"sudo ls","pid":42,"connection":{"dst_addr":"10.0.0.1","dst_port":443},"group":["adm","sudo"]})";

std::string DetailOf(const Result<std::vector<boost::json::object>>& r) { return r ? "" : r.error().detail; }

TEST(Batch, DecodesPlainAndGzipLines) {
  const std::string text = std::string(kExec) + "\n\n" + kExec + "\r\n";
  auto plain = DecodeBatch(text, false, {});
  ASSERT_TRUE(plain) << DetailOf(plain);
  EXPECT_EQ(plain->size(), 2u);
  auto gz = DecodeBatch(Gzip(text), true, {});
  ASSERT_TRUE(gz) << DetailOf(gz);
  ASSERT_EQ(gz->size(), 2u);
  EXPECT_EQ((*gz)[1].at("exe").as_string(), "/usr/bin/sudo");
}

TEST(Batch, RefusesWhatIsNotAnEventNamingTheLine) {
  struct Case {
    std::string body, says;
  };
  const std::vector<Case> cases = {
      {"", "no event"},
      {"not json", "line 1: not valid JSON"},
      {std::string(kExec) + "\n[1]", "line 2: an event must be a JSON object"},
      {R"({"timestamp":1})", "'event_type' is required"},
      {R"({"event_type":"dns","timestamp":1})", "'event_type' must be"},
      {R"({"event_type":"audit"})", "'timestamp' is required"},
      {R"({"event_type":"audit","timestamp":-5})", "'timestamp' is required"},
      {R"({"event_type":"audit","timestamp":1,"agent_id":"someone-else"})", "'agent_id' is set by the server"},
      {R"({"event_type":"audit","timestamp":1,"organization_id":"x"})", "set by the server"},
      {R"({"event_type":"audit","timestamp":1,"favourite_colour":"red"})", "unknown key 'favourite_colour'"},
      {R"({"event_type":"audit","timestamp":1,"connection":{"via":"x"}})", "unknown key 'connection.via'"},
      {R"({"event_type":"audit","timestamp":1,"exe":{"a":1}})", "'exe' must be"},
      {R"({"event_type":"audit","timestamp":1,"group":[1]})", "'group' must hold strings"},
  };
  for (const Case& c : cases) {
    auto r = DecodeBatch(c.body, false, {});
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, Errc::kInvalid) << c.body;
    EXPECT_NE(r.error().detail.find(c.says), std::string::npos) << c.body << " -> " << r.error().detail;
  }
}

TEST(Batch, BoundsEverySize) {
  BatchLimits small{.max_inflated_bytes = 4096, .max_events = 2, .max_line_bytes = 300, .max_string_bytes = 20};
  // A zip bomb: 1 MiB of zeros compresses to about a kilobyte and stops at the cap.
  auto bomb = DecodeBatch(Gzip(std::string(1 << 20, '0')), true, small);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().code, Errc::kTooLarge);
  const std::string line = R"({"event_type":"audit","timestamp":1})";
  auto many = DecodeBatch(line + "\n" + line + "\n" + line, false, small);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, Errc::kTooLarge);
  auto long_line = DecodeBatch(R"({"event_type":"audit","timestamp":1,"log":")" + std::string(400, 'x') + "\"}", false, small);
  ASSERT_FALSE(long_line);
  EXPECT_EQ(long_line.error().code, Errc::kTooLarge);
  auto long_value = DecodeBatch(R"({"event_type":"audit","timestamp":1,"exe":")" + std::string(30, 'x') + "\"}", false, small);
  ASSERT_FALSE(long_value);
  EXPECT_EQ(long_value.error().code, Errc::kInvalid);
  auto plain_big = DecodeBatch(std::string(5000, ' '), false, small);
  ASSERT_FALSE(plain_big);
  EXPECT_EQ(plain_big.error().code, Errc::kTooLarge);
}

TEST(Batch, RefusesBrokenGzip) {
  std::string gz = Gzip(kExec);
  EXPECT_EQ(DecodeBatch("plain text", true, {}).error().code, Errc::kInvalid);
  EXPECT_EQ(DecodeBatch(gz.substr(0, gz.size() / 2), true, {}).error().code, Errc::kInvalid);
  EXPECT_EQ(DecodeBatch(gz + "trailing", true, {}).error().code, Errc::kInvalid);
  gz[gz.size() - 6] ^= 0x55;  // the CRC no longer matches
  EXPECT_EQ(DecodeBatch(gz, true, {}).error().code, Errc::kInvalid);
}

TEST(Batch, GunzipHoldsItsCapExactly) {
  const std::string text(200000, 'a');
  const std::string gz = Gzip(text);
  EXPECT_EQ(*Gunzip(gz, text.size()), text);
  EXPECT_EQ(Gunzip(gz, text.size() - 1).error().code, Errc::kTooLarge);
  // A bomb: megabytes of zeros in a few kilobytes stop at the cap.
  const std::string bomb = Gzip(std::string(8 << 20, '\0'));
  ASSERT_LT(bomb.size(), 64u * 1024);
  EXPECT_EQ(Gunzip(bomb, 1 << 20).error().code, Errc::kTooLarge);
  EXPECT_EQ(Gunzip(bomb, 8 << 20)->size(), 8u << 20);
}

TEST(Batch, GunzipRefusesATrailerThatLies) {
  // The trailer's size only sizes the first allocation: a claim too big or too small is refused
  // by the length check, and nothing past the cap is allocated for it.
  const std::string text(100000, 'b');
  for (uint32_t claim : {0xffffffffu, 1u}) {
    std::string gz = Gzip(text);
    for (int i = 0; i < 4; ++i) gz[gz.size() - 4 + i] = static_cast<char>(claim >> (8 * i));
    EXPECT_EQ(Gunzip(gz, 1 << 20).error().code, Errc::kInvalid);
  }
}

}  // namespace
}  // namespace rampart::ingest
