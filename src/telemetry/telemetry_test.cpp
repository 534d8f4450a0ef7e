#include <gtest/gtest.h>

#include "crypto/crypto.hpp"
#include "crypto/secretbox.hpp"
#include "auth/hawk.hpp"
#include "telemetry/agent_directory.hpp"
#include "telemetry/agents.hpp"
#include "telemetry/page_token.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {

TEST(V2Time, EveryFormClientsSend) {
  const int64_t day = 1556668800000;  // 2019-05-01T00:00:00Z
  EXPECT_EQ(ParseInstant("2019-05-01"), day);
  EXPECT_EQ(ParseInstant("2019-05-01T12"), day + 12 * 3600000);
  EXPECT_EQ(ParseInstant("2019-05-01T12:34"), day + 12 * 3600000 + 34 * 60000);
  EXPECT_EQ(ParseInstant("2019-05-01T12:34:56"), day + 45296000);
  EXPECT_EQ(ParseInstant("2019-05-01T12:34:56.789012"), day + 45296789);  // Python isoformat()
  EXPECT_EQ(ParseInstant("2019-05-01T12:34:56.7Z"), day + 45296700);
  EXPECT_EQ(ParseInstant("2019-05-01T12:34:56+02:00"), day + 45296000 - 7200000);
  EXPECT_EQ(ParseInstant("2019-05-01T12:34:56-0130"), day + 45296000 + 5400000);
  EXPECT_EQ(ParseInstant("2019-05-01 12:34:56+00:00"), day + 45296000);
  EXPECT_EQ(ParseInstant("2019-05-01T12:34:56 02:00"), day + 45296000 - 7200000);  // '+' decoded to ' '
  EXPECT_EQ(ParseInstant("2019-05-01 12:34:56 0100"), day + 45296000 - 3600000);
  for (const char* bad : {"", "2019-5-01", "2019-05-01T", "2019-05-01T24", "2019-05-01T12:60", "yesterday",
                          "2019-05-01T12:34:56.", "2019-05-01T12:34:56+2", "2019-02-30", "2019-05-01Tx"}) {
    EXPECT_FALSE(ParseInstant(bad)) << bad;
  }
  EXPECT_EQ(FormatInstant(1558886068452), "2019-05-26T15:54:28.452Z");
  EXPECT_EQ(ParseInstant(FormatInstant(1558886068452)), 1558886068452);
}

TEST(PageToken, RoundTripsAndRejectsTampering) {
  PageTokenCodec codec("server key");
  PageCursor c{"8b0f0b28-7fce-11e9-a123-99cdd68cb066", 1558886068452, "status=online\x01weird,bytes"};
  std::string t = codec.Encode(c);
  EXPECT_EQ(t.find_first_of("+/"), std::string::npos);
  auto back = codec.Decode(t);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->last_id, c.last_id);
  EXPECT_EQ(back->last_created_ms, c.last_created_ms);
  EXPECT_EQ(back->filter, c.filter);
  EXPECT_FALSE(PageTokenCodec("other key").Decode(t));
  std::string raw = *crypto::Base64Decode(t);
  raw[3] = raw[3] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(codec.Decode(crypto::Base64Encode(raw)));
  EXPECT_FALSE(codec.Decode("garbage"));
  EXPECT_FALSE(codec.Decode(""));
}

TEST(PageToken, AlphabetNeverEncodesToPlusOrSlash) {
  // Every 3-character group of the token alphabet, at every alignment, encodes without '+'/'/'.
  const std::string alpha = "0123456789abcdef,:.TZ-";
  for (char a : alpha) {
    for (char b : alpha) {
      for (char c : alpha) {
        std::string s{a, b, c};
        for (size_t n = 1; n <= 3; ++n) {
          ASSERT_EQ(crypto::Base64Encode(s.substr(0, n)).find_first_of("+/"), std::string::npos) << s;
        }
      }
    }
  }
}

}  // namespace rampart::telemetry

#include <boost/json.hpp>
#include <set>


