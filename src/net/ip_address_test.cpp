#include "net/ip_address.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <random>

namespace rampart::net {

TEST(IpAddress, ParsesAndCanonicalizes) {
  EXPECT_EQ(IpAddress::Parse("1.2.3.4")->ToString(), "1.2.3.4");
  for (const char* v4 : {"0.0.0.0", "255.255.255.255", "10.100.9.200", "1.0.10.100", "99.199.9.90"}) {
    EXPECT_EQ(IpAddress::Parse(v4)->ToString(), v4);
  }
  EXPECT_EQ(IpAddress::Parse("2001:DB8:0:0:0:0:0:1")->ToString(), "2001:db8::1");
  EXPECT_EQ(IpAddress::Parse("2001:0db8:0000:0000:0001:0000:0000:0001")->ToString(),
            "2001:db8::1:0:0:1");
  EXPECT_FALSE(IpAddress::Parse("1.2.3"));
  EXPECT_FALSE(IpAddress::Parse("1.2.3.256"));
  EXPECT_FALSE(IpAddress::Parse("01.2.3.4"));
  EXPECT_FALSE(IpAddress::Parse(" 1.2.3.4"));
  EXPECT_FALSE(IpAddress::Parse("example.com"));
  EXPECT_FALSE(IpAddress::Parse(""));
}

// The hand-written IPv4 parser agrees with glibc's inet_pton on every text tried, and what it
// accepts is already canonical (check_ioc echoes an accepted text as is).
TEST(IpAddress, DottedQuadAgreesWithInetPton) {
  std::mt19937 rng(11);
  const std::string alphabet = "0123456789..";
  auto check = [](const std::string& s) {
    in_addr a4{};
    const bool libc = inet_pton(AF_INET, s.c_str(), &a4) == 1;
    auto ours = IpAddress::Parse(s);
    ASSERT_EQ(ours.has_value(), libc) << "'" << s << "'";
    if (!libc) return;
    EXPECT_EQ(ours->bits, U128(ntohl(a4.s_addr))) << s;
    EXPECT_EQ(ours->ToString(), s);
  };
  for (int i = 0; i < 200000; ++i) {
    std::string s(rng() % 18, '0');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    check(s);
  }
  for (int i = 0; i < 20000; ++i) {  // near-valid: four octets with sometimes a stray zero or digit
    std::string s;
    for (int o = 0; o < 4; ++o) {
      if (o) s += '.';
      if (rng() % 8 == 0) s += '0';
      s += std::to_string(rng() % 300);
    }
    if (rng() % 10 == 0) s += rng() % 2 ? "." : "1";
    check(s);
  }
  for (const char* s : {"1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4 ", "256.0.0.0", "0.0.0.00"}) check(s);
}

TEST(IpNetwork, ClearsHostBits) {
  auto n = IpNetwork::Parse("4.3.2.1/24");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->ToString(), "4.3.2.0/24");
  EXPECT_EQ(IpNetwork::Parse("4.3.2.1/32")->ToString(), "4.3.2.1/32");
  EXPECT_EQ(IpNetwork::Parse("2600:1:2:3::5/48")->ToString(), "2600:1:2::/48");
  EXPECT_FALSE(IpNetwork::Parse("1.2.3.4/33"));
  EXPECT_FALSE(IpNetwork::Parse("1.2.3.4/"));
  EXPECT_FALSE(IpNetwork::Parse("1.2.3.4/+8"));
  EXPECT_FALSE(IpNetwork::Parse("1.2.3.4/0x8"));
  EXPECT_TRUE(IpNetwork::Parse("1.2.3.4/24")->Contains(*IpAddress::Parse("1.2.3.255")));
  EXPECT_FALSE(IpNetwork::Parse("1.2.3.4/24")->Contains(*IpAddress::Parse("1.2.4.0")));
}

TEST(IpRange, ParsesAndSizes) {
  auto r = IpRange::Parse("1.2.3.4 - 1.2.3.10");
  ASSERT_TRUE(r);
  EXPECT_EQ(static_cast<uint64_t>(r->Size()), 7u);
  EXPECT_FALSE(IpRange::Parse("1.2.3.10-1.2.3.4"));
  EXPECT_FALSE(IpRange::Parse("1.2.3.4-::1"));
}

TEST(IpRange, PrefixSplitCoversExactly) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    uint32_t a = static_cast<uint32_t>(rng()), span = static_cast<uint32_t>(rng() % 100000);
    uint32_t b = a > UINT32_MAX - span ? UINT32_MAX : a + span;
    IpRange r{{Family::kV4, a}, {Family::kV4, b}};
    auto prefixes = r.ToPrefixes();
    U128 next = a, total = 0;
    for (const auto& p : prefixes) {
      ASSERT_EQ(p.base.bits, next) << "gap or overlap";
      ASSERT_EQ(p.base.bits & PrefixMask(Family::kV4, p.prefix), p.base.bits) << "unaligned";
      total += RangeOf(p).Size();
      next = p.Last().bits + 1;
    }
    EXPECT_EQ(next - 1, U128(b));
    EXPECT_EQ(total, r.Size());
    EXPECT_LE(prefixes.size(), 62u);
  }
}

TEST(IpAddress, ABytePastANulIsNotCutOff) {
  using namespace std::string_literals;
  for (const std::string& bad : {"7.7.7.7\0junk"s, "7.7.7.7\0"s, "::1\0x"s, " 7.7.7.7"s, "7.7.7.7 "s}) {
    EXPECT_FALSE(IpAddress::Parse(bad)) << bad.size();
  }
  EXPECT_FALSE(IpNetwork::Parse("7.7.7.0\0x/24"s));
  EXPECT_FALSE(IpNetwork::Parse("7.7.7.0/24\0"s));
  EXPECT_FALSE(IpRange::Parse("7.7.7.1\0-7.7.7.9"s));
  EXPECT_TRUE(IpAddress::Parse("::ffff:1.2.3.4"));
}

}  // namespace rampart::net
