// Grouping by serial (assembler.hpp): EOE, standalone user-space records, interleaving, a lost
// EOE given up on by time, and the bounds.
#include "audit/assembler.hpp"

#include <gtest/gtest.h>

namespace rampart::audit {
namespace {

Record R(std::string type, uint64_t serial, int64_t ms = 1000) { return Record{std::move(type), ms, serial, {}, {}}; }

TEST(AuditAssembler, EoeCompletesAndInterleavedSerialsStayApart) {
  Assembler a;
  std::vector<Assembler::Group> out;
  a.Add(R("SYSCALL", 1), out);
  a.Add(R("SYSCALL", 2), out);
  a.Add(R("EXECVE", 1), out);
  a.Add(R("CWD", 2), out);
  EXPECT_TRUE(out.empty());
  a.Add(R("EOE", 2), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].size(), 2u);
  EXPECT_EQ(out[0][1].type, "CWD");
  a.Add(R("EOE", 1), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1][1].type, "EXECVE");
  EXPECT_EQ(a.pending(), 0u);
  EXPECT_EQ(a.incomplete(), 0u);
  a.Add(R("EOE", 9), out);  // an EOE of nothing open is nothing
  EXPECT_EQ(out.size(), 2u);
}

TEST(AuditAssembler, UserSpaceRecordsAreEventsOnTheirOwn) {
  Assembler a;
  std::vector<Assembler::Group> out;
  a.Add(R("USER_LOGIN", 5), out);
  a.Add(R("CRED_ACQ", 6), out);
  a.Add(R("LOGIN", 7), out);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(a.pending(), 0u);
}

TEST(AuditAssembler, ALostEoeIsGivenUpOnByRecordTime) {
  Assembler a({.max_records = 64, .max_pending = 256, .stale_after_ms = 2000});
  std::vector<Assembler::Group> out;
  a.Add(R("SYSCALL", 1, 1000), out);
  a.Add(R("SYSCALL", 2, 2500), out);
  EXPECT_TRUE(out.empty());
  a.Add(R("SYSCALL", 3, 3001), out);  // 2001 ms after serial 1
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0][0].serial, 1u);
  EXPECT_EQ(a.incomplete(), 1u);
  a.Expire(10'000, out);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(a.incomplete(), 3u);
}

TEST(AuditAssembler, OpenGroupsAndTheirRecordsAreBounded) {
  Assembler a({.max_records = 3, .max_pending = 2, .stale_after_ms = 2000});
  std::vector<Assembler::Group> out;
  for (int i = 0; i < 5; ++i) a.Add(R("PATH", 1), out);
  EXPECT_EQ(a.dropped_records(), 2u);
  a.Add(R("SYSCALL", 2), out);
  a.Add(R("SYSCALL", 3), out);  // a third open group: the oldest goes
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].size(), 3u);
  EXPECT_EQ(a.pending(), 2u);
  a.Drain(out);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(a.pending(), 0u);
}

}  // namespace
}  // namespace rampart::audit
