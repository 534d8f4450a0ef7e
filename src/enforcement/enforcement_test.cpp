// Enforcement's own rules: NOTIFY targets, and the zones a policy set is served as.
#include <gtest/gtest.h>

#include "enforcement/policies.hpp"

namespace rampart::enforcement {
namespace {

TEST(NotifyTargets, NeverUnspecifiedMulticastBroadcastLinkLocalOrDenied) {
  const std::vector<net::IpNetwork> denied = {*net::IpNetwork::Parse("10.99.0.0/16")};
  for (const char* bad : {"0.0.0.0", "0.1.2.3", "::", "224.0.0.1", "239.255.255.250", "ff02::1", "255.255.255.255",
                          "240.0.0.1", "169.254.169.254", "fe80::1", "::ffff:169.254.169.254", "::ffff:224.0.0.1",
                          "10.99.1.1", "::ffff:10.99.1.1"}) {
    EXPECT_TRUE(RefusedNotifyAddress(*net::IpAddress::Parse(bad), denied)) << bad;
  }
  for (const char* ok : {"127.0.0.1", "::1", "10.1.1.1", "192.168.1.53", "172.16.0.1", "fd00::53", "9.9.9.9",
                         "2001:db8::53", "::ffff:10.1.1.1"}) {
    EXPECT_FALSE(RefusedNotifyAddress(*net::IpAddress::Parse(ok), denied)) << ok;
  }
  EXPECT_EQ(*RefusedNotifyAddress(*net::IpAddress::Parse("169.254.169.254"), {}), "link-local");
  EXPECT_EQ(*RefusedNotifyAddress(*net::IpAddress::Parse("10.99.0.1"), denied), "denied by notify_denied_networks");
}

TEST(ZoneSpecs, EachDnsPolicyWithItsDevicesGrantsAndNotifyTargetsOnce) {
  PolicySet set;
  set.policies.push_back({"p1", "o1", "corp", PolicyType::kDns, "corp.rpz", 0, {{"L", *ParseAction("drop", "")}}});
  set.policies.push_back({"p2", "o1", "fw", PolicyType::kIp, "", 1, {}});
  Device a{.id = "d1", .org_id = "o1", .name = "ns1", .type = PolicyType::kDns, .policy_id = "p1"};
  a.transfer_acl = {*net::IpNetwork::Parse("10.0.0.0/8")};
  a.notify = {{*net::IpAddress::Parse("10.0.0.53"), 53}};
  Device b = a;
  b.id = "d2";
  b.tsig_key_name = "k";
  b.tsig_secret = "s";
  Device fw{.id = "d3", .org_id = "o1", .name = "fw", .type = PolicyType::kIp, .policy_id = "p2"};
  set.devices = {a, b, fw};
  auto specs = ZoneSpecsOf(set);
  ASSERT_EQ(specs.size(), 1u);  // the ip policy is no zone
  EXPECT_EQ(specs[0].origin, "corp.rpz");
  EXPECT_EQ(specs[0].policy_id, "p1");
  ASSERT_EQ(specs[0].grants.size(), 2u);
  EXPECT_FALSE(specs[0].grants[0].key);
  EXPECT_EQ(specs[0].grants[1].key->name, "k");
  EXPECT_EQ(specs[0].notify.size(), 1u);  // both devices name it: notified once
  EXPECT_EQ(specs[0].lists[0].action.Target(), "rpz-drop.");
}

// A stored document that does not read (damaged, or written by something else) is an error naming
// it, never an exception out of the request path.
TEST(PolicyService, AnUnreadableStoredDocumentIsAnInternalErrorNotAThrow) {
  auto db = std::move(*store::OpenSqliteStore({":memory:"}));
  ASSERT_TRUE(db->CreateOrg({"o1", "acme", 0}));
  FakeClock clock{SysTime{std::chrono::seconds(1767225600)}};
  userlists::UserListService lists(*db, clock, userlists::ServiceOptions{});
  crypto::SecretBox box{std::array<uint8_t, crypto::SecretBox::kKeyBytes>{}};
  for (const char* doc : {"not json", "[1]", R"({"type":"router","lists":[]})", R"({"type":"dns","lists":[7]})"}) {
    PolicyService svc(*db, lists, clock, box, PolicyOptions{});
    ASSERT_TRUE(db->PutPolicyObject({"o1", "policy", "p1", "corp", 1, doc}, {0, "o1", "p1", "policy", "corp", "system", "create", 1, "{}"}));
    auto loaded = svc.Load("o1");
    ASSERT_FALSE(loaded) << doc;
    EXPECT_EQ(loaded.error().code, Errc::kInternal);
    EXPECT_NE(loaded.error().detail.find("p1"), std::string::npos);
  }
}

}  // namespace
}  // namespace rampart::enforcement
