#include <gtest/gtest.h>

#include "rpz/names.hpp"
#include "rpz/zone.hpp"

namespace rampart::rpz {
namespace {

std::string Owner(const char* cidr) { return IpTriggerOwner(*net::IpNetwork::Parse(cidr)); }

TEST(IpTrigger, CanonicalForms) {
  // The examples of docs/enforcement.md (from BIND's ip2name).
  EXPECT_EQ(Owner("1.2.3.4/32"), "32.4.3.2.1.rpz-ip");
  EXPECT_EQ(Owner("198.51.100.0/24"), "24.0.100.51.198.rpz-ip");
  EXPECT_EQ(Owner("2001:db8::/32"), "32.zz.db8.2001.rpz-ip");
  EXPECT_EQ(Owner("2001:db8::1:0:0:1/128"), "128.1.0.0.1.zz.db8.2001.rpz-ip");  // first run of a tie
  EXPECT_EQ(Owner("2001:db8:0:0:1::/80"), "80.zz.1.0.0.db8.2001.rpz-ip");        // the longer run wins
  EXPECT_EQ(Owner("::1/128"), "128.1.zz.rpz-ip");
  EXPECT_EQ(Owner("2001:db8:1:2:3:4:5:6/128"), "128.6.5.4.3.2.1.db8.2001.rpz-ip");  // no run of two
  EXPECT_EQ(Owner("2001:0:1:2:3:4:5:6/128"), "128.6.5.4.3.2.1.0.2001.rpz-ip");      // a single zero word
}

TEST(IpTrigger, HostBitsMasked) {
  net::IpNetwork n{*net::IpAddress::Parse("203.0.113.9"), 24};  // base with host bits set
  EXPECT_EQ(IpTriggerOwner(n), "24.0.113.0.203.rpz-ip");
}

TEST(IpTrigger, RangesSplitIntoPrefixes) {
  auto owners = RangeTriggerOwners(*net::IpRange::Parse("10.0.0.1-10.0.0.6"));
  EXPECT_EQ(owners, (std::vector<std::string>{"32.1.0.0.10.rpz-ip", "31.2.0.0.10.rpz-ip", "31.4.0.0.10.rpz-ip",
                                              "32.6.0.0.10.rpz-ip"}));
}

TEST(Action, TargetsAndParsing) {
  EXPECT_EQ(ParseAction("nxdomain", "")->Target(), ".");
  EXPECT_EQ(ParseAction("nodata", "")->Target(), "*.");
  EXPECT_EQ(ParseAction("passthru", "")->Target(), "rpz-passthru.");
  EXPECT_EQ(ParseAction("drop", "")->Target(), "rpz-drop.");
  EXPECT_EQ(ParseAction("cname", "Garden.Example.COM")->Target(), "garden.example.com.");
  EXPECT_FALSE(ParseAction("cname", "not a host"));
  EXPECT_FALSE(ParseAction("block", ""));
}

userlists::UserList MakeList(userlists::ListKind kind, const char* type, std::vector<const char*> values) {
  userlists::UserList l;
  l.kind = kind;
  l.list_type = type;
  for (const char* v : values) {
    userlists::Entry e;
    e.parsed = *userlists::ParseEntryValue(kind, v);
    l.entries.push_back(e);
  }
  return l;
}

TEST(Zone, AllowBeatsBlockAndOutputIsOrdered) {
  auto block = MakeList(userlists::ListKind::kDomain, "block", {"bad.example", "good.bad.example"});
  auto allow = MakeList(userlists::ListKind::kDomain, "allow", {"good.bad.example"});
  auto ips = MakeList(userlists::ListKind::kIp, "block", {"198.51.100.0/24"});
  auto ips_allow = MakeList(userlists::ListKind::kIp, "allow", {"198.51.100.7"});
  Records r = BuildRecords({{&block, *ParseAction("nxdomain", "")},
                            {&ips, *ParseAction("drop", "")},
                            {&allow, {}},
                            {&ips_allow, {}}});
  EXPECT_EQ(r.at("bad.example"), ".");
  EXPECT_EQ(r.at("*.bad.example"), ".");
  EXPECT_EQ(r.at("good.bad.example"), "rpz-passthru.");  // allowed though listed first as blocked
  EXPECT_EQ(r.at("*.good.bad.example"), "rpz-passthru.");
  EXPECT_EQ(r.at("24.0.100.51.198.rpz-ip"), "rpz-drop.");
  EXPECT_EQ(r.at("32.7.100.51.198.rpz-ip"), "rpz-passthru.");  // a host inside the blocked network
  SoaFields soa{"corp.rpz.rampart", "rampart", 7};
  std::string text = ZoneText(soa, ZoneRecords(r));
  EXPECT_EQ(text, ZoneText(soa, ZoneRecords(BuildRecords({{&ips_allow, {}}, {&allow, {}}, {&ips, *ParseAction("drop", "")},
                                                            {&block, *ParseAction("nxdomain", "")}}))));  // same bytes
  EXPECT_NE(text.find("@ IN SOA rampart. hostmaster.rampart. 7 "), std::string::npos);
}

TEST(Zone, ExpiryIsTheSweepsJob) {
  // An expired entry still in its list is compiled: it leaves the zone when the sweep removes it
  // from the list, as a list change with its own serial and delta.
  auto l = MakeList(userlists::ListKind::kDomain, "block", {"old.example", "new.example"});
  l.entries[0].expires = *Date::FromYmd(2026, 1, 1);
  Records r = BuildRecords({{&l, *ParseAction("nxdomain", "")}});
  EXPECT_EQ(r.count("old.example"), 1u);
  EXPECT_EQ(r.count("new.example"), 1u);
}

TEST(ZoneRecords, PatchedVersionsReadLikeMaps) {
  Records base{{"a", "."}, {"b", "."}, {"c", "."}};
  ZoneRecords v1(base);
  Delta d{{{"b", "."}, {"c", "."}}, {{"c", "*."}, {"d", "."}}};
  ZoneRecords v2 = v1.Apply(d);
  std::vector<std::string> seen;
  v2.ForEach([&](const std::string& o, const std::string& t) { seen.push_back(o + t); });
  EXPECT_EQ(seen, (std::vector<std::string>{"a.", "c*.", "d."}));
  EXPECT_EQ(v2.size(), 3u);
  EXPECT_EQ(v2.Find("b"), std::nullopt);
  EXPECT_EQ(v2.Find("c"), "*.");
  EXPECT_EQ(v1.Find("b"), ".");  // the old version is untouched
  RecordsDigest dg = DigestOf(base);
  dg.Apply(d);
  Records after{{"a", "."}, {"c", "*."}, {"d", "."}};
  EXPECT_EQ(dg.Hex(), DigestOf(after).Hex());
  EXPECT_NE(dg.Hex(), DigestOf(base).Hex());
}

TEST(Zone, CanonicalOrder) {
  CanonicalLess less;
  EXPECT_TRUE(less("d.example", "*.d.example"));  // a name, then its wildcard, then its subdomains
  EXPECT_TRUE(less("*.d.example", "a.d.example"));
  EXPECT_TRUE(less("a.d.example", "e.example"));
  EXPECT_TRUE(less("z.a", "a.b"));  // the rightmost label decides first
  EXPECT_FALSE(less("a.b", "a.b"));
  Records r{{"a.d.example", "."}, {"e.example", "."}, {"*.d.example", "."}, {"d.example", "."}};
  std::vector<std::string> order;
  for (const auto& [owner, target] : r) order.push_back(owner);
  EXPECT_EQ(order, (std::vector<std::string>{"d.example", "*.d.example", "a.d.example", "e.example"}));
}

TEST(Zone, DiffIsNet) {
  Records a{{"a", "."}, {"b", "."}, {"c", "."}};
  Records b{{"b", "."}, {"c", "*."}, {"d", "."}};
  Delta d = Diff(a, b);
  EXPECT_EQ(d.removed, (std::vector<std::pair<std::string, std::string>>{{"a", "."}, {"c", "."}}));
  EXPECT_EQ(d.added, (std::vector<std::pair<std::string, std::string>>{{"c", "*."}, {"d", "."}}));
  EXPECT_TRUE(Diff(b, b).empty());
}

}  // namespace
}  // namespace rampart::rpz
