#include "identity/identity.hpp"

#include <gtest/gtest.h>

namespace rampart::identity {
namespace {

using namespace std::chrono_literals;

TEST(IdentityIds, HexIds) {
  std::string id = NewHexId(SysTime(1700000000s));
  EXPECT_EQ(id.size(), 24u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id.substr(0, 8), "6553f100");  // 1700000000 seconds, big-endian
}

TEST(Identity, UserKeysRotationAndRoles) {
  FakeClock clock{SysTime(1700000000s)};
  auto db = std::move(*store::OpenSqliteStore({":memory:"}));
  crypto::SecretBox box(std::array<uint8_t, 32>{1, 2, 3});
  IdentityService svc(*db, box, clock);
  auto org = svc.CreateOrg("Acme");
  ASSERT_TRUE(org);
  EXPECT_FALSE(svc.CreateUser("Acme", Role::kUser, "not-an-email"));
  auto creds = svc.CreateUser("Acme", Role::kReader, "soc@acme.example");
  ASSERT_TRUE(creds) << creds.error().detail;
  EXPECT_EQ(creds->org_id, org->id);
  EXPECT_EQ(creds->api_key.size(), 40u);
  EXPECT_EQ(*svc.RoleIn(creds->user_id, org->id), Role::kReader);
  // The key is stored sealed, and the same key is shown again on request.
  auto again = svc.Key(creds->user_id, "", false, 0s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->api_key.Reveal(), creds->api_key.Reveal());
  auto lookup = svc.CredentialsFor(creds->user_id);
  ASSERT_EQ(lookup.size(), 1u);
  EXPECT_EQ(*lookup[0].key, creds->api_key.Reveal());
  // Rotation keeps the old key for the grace period, then drops it.
  auto rotated = svc.Key(creds->user_id, org->id, true, 3600s);
  ASSERT_TRUE(rotated);
  EXPECT_NE(rotated->api_key.Reveal(), creds->api_key.Reveal());
  EXPECT_EQ(svc.CredentialsFor(creds->user_id).size(), 2u);
  EXPECT_EQ(svc.Key(creds->user_id, "", false, 0s)->api_key.Reveal(), rotated->api_key.Reveal());
  clock.Advance(3600s);
  auto after = svc.CredentialsFor(creds->user_id);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(*after[0].key, rotated->api_key.Reveal());
  // Another organization.
  ASSERT_TRUE(svc.CreateOrg("Beta"));
  EXPECT_FALSE(svc.RoleIn(creds->user_id, (*db->FindOrg("Beta"))->id));
  ASSERT_TRUE(svc.AddToOrg("soc@acme.example", "Beta", Role::kOwner));
  EXPECT_EQ(*svc.RoleIn(creds->user_id, (*db->FindOrg("Beta"))->id), Role::kOwner);
  EXPECT_FALSE(svc.Key("nobody@x.example", "", false, 0s));
}

TEST(Identity, CacheServesWithinTtlAndSeesOutsideChangesAfterIt) {
  FakeClock clock{SysTime(1700000000s)};
  auto db = std::move(*store::OpenSqliteStore({":memory:"}));
  crypto::SecretBox box(std::array<uint8_t, 32>{4});
  IdentityService svc(*db, box, clock, 5000);
  ASSERT_TRUE(svc.CreateOrg("Acme"));
  auto creds = svc.CreateUser("Acme", Role::kUser, "a@acme.example");
  ASSERT_TRUE(creds);
  EXPECT_FALSE(svc.IsCached(creds->user_id));
  EXPECT_EQ(svc.CredentialsFor(creds->user_id).size(), 1u);
  EXPECT_TRUE(svc.IsCached(creds->user_id));
  // A change written straight to the store (as another process would) is not seen within the TTL…
  ASSERT_TRUE(db->PutMembership({creds->user_id, creds->org_id, "reader"}, std::nullopt));
  EXPECT_EQ(*svc.RoleIn(creds->user_id, creds->org_id), Role::kUser);
  clock.Advance(5s);
  // …and is seen after it.
  EXPECT_FALSE(svc.IsCached(creds->user_id));
  EXPECT_EQ(*svc.RoleIn(creds->user_id, creds->org_id), Role::kReader);
  // Changes through the service apply at once.
  ASSERT_TRUE(svc.AddToOrg(creds->user_id, "Acme", Role::kOwner));
  EXPECT_EQ(*svc.RoleIn(creds->user_id, creds->org_id), Role::kOwner);
  // Unknown users are remembered as unknown (no credentials), not retried per request.
  EXPECT_TRUE(svc.CredentialsFor("0123456789abcdef01234567").empty());
  EXPECT_TRUE(svc.IsCached("0123456789abcdef01234567"));
}

}  // namespace
// A lookup that is not cached (an unknown user on the I/O thread, or a load that raced a Forget) is
// owned only by the caller: it must outlive the loop over it (ASan caught a range-for over a
// temporary here).
TEST(Identity, UncachedLookupsOutliveTheirUse) {
  auto db = std::move(*store::OpenSqliteStore({":memory:"}));
  crypto::SecretBox box{std::array<uint8_t, crypto::SecretBox::kKeyBytes>{}};
  FakeClock clock{SysTime(std::chrono::seconds(1700000000))};
  IdentityService svc(*db, box, clock);
  EXPECT_FALSE(svc.RoleIn("aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", /*may_load=*/false));
  EXPECT_TRUE(svc.CredentialsFor("aaaaaaaaaaaaaaaaaaaaaaaa", /*may_load=*/false).empty());
}

}  // namespace rampart::identity
