#include "net/domain_name.hpp"

#include <gtest/gtest.h>

namespace rampart::net {

TEST(DomainName, Normalizes) {
  EXPECT_EQ(NormalizeDomain("Example.COM.", 200).value, "example.com");
  EXPECT_EQ(NormalizeDomain("bücher.example", 200).value, "xn--bcher-kva.example");
  EXPECT_EQ(NormalizeDomain("_dmarc.example.com", 200).value, "_dmarc.example.com");
  EXPECT_TRUE(NormalizeDomain("xyz", 200).ok);
}

TEST(DomainName, RejectsBadSyntax) {
  for (const char* bad : {"", ".", "a..b", "-a.com", "a-.com", "a b.com", "*.example.com",
                          "1.2.3.4", "example.123", "exa$mple.com", "http://example.com"}) {
    EXPECT_FALSE(NormalizeDomain(bad, 200).ok) << bad;
  }
  EXPECT_FALSE(NormalizeDomain(std::string(64, 'a') + ".com", 200).ok);
  using namespace std::string_literals;
  for (const std::string& nul : {"example.com\0junk"s, "bücher.example\0junk"s, "bücher\x01.example"s}) {
    EXPECT_FALSE(NormalizeDomain(nul, 200).ok) << nul.size();  // a C API must not cut it short
  }
}

TEST(DomainName, LengthLimitIsOnNormalizedForm) {
  std::string label(50, 'a');
  std::string name = label + "." + label + "." + label + "." + label;  // 203 chars
  auto r = NormalizeDomain(name, 200);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, DomainError::kTooLong);
  EXPECT_TRUE(NormalizeDomain(name.substr(3), 200).ok);
}

TEST(DomainName, Parent) {
  EXPECT_EQ(ParentDomain("a.b.com"), "b.com");
  EXPECT_EQ(ParentDomain("com"), "");
}

}  // namespace rampart::net