namespace rampart::telemetry {

TEST(Agents, PaginationWalkIsCompleteWithoutDuplicates) {
  auto db = std::move(*store::OpenSqliteStore({":memory:"}));
  ASSERT_TRUE(db->CreateOrg({"aaaaaaaaaaaaaaaaaaaaaaaa", "acme", 0}));
  std::vector<store::AgentRecord> agents;
  for (int i = 0; i < 250; ++i) {
    // 50 agents share each timestamp, so the id tie-break matters.
    std::string created = FormatInstant(1558886068000 + (i / 50) * 1000);
    auto rec = AgentFromJson(boost::json::parse("{\"id\":\"agent-" + std::to_string(i) +
                                                 "\",\"status\":\"" + (i % 5 ? "online" : "offline") +
                                                 "\",\"createdAt\":\"" + created + "\",\"hostname\":\"h\"}"),
                             "aaaaaaaaaaaaaaaaaaaaaaaa");
    ASSERT_TRUE(rec) << rec.error().detail;
    agents.push_back(*rec);
  }
  ASSERT_TRUE(db->PutAgents(agents));
  PageTokenCodec codec("k");
  FakeClock clock{SysTime(std::chrono::seconds(1700000000))};
  AgentDirectory dir(*db, codec, clock, 5000);
  EXPECT_EQ(dir.Cached("aaaaaaaaaaaaaaaaaaaaaaaa"), nullptr);
  auto loaded = dir.Load("aaaaaaaaaaaaaaaaaaaaaaaa");
  ASSERT_TRUE(loaded);
  const AgentSnapshot& snap = **loaded;
  EXPECT_EQ(dir.Cached("aaaaaaaaaaaaaaaaaaaaaaaa"), *loaded);
  std::set<std::string> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto body = dir.ListBody(snap, std::nullopt, token);
    ASSERT_TRUE(body) << body.error().detail;
    // A precomputed payload hash, when given, is the hash of exactly this body.
    if (!body->payload_hash.empty()) {
      EXPECT_EQ(body->payload_hash, auth::hawk::PayloadHash(crypto::HashAlg::kSha256, "application/json", *body->body));
    }
    boost::json::object page = boost::json::parse(*body->body).as_object();
    ASSERT_EQ(page.size(), 2u);  // exactly {"agents", "token"}
    for (const auto& a : page.at("agents").as_array()) {
      EXPECT_EQ(a.at("status").as_string(), "online");
      EXPECT_TRUE(seen.insert(std::string(a.at("id").as_string())).second) << "duplicate";
      EXPECT_EQ(a.as_object().size(), 15u);
    }
    token = page.at("token").is_null() ? std::nullopt : std::optional<std::string>(page.at("token").as_string());
    ++pages;
  } while (token);
  EXPECT_EQ(seen.size(), 200u);  // every online agent, once
  EXPECT_EQ(pages, 2);
  EXPECT_FALSE(dir.ListBody(snap, std::nullopt, std::string("bogus")));
  EXPECT_FALSE(dir.ListBody(snap, std::string("sleeping"), std::nullopt));
  auto offline = dir.ListBody(snap, std::string("offline"), std::nullopt);
  ASSERT_TRUE(offline);
  EXPECT_EQ(boost::json::parse(*offline->body).at("agents").as_array().size(), 50u);
  EXPECT_NE(snap.Find("agent-5"), nullptr);
  EXPECT_EQ(snap.Find("agent-999"), nullptr);
  // Stale after the TTL; gone at once when invalidated.
  clock.Advance(std::chrono::seconds(5));
  EXPECT_EQ(dir.Cached("aaaaaaaaaaaaaaaaaaaaaaaa"), nullptr);
  ASSERT_TRUE(dir.Load("aaaaaaaaaaaaaaaaaaaaaaaa"));
  dir.Invalidate("aaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(dir.Cached("aaaaaaaaaaaaaaaaaaaaaaaa"), nullptr);
  EXPECT_FALSE(AgentFromJson(boost::json::parse(R"({"id":"x","status":"online","createdAt":"2020-01-01","color":1})"), "o"));
  EXPECT_FALSE(AgentFromJson(boost::json::parse(R"({"id":"x","status":"away","createdAt":"2020-01-01"})"), "o"));
}

}  // namespace rampart::telemetry
