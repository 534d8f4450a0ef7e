#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rampart::app {

TEST(Config, ListenEndpoint) {
  Config c;
  c.listen = "[::1]:9000";
  auto ep = c.ListenEndpoint();
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->first, "::1");
  EXPECT_EQ(ep->second, 9000);
  c.listen = "127.0.0.1:70000";
  EXPECT_FALSE(c.ListenEndpoint());
  c.listen = "nocolon";
  EXPECT_FALSE(c.ListenEndpoint());
}

TEST(Config, IngestListenEndpointIsOptionalAndCheckedLikeListen) {
  Config c;
  auto none = c.IngestListenEndpoint();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  c.ingest_listen = "0.0.0.0:8444";
  auto ep = c.IngestListenEndpoint();
  ASSERT_TRUE(ep && *ep);
  EXPECT_EQ((*ep)->first, "0.0.0.0");
  EXPECT_EQ((*ep)->second, 8444);
  c.ingest_listen = "0.0.0.0:x";
  auto bad = c.IngestListenEndpoint();
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("ingest_listen"), std::string::npos) << bad.error().detail;
  EXPECT_FALSE(Validate(c));
}

TEST(Config, PrecedenceIsWhateverIsAppliedLast) {
  Config c;
  std::string path = ::testing::TempDir() + "/rampart_test.toml";
  std::ofstream(path) << "listen = \"127.0.0.1:1\"\nmax_connections = 5\naccess_log = \"off\"\n";
  ASSERT_TRUE(ApplyTomlFile(c, path));
  EXPECT_EQ(c.max_connections, 5);
  char env1[] = "RAMPART_LISTEN=127.0.0.1:2";
  char env2[] = "RAMPART_UNRELATED=1";  // not a setting: ignored
  char* envp[] = {env1, env2, nullptr};
  ASSERT_TRUE(ApplyEnvironment(c, envp));
  EXPECT_EQ(c.listen, "127.0.0.1:2");
  ASSERT_TRUE(ApplySettings(c, {{"listen", "127.0.0.1:3"}}, "flags"));
  EXPECT_EQ(c.listen, "127.0.0.1:3");
  EXPECT_EQ(c.access_log, "off");
}

TEST(Config, RejectsBadValuesWithTheKeyInTheMessage) {
  Config c;
  auto r = ApplySettings(c, {{"max_body_bytes", "12x"}}, "flags");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("max_body_bytes"), std::string::npos);
  EXPECT_FALSE(ApplySettings(c, {{"nope", "1"}}, "flags"));
  EXPECT_FALSE(ApplySettings(c, {{"sweep_interval_s", "61"}}, "flags"));
  c.expires_date_order = "ymd";
  EXPECT_FALSE(Validate(c));
  std::string path = ::testing::TempDir() + "/rampart_bad.toml";
  std::ofstream(path) << "listen = [1, 2]\n";
  EXPECT_FALSE(ApplyTomlFile(c, path));
}

// Address lists read as TOML arrays too (and stay comma-separated strings in flags and env).
TEST(Config, ListSettingsTakeTomlArraysOfStrings) {
  Config c;
  std::string path = ::testing::TempDir() + "/rampart_lists.toml";
  std::ofstream(path) << "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.1\"]\nwebhook_denied_networks = []\n";
  ASSERT_TRUE(ApplyTomlFile(c, path));
  EXPECT_EQ(c.trusted_proxies, "10.0.0.0/8,192.0.2.1");
  EXPECT_EQ(c.webhook_denied_networks, "");
  std::ofstream(path) << "trusted_proxies = [\"10.0.0.0/8\", 3]\n";
  auto bad = ApplyTomlFile(c, path);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("trusted_proxies: expected an array of strings"), std::string::npos);
  std::ofstream(path) << "hawk_skew_s = [60]\n";  // not a list setting
  EXPECT_FALSE(ApplyTomlFile(c, path));
}

}  // namespace rampart::app
