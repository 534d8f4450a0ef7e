#include "auth/bearer.hpp"

#include <gtest/gtest.h>

namespace rampart::auth {
namespace {

TEST(TokenFormat, SecretIsNotStoredAndMatchesOnlyItself) {
  NewKey k = MakeKey();
  auto parts = SplitToken(k.token.Reveal());
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, k.id);
  EXPECT_EQ(k.secret_hash.size(), 64u);
  EXPECT_EQ(k.secret_hash.find(parts->secret.Reveal()), std::string::npos);
  EXPECT_TRUE(SecretMatches(parts->secret, k.secret_hash));
  std::string other = parts->secret.Reveal();
  other[0] = other[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(SecretMatches(Secret(other), k.secret_hash));
  EXPECT_FALSE(SplitToken("rpt_0000000000000000_short"));
  EXPECT_FALSE(SplitToken("rpt_000000000000000G_" + std::string(43, 'A')));  // the id is lower-case hex
  EXPECT_EQ(*BearerValue("  bearer   abc "), "abc");
  EXPECT_FALSE(BearerValue("Basic abc"));
}

TEST(Permissions, ParseEveryServiceAtItsLevel) {
  EXPECT_EQ(*ParsePermissions("userlists:read,policies:write"), (Permissions{Level::kRead, Level::kWrite}));
  EXPECT_EQ(*ParsePermissions(" policies:read "), (Permissions{Level::kNone, Level::kRead}));
  EXPECT_EQ(*ParsePermissions("write"), (Permissions{Level::kWrite, Level::kWrite}));
  EXPECT_EQ(*ParsePermissions("read"), (Permissions{Level::kRead, Level::kRead}));
  for (const char* bad : {"", "userlists", "userlists:admin", "devices:read", "userlists:read,userlists:write",
                          "userlists:read,,policies:read"}) {
    EXPECT_FALSE(ParsePermissions(bad)) << bad;
  }
  EXPECT_EQ(FormatPermissions({Level::kWrite, Level::kNone}), "userlists:write");
  EXPECT_EQ(FormatPermissions(*ParsePermissions("policies:write,userlists:read")), "userlists:read,policies:write");
  Permissions p{Level::kRead, Level::kWrite};
  EXPECT_TRUE(p.Allows(Service::kUserlists, false));
  EXPECT_FALSE(p.Allows(Service::kUserlists, true));
  EXPECT_TRUE(p.Allows(Service::kPolicies, true));
  EXPECT_FALSE(Permissions{}.Allows(Service::kPolicies, false));
}

}  // namespace
}  // namespace rampart::auth
