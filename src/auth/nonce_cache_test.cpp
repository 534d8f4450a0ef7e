#include "auth/nonce_cache.hpp"

#include <gtest/gtest.h>

namespace rampart::auth {

TEST(NonceCache, ReplayWithinWindowThenForgotten) {
  NonceCache c(1000, 4);
  EXPECT_EQ(c.Insert("org", "id", "n1", "100", 160000, 100000), NonceCache::Verdict::kFresh);
  EXPECT_EQ(c.Insert("org", "id", "n1", "100", 160000, 150000), NonceCache::Verdict::kReplay);
  EXPECT_EQ(c.Insert("org", "id", "n1", "101", 161000, 150000), NonceCache::Verdict::kFresh);  // other ts
  EXPECT_EQ(c.Insert("org", "other", "n1", "100", 160000, 150000), NonceCache::Verdict::kFresh);  // other id
  EXPECT_EQ(c.size(), 3u);
  // Past its retention the entry is dropped (the request would be stale anyway).
  EXPECT_EQ(c.Insert("org", "id", "n2", "200", 260000, 160000), NonceCache::Verdict::kFresh);
  EXPECT_EQ(c.Insert("org", "id", "n1", "100", 160000, 160001), NonceCache::Verdict::kFresh);
}

TEST(NonceCache, FailsClosedWhenFull) {
  NonceCache c(4, 1, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(c.Insert("org", "id", "n" + std::to_string(i), "1", 100000, 0), NonceCache::Verdict::kFresh);
  }
  EXPECT_EQ(c.Insert("org", "id", "n9", "1", 100000, 0), NonceCache::Verdict::kFull);
  EXPECT_EQ(c.Insert("org", "id", "n0", "1", 100000, 0), NonceCache::Verdict::kReplay);  // still detected
  EXPECT_EQ(c.Insert("org", "id", "n9", "1", 200000, 100000), NonceCache::Verdict::kFresh);  // room after expiry
}

TEST(NonceCache, OneScopeFillingItsShareLeavesRoomForOthers) {
  NonceCache c(8, 1, 3);  // three per organization
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.Insert("greedy", "u", "n" + std::to_string(i), "1", 100000, 0), NonceCache::Verdict::kFresh);
  }
  EXPECT_EQ(c.Insert("greedy", "u", "n3", "1", 100000, 0), NonceCache::Verdict::kFull);
  EXPECT_EQ(c.Insert("other", "v", "n0", "1", 100000, 0), NonceCache::Verdict::kFresh);  // its own share
  EXPECT_EQ(c.Insert("greedy", "u", "n0", "1", 100000, 0), NonceCache::Verdict::kReplay);
  // Expired nonces give the share back (all four expire at 100000).
  EXPECT_EQ(c.Insert("greedy", "u", "n4", "2", 200000, 100000), NonceCache::Verdict::kFresh);
  EXPECT_EQ(c.size(), 1u);
}

}  // namespace rampart::auth
