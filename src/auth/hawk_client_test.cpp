// The client side of Hawk against the server side: a signed request verifies with Verify (and
// fails when any signed part changes), and the server's reply verifies with
// VerifyServerAuthorization (and fails when its body or MAC changes).
#include "auth/hawk_client.hpp"

#include <gtest/gtest.h>

namespace rampart::auth::hawk {
namespace {

const ClientCredentials kAgent{"agent-1", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn"};

CredentialsLookup Lookup() {
  return [](std::string_view id) -> std::optional<Credentials> {
    if (id != kAgent.id) return std::nullopt;
    return Credentials{kAgent.id, kAgent.key, "sha256", "agent"};
  };
}

Outcome<Verified> ServerSees(const SignedRequest& s, std::string_view body, std::string_view target = "/ingest/v1/events?seq=3") {
  RequestView req{"POST", target, s.authorization, "application/x-ndjson", body, {"127.0.0.1", "8443"}};
  return Verify(req, Lookup(), {.skew_ms = 60000, .payload = PayloadPolicy::kRequired}, 1'700'000'000'000, nullptr);
}

SignedRequest Sign(std::string_view body) {
  return SignRequest(kAgent, {"POST", "/ingest/v1/events?seq=3", "127.0.0.1", "8443", "application/x-ndjson", body},
                     1'700'000'000, "abc123");
}

TEST(HawkClient, TheServerVerifiesASignedRequestAndItsPayload) {
  auto s = Sign("{\"event_type\":\"audit\"}\n");
  EXPECT_NE(s.authorization.find("hash=\""), std::string::npos);
  auto v = ServerSees(s, "{\"event_type\":\"audit\"}\n");
  ASSERT_TRUE(v) << v.failure.message;
  EXPECT_EQ(v->credentials.id, "agent-1");
  EXPECT_FALSE(ServerSees(s, "{\"event_type\":\"file\"}\n"));                      // another body
  EXPECT_FALSE(ServerSees(s, "{\"event_type\":\"audit\"}\n", "/ingest/v1/events?seq=4"));  // another target
  auto wrong_key = SignRequest({"agent-1", "not the key"}, {"POST", "/ingest/v1/events?seq=3", "127.0.0.1", "8443",
                                                              "application/x-ndjson", "x"},
                               1'700'000'000, "abc123");
  EXPECT_FALSE(ServerSees(wrong_key, "x"));
}

TEST(HawkClient, TheServersReplyIsCheckedWithItsBody) {
  auto s = Sign("x");
  auto v = ServerSees(s, "x");
  ASSERT_TRUE(v);
  std::string body = "{\"ack\":3}";
  std::string header = ServerAuthorization(*v, PayloadHash(v->alg, "application/json", body), std::nullopt);
  EXPECT_TRUE(VerifyServerAuthorization(kAgent, s, header, "application/json; charset=utf-8", body, true));
  EXPECT_FALSE(VerifyServerAuthorization(kAgent, s, header, "application/json", "{\"ack\":4}", true));
  EXPECT_FALSE(VerifyServerAuthorization({"agent-1", "other"}, s, header, "application/json", body, true));
  std::string unhashed = ServerAuthorization(*v, std::nullopt, std::nullopt);
  EXPECT_TRUE(VerifyServerAuthorization(kAgent, s, unhashed, "application/json", body, false));
  EXPECT_FALSE(VerifyServerAuthorization(kAgent, s, unhashed, "application/json", body, true));
  EXPECT_FALSE(VerifyServerAuthorization(kAgent, s, "Bearer x", "application/json", body, false));
  EXPECT_FALSE(VerifyServerAuthorization(kAgent, s, "Hawk hash=\"x\"", "application/json", body, false));
}

TEST(HawkClient, AStaleClockLearnsTheServersTimeOnlyFromASignedHeader) {
  // The agent's clock is an hour behind: the server refuses and names its own time, signed.
  auto s = SignRequest(kAgent, {"POST", "/ingest/v1/events?seq=3", "127.0.0.1", "8443", "application/x-ndjson", "x"},
                       1'700'000'000 - 3600, "abc123");
  auto refused = ServerSees(s, "x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.failure.message, "Stale timestamp");
  EXPECT_EQ(ServerTime(kAgent, refused.failure.www_authenticate), 1'700'000'000);
  EXPECT_EQ(ServerTime({"agent-1", "other key"}, refused.failure.www_authenticate), std::nullopt);
  std::string forged = refused.failure.www_authenticate;
  forged.replace(forged.find("ts=\"") + 4, 10, "1800000000");
  EXPECT_EQ(ServerTime(kAgent, forged), std::nullopt);
  EXPECT_EQ(ServerTime(kAgent, "Hawk error=\"Unknown credentials\""), std::nullopt);
  EXPECT_EQ(ServerTime(kAgent, "Hawk ts=\"-5\", tsm=\"x\""), std::nullopt);
}

TEST(HawkClient, NoncesAreFreshAndPlain) {
  std::string a = NewNonce(), b = NewNonce();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 12u);
  for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
}

}  // namespace
}  // namespace rampart::auth::hawk
