#include "api/client_ip.hpp"

#include <gtest/gtest.h>

namespace rampart::api {

TEST(TrustedProxies, OnlyTrustedPeersAreBelieved) {
  auto none = TrustedProxies::Parse("");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->ClientAddress("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  auto t = TrustedProxies::Parse("127.0.0.1, 10.0.0.0/8");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ClientAddress("127.0.0.1", "198.51.100.7"), "198.51.100.7");
  // Right-most untrusted hop wins; a spoofed left-most entry is ignored.
  EXPECT_EQ(t->ClientAddress("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.1.2.3"), "198.51.100.7");
  EXPECT_EQ(t->ClientAddress("203.0.113.9", "198.51.100.7"), "203.0.113.9");  // untrusted peer
  EXPECT_EQ(t->ClientAddress("127.0.0.1", "not-an-ip"), "127.0.0.1");
  EXPECT_EQ(t->ClientAddress("127.0.0.1", "10.0.0.1"), "127.0.0.1");  // only proxies: the peer
  EXPECT_FALSE(TrustedProxies::Parse("10.0.0.0/33"));
  EXPECT_FALSE(TrustedProxies::Parse("proxy.example"));
}

}  // namespace rampart::api

namespace rampart::api {
namespace {

TEST(TrustedProxies, EveryForwardedForLineCounts) {
  auto proxies = *TrustedProxies::Parse("127.0.0.1");
  http::Request head{http::Verb::get, "/", 11};
  // The client's own claim, then the line the proxy added: the proxy's line is the nearer hop.
  head.insert("X-Forwarded-For", "10.1.2.3");
  head.insert("X-Forwarded-For", "203.0.113.9");
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", head), "203.0.113.9");
  EXPECT_EQ(proxies.ClientOf("198.51.100.1", head), "198.51.100.1");  // not a trusted peer: its own address
  http::Request none{http::Verb::get, "/", 11};
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", none), "127.0.0.1");
}

}  // namespace
}  // namespace rampart::api
