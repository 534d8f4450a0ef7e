#include "net/ip_matcher.hpp"

#include <gtest/gtest.h>

#include <random>

namespace rampart::net {
namespace {

struct Entry {
  IpRange range;
  int specificity;  // smaller span = more specific; used by the oracle
};

// Oracle: among entries containing `a`, the one with the smallest covering prefix. For ranges,
// the relevant prefix is the covering prefix of the split that contains `a`.
std::optional<U128> OraclePrefixSpan(const std::vector<Entry>& entries, const IpAddress& a) {
  std::optional<U128> best;
  for (const auto& e : entries) {
    for (const auto& p : e.range.ToPrefixes()) {
      if (p.Contains(a)) {
        U128 span = RangeOf(p).Size();
        if (!best || span < *best) best = span;
      }
    }
  }
  return best;
}

}  // namespace

TEST(IpMatcher, AgreesWithBruteForceOnRandomData) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<Entry> entries;
    IpMatcher m;
    // Cluster addresses in a small space so that overlaps and nesting actually happen.
    auto rand_addr = [&] { return static_cast<uint32_t>(0x0a000000u + rng() % 4096); };
    for (uint32_t id = 0; id < 200; ++id) {
      IpRange r;
      if (rng() % 3 == 0) {
        uint32_t a = rand_addr(), b = a + static_cast<uint32_t>(rng() % 64);
        r = {{Family::kV4, a}, {Family::kV4, b}};
        m.Add(r, id);
      } else {
        int len = 20 + static_cast<int>(rng() % 13);
        IpNetwork n{{Family::kV4, rand_addr() & PrefixMask(Family::kV4, len)}, len};
        r = RangeOf(n);
        m.Add(n, id);
      }
      entries.push_back({r, 0});
    }
    m.Seal();
    for (int q = 0; q < 2000; ++q) {
      IpAddress a{Family::kV4, 0x0a000000u + rng() % 5000};
      auto got = m.Match(a);
      auto want = OraclePrefixSpan(entries, a);
      ASSERT_EQ(got.has_value(), want.has_value()) << a.ToString();
      if (got) {
        // The matched entry must contain the address, and be as specific as the oracle's best.
        EXPECT_TRUE(entries[*got].range.first.bits <= a.bits && a.bits <= entries[*got].range.last.bits);
        auto span_of_match = OraclePrefixSpan({entries[*got]}, a);
        EXPECT_EQ(*span_of_match, *want) << a.ToString();
      }
    }
  }
}

TEST(IpMatcher, SeparatesFamilies) {
  IpMatcher m;
  m.Add(*IpNetwork::Parse("2600::/32"), 1);
  m.Add(*IpNetwork::Parse("38.0.0.0/16"), 2);
  m.Seal();
  EXPECT_EQ(m.Match(*IpAddress::Parse("2600::1")), 1u);
  EXPECT_EQ(m.Match(*IpAddress::Parse("38.0.1.1")), 2u);
  EXPECT_FALSE(m.Match(*IpAddress::Parse("::2600:0:0:1")));
}

}  // namespace rampart::net
