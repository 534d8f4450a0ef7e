#include <gtest/gtest.h>

#include "dns/message.hpp"

namespace rampart::dns {
namespace {

std::vector<uint8_t> QueryFor(const char* name, uint16_t type, std::optional<uint32_t> ixfr_serial = {}) {
  Writer w;
  w.PutHeader({0x1234, false, false, false, false, kOpQuery, 0, 1, 0, uint16_t(ixfr_serial ? 1 : 0), 0});
  EXPECT_TRUE(w.PutName(name));
  w.PutU16(type);
  w.PutU16(kClassIn);
  if (ixfr_serial) {
    w.PutNameUnderOrigin("");
    size_t at = w.BeginRr(kTypeSoa, kClassIn, 0);
    w.PutSoaRdata({"ns", "hostmaster", *ixfr_serial, 1, 2, 3, 4});
    w.EndRdata(at);
  }
  return w.bytes();
}

TEST(Message, ParsesQueriesAndIxfrSerial) {
  auto q = ParseMessage(QueryFor("Corp.RPZ.Rampart", kTypeAxfr));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->header.id, 0x1234);
  EXPECT_EQ(q->qname, "corp.rpz.rampart");
  EXPECT_EQ(q->qtype, kTypeAxfr);
  EXPECT_FALSE(q->client_serial);
  auto ix = ParseMessage(QueryFor("corp.rpz.rampart", kTypeIxfr, 2026112201));
  ASSERT_TRUE(ix);
  EXPECT_EQ(ix->client_serial, 2026112201u);
}

TEST(Message, RejectsMalformed) {
  auto wire = QueryFor("a.example", kTypeSoa);
  for (size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(ParseMessage(std::span(wire.data(), n))) << "truncated at " << n;
  }
  // A compression pointer to itself (a loop) and one pointing forward.
  std::vector<uint8_t> loop = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 6, 0, 1};
  EXPECT_FALSE(ParseMessage(loop));
  std::vector<uint8_t> forward = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 0, 6, 0, 1};
  EXPECT_FALSE(ParseMessage(forward));
  // A name pointing into the header (found by the fuzzer: the echoed question changed meaning).
  std::vector<uint8_t> into_header = {0x20, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 6, 0, 1};
  EXPECT_FALSE(ParseMessage(into_header));
  // A name that jumps back into itself and reads past the pointer (fuzzer: overlapping names).
  // Label "\x05" at 12, then a pointer to 13: read as a 5-byte label, it runs over the pointer.
  std::vector<uint8_t> overlap = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 5, 0xC0, 13, 0, 6, 0, 1, 0, 0, 6, 0, 1};
  EXPECT_FALSE(ParseMessage(overlap));
  // IXFR without the client's SOA.
  EXPECT_FALSE(ParseMessage(QueryFor("a.example", kTypeIxfr)));
  // Two questions.
  auto two = QueryFor("a.example", kTypeSoa);
  two[5] = 2;
  EXPECT_FALSE(ParseMessage(two));
}

TEST(Message, NamesUnderOriginUseOnePointer) {
  Writer w;
  w.PutHeader({});
  w.PutName("z.test");
  const size_t before = w.size();
  ASSERT_TRUE(w.PutNameUnderOrigin("bad.example"));
  EXPECT_EQ(w.size() - before, 1 + 3 + 1 + 7 + 2u);
  size_t pos = before;
  EXPECT_EQ(ReadName(w.bytes(), pos), "bad.example.z.test");
  EXPECT_EQ(pos, w.size());
  EXPECT_FALSE(w.PutNameUnderOrigin("a..b"));
  EXPECT_FALSE(w.PutName(std::string(64, 'x')));
}

TEST(Message, CompressedNamesShareSuffixes) {
  Writer w;
  w.PutHeader({});
  w.PutName("z.test");
  const size_t a = w.size();
  ASSERT_TRUE(w.PutNameCompressed("host1.bench.example"));
  const size_t b = w.size();
  ASSERT_TRUE(w.PutNameCompressed("host2.bench.example"));
  EXPECT_EQ(w.size() - b, 1 + 5 + 2u);  // "host2" + a pointer to "bench.example…"
  ASSERT_TRUE(w.PutNameCompressed("*.host2.bench.example"));
  EXPECT_EQ(w.size() - b, 8 + 2 + 2u);
  size_t p = a;
  EXPECT_EQ(ReadName(w.bytes(), p), "host1.bench.example.z.test");
  p = b;
  EXPECT_EQ(ReadName(w.bytes(), p), "host2.bench.example.z.test");
  EXPECT_EQ(ReadName(w.bytes(), p), "*.host2.bench.example.z.test");
  w.Truncate(b);  // forgets the suffixes written after b
  ASSERT_TRUE(w.PutNameCompressed("host2.bench.example"));
  EXPECT_EQ(w.size() - b, 1 + 5 + 2u);
}

TEST(Serial, Rfc1982) {
  EXPECT_TRUE(SerialNewer(2, 1));
  EXPECT_FALSE(SerialNewer(1, 2));
  EXPECT_FALSE(SerialNewer(5, 5));
  EXPECT_TRUE(SerialNewer(1, 0xFFFFFFFFu));  // wraps
  EXPECT_FALSE(SerialNewer(0x80000000u, 0));  // exactly 2^31 apart: undefined, not newer
}

}  // namespace
}  // namespace rampart::dns
