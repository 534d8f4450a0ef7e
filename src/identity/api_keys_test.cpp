#include "identity/api_keys.hpp"

#include <gtest/gtest.h>

namespace rampart::identity {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOrg = "0123456789abcdef01234567";

class ApiKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(*store::OpenSqliteStore({":memory:"}));
    ASSERT_TRUE(db_->CreateOrg({kOrg, "demo", 0}));
  }
  std::string Issue(const char* perms, std::optional<SysTime> expires = std::nullopt, const char* networks = "") {
    ApiKeyService keys(*db_, clock_, 0ms);
    auto k = keys.Create(kOrg, {*auth::ParsePermissions(perms), *ParseNetworks(networks), "test", expires});
    EXPECT_TRUE(k);
    return "Bearer " + k->token.Reveal();
  }
  FakeClock clock_{SysTime(1700000000s)};
  std::unique_ptr<store::Store> db_;
};

// The refusal as the surface sees it: the class and the reason.
std::pair<Errc, Reason> Why(const Result<Principal>& r) {
  return r ? std::pair(Errc::kInternal, Reason::kNone) : std::pair(r.error().code, r.error().reason);
}
const auto kRefused = std::pair(Errc::kForbidden, Reason::kBadCredentials);
const auto kExpired = std::pair(Errc::kForbidden, Reason::kExpiredCredentials);

TEST_F(ApiKeysTest, KeysCarryTheirOrganizationAndPermissions) {
  ApiKeyService auth(*db_, clock_, 5s);
  auto w = auth.Authenticate(Issue("write"), "127.0.0.1");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->org_id, kOrg);
  EXPECT_EQ(w->kind, Principal::Kind::kApiKey);
  EXPECT_EQ(w->Actor(), "key:" + w->id);
  EXPECT_TRUE(w->perms.Allows(auth::Service::kPolicies, true));
  auto r = auth.Authenticate(Issue("userlists:read"), "127.0.0.1");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->perms.Allows(auth::Service::kUserlists, false));
  EXPECT_FALSE(r->perms.Allows(auth::Service::kUserlists, true));
  EXPECT_FALSE(r->perms.Allows(auth::Service::kPolicies, false));
  EXPECT_FALSE(ApiKeyService(*db_, clock_, 0ms).Create("nope", {}));  // no such organization
}

TEST_F(ApiKeysTest, Rejections) {
  ApiKeyService auth(*db_, clock_, 5s);
  std::string good = Issue("write");
  EXPECT_EQ(Why(auth.Authenticate("", "")), std::pair(Errc::kUnauthorized, Reason::kNone));
  EXPECT_EQ(Why(auth.Authenticate("Basic abc", "")), std::pair(Errc::kUnauthorized, Reason::kNone));
  EXPECT_EQ(Why(auth.Authenticate("Bearer nonsense", "")), kRefused);
  std::string tampered = good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Why(auth.Authenticate(tampered, "")), kRefused);
  EXPECT_EQ(Why(auth.Authenticate("Bearer rpt_0000000000000000_" + std::string(43, 'A'), "")), kRefused);
}

TEST_F(ApiKeysTest, AllowedNetworks) {
  ApiKeyService auth(*db_, clock_, 5s);
  std::string key = Issue("write", std::nullopt, "10.0.0.0/8, 2001:db8::/32, 192.0.2.7");
  EXPECT_TRUE(auth.Authenticate(key, "10.1.2.3"));
  EXPECT_TRUE(auth.Authenticate(key, "2001:db8::1"));
  EXPECT_TRUE(auth.Authenticate(key, "192.0.2.7"));
  EXPECT_TRUE(auth.Authenticate(key, "::ffff:10.1.2.3"));  // an IPv4 client on an IPv6 listener
  EXPECT_EQ(Why(auth.Authenticate(key, "::ffff:11.1.2.3")), kRefused);
  EXPECT_EQ(Why(auth.Authenticate(key, "192.0.2.8")), kRefused);
  EXPECT_EQ(Why(*auth.TryCached(key, "11.0.0.1")), kRefused);  // checked on a cache hit too
  EXPECT_EQ(Why(auth.Authenticate(key, "not an address")), kRefused);
  EXPECT_FALSE(ParseNetworks("10.0.0.0/8, nonsense"));
}

TEST_F(ApiKeysTest, ExpiryAndRevocationAfterCacheTtl) {
  ApiKeyService auth(*db_, clock_, 5s);
  std::string expiring = Issue("userlists:read", clock_.Now() + 3s);
  EXPECT_TRUE(auth.Authenticate(expiring, ""));
  clock_.Advance(3s);
  auto cached = auth.TryCached(expiring, "");
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(Why(*cached), kExpired);  // expiry is checked even on a cache hit
  clock_.Advance(1h);
  EXPECT_EQ(Why(auth.Authenticate(expiring, "")), kExpired);

  std::string revoked = Issue("write");
  ASSERT_TRUE(auth.Authenticate(revoked, ""));
  auto id = auth::SplitToken(revoked.substr(7))->id;
  ASSERT_TRUE(*db_->RevokeApiKey(id, 0));  // as another process (the CLI) would
  EXPECT_TRUE(auth.TryCached(revoked, "").has_value());  // still cached within the TTL
  clock_.Advance(5s);
  EXPECT_FALSE(auth.TryCached(revoked, "").has_value());  // cache entry stale: ask the store
  EXPECT_EQ(Why(auth.Authenticate(revoked, "")), kRefused);
  // Revoked through the service: refused at once, cache or not.
  std::string now_revoked = Issue("write");
  ASSERT_TRUE(auth.Authenticate(now_revoked, ""));
  ASSERT_TRUE(*auth.Revoke(auth::SplitToken(now_revoked.substr(7))->id));
  EXPECT_EQ(Why(auth.Authenticate(now_revoked, "")), kRefused);
}

TEST_F(ApiKeysTest, UsageIsBatchedForTheStore) {
  ApiKeyService auth(*db_, clock_, 5s);
  std::string key = Issue("write");
  ASSERT_TRUE(auth.Authenticate(key, ""));
  clock_.Advance(10s);
  ASSERT_TRUE(auth.Authenticate(key, ""));
  auto used = auth.TakeUsage();
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0].second, UnixMillis(clock_.Now()));
  EXPECT_TRUE(auth.TakeUsage().empty());
  ASSERT_TRUE(db_->TouchApiKeys(used));
  EXPECT_EQ((*db_->FindApiKey(used[0].first))->last_used_at_ms, UnixMillis(clock_.Now()));
}

}  // namespace
}  // namespace rampart::identity
