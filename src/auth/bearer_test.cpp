#include "auth/bearer.hpp"

#include <gtest/gtest.h>

namespace rampart::auth {
namespace {

using namespace std::chrono_literals;

class BearerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(*store::OpenSqliteStore({":memory:"}));
    ASSERT_TRUE(db_->CreateAccount({"acct", "demo", 0}));
  }
  std::string Issue(const char* perm, std::optional<SysTime> expires = std::nullopt) {
    IssuedToken t = IssueToken("acct", perm, "test", expires, clock_.Now());
    EXPECT_TRUE(db_->CreateToken(t.record));
    return "Bearer " + t.token;
  }
  FakeClock clock_{SysTime(1700000000s)};
  std::unique_ptr<store::Store> db_;
};

int Code(const Result<Principal>& r) { return r ? 0 : r.error().ext; }

TEST_F(BearerTest, ValidReadAndWriteTokens) {
  TokenAuthenticator auth(*db_, clock_, 5s);
  auto w = auth.Authenticate(Issue(kPermWrite));
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->can_write);
  EXPECT_EQ(w->account_id, "acct");
  auto r = auth.Authenticate(Issue(kPermRead));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->can_write);
}

TEST_F(BearerTest, Rejections) {
  TokenAuthenticator auth(*db_, clock_, 5s);
  std::string good = Issue(kPermWrite);
  EXPECT_EQ(Code(auth.Authenticate("")), 11000);
  EXPECT_EQ(Code(auth.Authenticate("Basic abc")), 11000);
  EXPECT_EQ(Code(auth.Authenticate("Bearer nonsense")), 11001);
  std::string tampered = good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Code(auth.Authenticate(tampered)), 11001);
  std::string unknown = "Bearer rpt_0000000000000000_" + std::string(43, 'A');
  EXPECT_EQ(Code(auth.Authenticate(unknown)), 11001);
  EXPECT_EQ(auth.Authenticate(tampered).error().code, Errc::kForbidden);
  EXPECT_EQ(auth.Authenticate("").error().code, Errc::kUnauthenticated);
}

TEST_F(BearerTest, ExpiryAndRevocationAfterCacheTtl) {
  TokenAuthenticator auth(*db_, clock_, 5s);
  std::string expiring = Issue(kPermRead, clock_.Now() + 3s);
  EXPECT_EQ(Code(auth.Authenticate(expiring)), 0);
  clock_.Advance(3s);
  auto cached = auth.TryCached(expiring);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(Code(*cached), 11002);  // expiry is checked even on a cache hit
  clock_.Advance(1h);
  EXPECT_EQ(Code(auth.Authenticate(expiring)), 11002);

  std::string revoked = Issue(kPermWrite);
  ASSERT_TRUE(auth.Authenticate(revoked));
  auto id = SplitToken(revoked.substr(7))->id;
  ASSERT_TRUE(*db_->RevokeToken(id, 0));
  EXPECT_TRUE(auth.TryCached(revoked).has_value());  // still cached within the TTL
  clock_.Advance(5s);
  EXPECT_FALSE(auth.TryCached(revoked).has_value());  // cache entry stale: ask the store
  EXPECT_EQ(Code(auth.Authenticate(revoked)), 11001);
}

TEST(TokenFormat, SecretIsNotStored) {
  IssuedToken t = IssueToken("a", kPermRead, "", std::nullopt, SysTime{});
  auto parts = SplitToken(t.token);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, t.record.id);
  EXPECT_EQ(t.record.secret_hash.size(), 64u);
  EXPECT_EQ(t.record.secret_hash.find(parts->secret), std::string::npos);
}

}  // namespace
}  // namespace rampart::auth
