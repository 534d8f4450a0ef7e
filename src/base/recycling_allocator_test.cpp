#include "base/recycling_allocator.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <set>
#include <thread>

namespace rampart {
namespace {

struct Big {
  std::array<char, 1200> bytes{};
  int value = 0;
};

TEST(RecyclingAllocator, SharedObjectsAreMadeAndDestroyedNormally) {
  auto a = std::allocate_shared<Big>(RecyclingAllocator<Big>());
  a->value = 7;
  auto b = std::allocate_shared<Big>(RecyclingAllocator<Big>());
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(b->value, 0);  // constructed afresh, whatever the block held
  a.reset();
  auto c = std::allocate_shared<Big>(RecyclingAllocator<Big>());
  EXPECT_EQ(c->value, 0);
  EXPECT_NE(c.get(), b.get());
}

#ifndef __SANITIZE_ADDRESS__
TEST(RecyclingAllocator, AFreedBlockIsHandedOutAgainOnItsThread) {
  RecyclingAllocator<Big> alloc;
  Big* first = alloc.allocate(1);
  alloc.deallocate(first, 1);
  Big* again = alloc.allocate(1);
  EXPECT_EQ(again, first);
  alloc.deallocate(again, 1);
  // Another thread has its own list: it gets a fresh block, and keeps the one it frees.
  Big* other = nullptr;
  std::thread([&] {
    other = alloc.allocate(1);
    alloc.deallocate(other, 1);
    EXPECT_EQ(alloc.allocate(1), other);
    alloc.deallocate(other, 1);
  }).join();
  EXPECT_NE(other, first);
}

TEST(RecyclingAllocator, KeepsAtMostKKeepBlocks) {
  RecyclingAllocator<Big> alloc;
  std::vector<Big*> blocks;
  for (size_t i = 0; i < RecyclingAllocator<Big>::kKeep + 10; ++i) blocks.push_back(alloc.allocate(1));
  for (Big* p : blocks) alloc.deallocate(p, 1);
  std::set<Big*> handed;
  for (size_t i = 0; i < RecyclingAllocator<Big>::kKeep; ++i) handed.insert(alloc.allocate(1));
  const std::set<Big*> kept(blocks.begin(), blocks.begin() + RecyclingAllocator<Big>::kKeep);
  EXPECT_EQ(handed, kept);  // the first kKeep freed are the ones kept; the rest went to malloc
  for (Big* p : handed) alloc.deallocate(p, 1);
}
#endif

}  // namespace
}  // namespace rampart
