#include "userlists/values.hpp"

#include <gtest/gtest.h>

#include "base/error_testing.hpp"

namespace rampart::userlists {
namespace {

testing::Why CodeOf(ListKind k, const char* v) {
  auto r = ParseEntryValue(k, v);
  return testing::Of(r);
}

}  // namespace

TEST(EntryValue, DetectsAddressTypes) {
  auto ip = ParseEntryValue(ListKind::kIp, "1.2.3.4");
  EXPECT_EQ(ip->address_type, "ip");
  auto net = ParseEntryValue(ListKind::kIp, "4.3.2.1/24");
  EXPECT_EQ(net->address_type, "netmask");
  EXPECT_EQ(net->value, "4.3.2.0/24");
  EXPECT_EQ(static_cast<uint64_t>(net->size), 256u);
  auto range = ParseEntryValue(ListKind::kIp, "8.8.8.1-8.8.8.10");
  EXPECT_EQ(range->address_type, "range");
  EXPECT_EQ(range->value, "8.8.8.1-8.8.8.10");
  EXPECT_EQ(static_cast<uint64_t>(range->size), 10u);
  auto v6 = ParseEntryValue(ListKind::kIp, "2600:1F18::1");
  EXPECT_EQ(v6->value, "2600:1f18::1");
  auto dom = ParseEntryValue(ListKind::kDomain, "Sub.Example.COM.");
  EXPECT_EQ(dom->address_type, "domain");
  EXPECT_EQ(dom->value, "sub.example.com");
}

TEST(EntryValue, ForbiddenNetworks) {
  for (const char* v : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.0/24", "0.1.2.3",
                        "127.0.0.1", "169.254.1.1", "100.64.0.1", "224.0.0.1", "240.0.0.1",
                        "255.255.255.255", "8.0.0.0/11", "9.255.255.0-10.0.0.1", "1.0.0.0-1.16.0.1",
                        "fd00::1", "fe80::1", "::1", "ff02::1", "2001:db8::1", "2600::/31",
                        "::ffff:1.2.3.4", "::"}) {
    EXPECT_EQ(CodeOf(ListKind::kIp, v), testing::kForbiddenNetwork) << v;
  }
  for (const char* v : {"8.0.0.0/12", "172.32.0.1", "172.15.255.255", "100.128.0.1", "2600::/32",
                        "11.0.0.0-11.15.255.255", "223.255.255.255"}) {
    EXPECT_EQ(CodeOf(ListKind::kIp, v), testing::kOk) << v;
  }
}

TEST(EntryValue, WrongKindOrGarbage) {
  EXPECT_EQ(CodeOf(ListKind::kIp, "example.com"), testing::kNotAnAddress);
  EXPECT_EQ(CodeOf(ListKind::kIp, "1.2.3.4/33"), testing::kNotAnAddress);
  EXPECT_EQ(CodeOf(ListKind::kIp, "1.2.3.9-1.2.3.4"), testing::kNotAnAddress);
  EXPECT_EQ(CodeOf(ListKind::kIp, ""), testing::kNotAnAddress);
  EXPECT_EQ(CodeOf(ListKind::kDomain, "1.2.3.4"), testing::kNotAnAddress);
  EXPECT_EQ(CodeOf(ListKind::kDomain, "1.2.3.0/24"), testing::kNotAnAddress);
  EXPECT_EQ(CodeOf(ListKind::kDomain, "bad domain.com"), testing::kNotAnAddress);
  std::string long_name = std::string(60, 'a') + "." + std::string(60, 'b') + "." +
                          std::string(60, 'c') + "." + std::string(30, 'd') + ".com";
  EXPECT_EQ(CodeOf(ListKind::kDomain, long_name.c_str()), testing::kDomainTooLong);
}

TEST(ExpiryDate, AcceptedForms) {
  auto d = [](const char* s, DateOrder o = DateOrder::kMdy) {
    auto r = ParseExpiryDate(s, o);
    return r ? r->ToString() : std::string("error ") + ErrcName(r.error().code);
  };
  EXPECT_EQ(d("2030-03-29"), "2030-03-29");
  EXPECT_EQ(d("03/29/2030"), "2030-03-29");  // the seed's sample: MM/DD/YYYY on the wire
  EXPECT_EQ(d("29/03/2030"), "2030-03-29");  // first number > 12: DD/MM/YYYY
  EXPECT_EQ(d("04/05/2030"), "2030-04-05");
  EXPECT_EQ(d("04/05/2030", DateOrder::kDmy), "2030-05-04");
  EXPECT_EQ(d("2030-03-29T23:30:00Z"), "2030-03-29");
  EXPECT_EQ(d("2030-03-29T23:30:00-02:00"), "2030-03-30");
  EXPECT_EQ(d("2030-03-29T01:00:00.123+02:00"), "2030-03-28");
  EXPECT_EQ(d("2030-03-29T12:00"), "2030-03-29");
  EXPECT_EQ(d("2430-01-01T12:00:00+05:30"), "2430-01-01");  // beyond system_clock's range
  EXPECT_EQ(d("9999-12-31T23:59:59-12:00"), "error invalid");  // would be year 10000
  for (const char* bad : {"2030-02-30", "13/13/2030", "3/29/30", "03-29-2030", "tomorrow",
                          "2030-03-29T25:00:00Z", "2030-03-29T12:00:00+0200", "", "1/2/3/2030"}) {
    EXPECT_EQ(d(bad), "error invalid") << bad;
  }
}

}  // namespace rampart::userlists
