#include <gtest/gtest.h>

#include "crypto/crypto.hpp"
#include "rpz/zones.hpp"
#include "store/store.hpp"
#include "xfr/responses.hpp"

namespace rampart::xfr {
namespace {

std::vector<uint8_t> Query(uint16_t qtype, std::optional<uint32_t> serial = {}, const char* zone = "z.rpz") {
  dns::Writer w;
  w.PutHeader({7, false, false, false, false, dns::kOpQuery, 0, 1, 0, uint16_t(serial ? 1 : 0), 0});
  w.PutName(zone);
  w.PutU16(qtype);
  w.PutU16(dns::kClassIn);
  if (serial) {
    w.PutNameUnderOrigin("");
    size_t at = w.BeginRr(dns::kTypeSoa, dns::kClassIn, 0);
    w.PutSoaRdata({"ns", "hm", *serial, 1, 2, 3, 4});
    w.EndRdata(at);
  }
  return w.bytes();
}

// Every RR of a transfer as (owner, type, serial-or-target) text, for comparison.
std::vector<std::string> Rrs(const std::vector<std::vector<uint8_t>>& msgs) {
  std::vector<std::string> out;
  for (const auto& m : msgs) {
    auto q = dns::ParseMessage(m);
    EXPECT_TRUE(q);
    size_t pos = q->question_end;
    for (int i = 0; i < q->header.ancount; ++i) {
      std::string owner = *dns::ReadName(m, pos);
      uint16_t type = static_cast<uint16_t>(m[pos] << 8 | m[pos + 1]);
      size_t rdlen = static_cast<size_t>(m[pos + 8] << 8 | m[pos + 9]);
      size_t rd = pos + 10;
      pos = rd + rdlen;
      if (type == dns::kTypeSoa) {
        size_t p = rd;
        dns::ReadName(m, p);
        dns::ReadName(m, p);
        uint32_t serial = static_cast<uint32_t>(m[p]) << 24 | m[p + 1] << 16 | m[p + 2] << 8 | m[p + 3];
        out.push_back("SOA " + std::to_string(serial));
      } else if (type == dns::kTypeCname) {
        size_t p = rd;
        out.push_back(owner + " " + *dns::ReadName(m, p));
      } else {
        out.push_back(owner + " type" + std::to_string(type));
      }
    }
  }
  return out;
}

class Responses : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_.grants.push_back({*net::IpNetwork::Parse("127.0.0.0/8"), std::nullopt});
  }
  void Publish(std::vector<const char*> domains) {
    auto l = std::make_shared<userlists::UserList>();
    l->id = "L";
    l->kind = userlists::ListKind::kDomain;
    for (const char* v : domains) l->entries.push_back({*userlists::ParseEntryValue(l->kind, v), "", {}, 0});
    spec_.lists = {{"L", *rpz::ParseAction("nxdomain", "")}};
    userlists::AccountLists lists;
    lists.lists.push_back(l);
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(zones_.Rebuild("a1", {spec_}, lists));
  }
  uint32_t Serial() { return zones_.Find("z.rpz")->soa.serial; }
  uint64_t Now() const { return static_cast<uint64_t>(UnixMillis(clock_.Now()) / 1000); }
  Outcome Ask(const std::vector<uint8_t>& q, bool tcp = true, const char* ip = "127.0.0.1") {
    Outcome o = Answer(q, *net::IpAddress::Parse(ip), tcp, zones_, Now());
    Drain(o);
    return o;
  }

  std::unique_ptr<store::Store> db_ = std::move(*store::OpenSqliteStore({":memory:"}));
  FakeClock clock_{SysTime{std::chrono::seconds(1767225600)}};
  rpz::ZoneRegistry zones_{*db_, clock_, {"ns.test"}};  // the default journal depth
  rpz::ZoneSpec spec_{"z.rpz", "a1", "p1", {}};
};

TEST_F(Responses, SoaIsAuthoritativeAndAxfrIsBracketedBySoa) {
  Publish({"a.example"});
  auto soa = Ask(Query(dns::kTypeSoa), false);
  ASSERT_EQ(soa.messages.size(), 1u);
  EXPECT_TRUE(soa.messages[0][2] & 0x04);  // AA
  EXPECT_EQ(Rrs(soa.messages), (std::vector<std::string>{"SOA " + std::to_string(Serial())}));
  auto axfr = Ask(Query(dns::kTypeAxfr));
  const std::string s = "SOA " + std::to_string(Serial());
  EXPECT_EQ(Rrs(axfr.messages), (std::vector<std::string>{s, "z.rpz type2", "a.example.z.rpz ", "*.a.example.z.rpz ", s}));
  EXPECT_EQ(Ask(Query(dns::kTypeAxfr), false).kind, "REFUSED");  // AXFR over UDP
  EXPECT_EQ(Ask(Query(dns::kTypeAxfr), false).reason, "AXFR over UDP (use TCP)");
}

TEST_F(Responses, IxfrSendsDeltasThenFallsBackOrSaysUpToDate) {
  Publish({"a.example"});
  const uint32_t s1 = Serial();
  Publish({"a.example", "b.example"});
  const uint32_t s2 = Serial();
  Publish({"b.example"});
  const uint32_t s3 = Serial();
  ASSERT_TRUE(dns::SerialNewer(s3, s2) && dns::SerialNewer(s2, s1));
  auto ixfr = Ask(Query(dns::kTypeIxfr, s1));
  EXPECT_EQ(ixfr.kind, "IXFR");
  auto S = [](uint32_t s) { return "SOA " + std::to_string(s); };
  EXPECT_EQ(Rrs(ixfr.messages),
            (std::vector<std::string>{S(s3), S(s1), S(s2), "b.example.z.rpz ", "*.b.example.z.rpz ", S(s2),
                                      "a.example.z.rpz ", "*.a.example.z.rpz ", S(s3), S(s3)}));
  EXPECT_EQ(Ask(Query(dns::kTypeIxfr, s3)).kind, "IXFR-UPTODATE");
  EXPECT_EQ(Rrs(Ask(Query(dns::kTypeIxfr, s3)).messages), (std::vector<std::string>{S(s3)}));
  auto old = Ask(Query(dns::kTypeIxfr, s1 - 1000));  // older than the journal: AXFR form
  EXPECT_EQ(old.kind, "IXFR-AXFR");
  EXPECT_EQ(Rrs(old.messages).size(), 5u);
  EXPECT_EQ(Ask(Query(dns::kTypeIxfr, s1), false).kind, "SOA");  // over UDP: go to TCP
}

// The journal keeps 100 versions: an IXFR from 2 and from 100 versions back is answered with
// deltas, one from 101 back in the full-transfer form.
TEST_F(Responses, IxfrJournalReachesBackOneHundredVersions) {
  std::vector<uint32_t> serials;
  std::vector<std::string> names;
  for (int i = 0; i <= 101; ++i) names.push_back("v" + std::to_string(i) + ".example");
  for (int i = 0; i <= 101; ++i) {
    Publish({names[static_cast<size_t>(i)].c_str()});
    serials.push_back(Serial());
  }
  const uint32_t now = serials.back();
  auto S = [](uint32_t s) { return "SOA " + std::to_string(s); };
  auto two_back = Ask(Query(dns::kTypeIxfr, serials[serials.size() - 3]));
  EXPECT_EQ(two_back.kind, "IXFR");
  EXPECT_EQ(Rrs(two_back.messages).front(), S(now));
  EXPECT_EQ(Rrs(two_back.messages).size(), 2u + 2 * (4 + 2));  // two deltas of one swap each
  auto hundred_back = Ask(Query(dns::kTypeIxfr, serials[serials.size() - 101]));
  EXPECT_EQ(hundred_back.kind, "IXFR");
  EXPECT_EQ(Rrs(hundred_back.messages).size(), 2u + 100 * (4 + 2));
  auto too_old = Ask(Query(dns::kTypeIxfr, serials[serials.size() - 102]));
  EXPECT_EQ(too_old.kind, "IXFR-AXFR");
  EXPECT_EQ(Rrs(too_old.messages), (std::vector<std::string>{S(now), "z.rpz type2", "v101.example.z.rpz ",
                                                              "*.v101.example.z.rpz ", S(now)}));
}

TEST_F(Responses, RefusalsAndMalformedInput) {
  Publish({"a.example"});
  EXPECT_EQ(Ask(Query(dns::kTypeAxfr), true, "10.1.2.3").kind, "REFUSED");  // outside the ACL
  EXPECT_NE(Ask(Query(dns::kTypeAxfr), true, "10.1.2.3").reason.find("not a device of the zone's policy"),
            std::string::npos);
  EXPECT_EQ(Ask(Query(dns::kTypeAxfr, {}, "nope.rpz")).kind, "REFUSED");
  EXPECT_EQ(Ask(Query(dns::kTypeAxfr, {}, "nope.rpz")).reason, "no such zone is served here");
  EXPECT_EQ(Ask(Query(1)).kind, "REFUSED");  // A queries are not served
  EXPECT_EQ(Ask(Query(1)).reason, "only SOA, AXFR and IXFR are answered");
  auto bad = Query(dns::kTypeSoa);
  bad.resize(14);
  auto formerr = Ask(bad);
  EXPECT_EQ(formerr.kind, "FORMERR");
  ASSERT_EQ(formerr.messages.size(), 1u);
  EXPECT_EQ(formerr.messages[0][3] & 0x0F, dns::kFormErr);
  EXPECT_TRUE(Ask(std::vector<uint8_t>{1, 2, 3}).messages.empty());
}

// Pulls a transfer one message per call (the smallest batches), checking each call gives one.
std::vector<Message> PullOneAtATime(Outcome& o) {
  std::vector<Message> all = std::move(o.messages), batch;
  while (o.more && o.more->Next(batch, 1)) {
    EXPECT_EQ(batch.size(), 1u);
    for (auto& m : batch) all.push_back(std::move(m));
    batch.clear();
  }
  return all;
}

TEST_F(Responses, LargeZonesSpanSeveralMessages) {
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) names.push_back("host" + std::to_string(i) + ".example");
  std::vector<const char*> ptrs;
  for (const auto& n : names) ptrs.push_back(n.c_str());
  Publish(ptrs);
  auto axfr = Ask(Query(dns::kTypeAxfr));
  EXPECT_GT(axfr.messages.size(), 1u);
  for (const auto& m : axfr.messages) EXPECT_LE(m.size(), 32768u + 512u);
  EXPECT_EQ(Rrs(axfr.messages).size(), 6000u + 3u);
  // Made in batches, the transfer is the same bytes; the zone published meanwhile does not change it.
  Outcome streamed = Answer(Query(dns::kTypeAxfr), *net::IpAddress::Parse("127.0.0.1"), true, zones_, Now());
  ASSERT_TRUE(streamed.more);
  EXPECT_TRUE(streamed.messages.empty());
  Publish({"other.example"});
  EXPECT_EQ(PullOneAtATime(streamed), axfr.messages);
}

TEST_F(Responses, SerialsAndJournalSurviveARestart) {
  Publish({"a.example"});
  const uint32_t s1 = Serial();
  Publish({"a.example", "b.example"});
  const uint32_t s2 = Serial();
  // A new registry over the same store (a restart) with the same content keeps serial and history.
  rpz::ZoneRegistry again(*db_, clock_, {"ns.test", 100});
  auto l = std::make_shared<userlists::UserList>();
  l->id = "L";
  l->kind = userlists::ListKind::kDomain;
  for (const char* v : {"a.example", "b.example"}) l->entries.push_back({*userlists::ParseEntryValue(l->kind, v), "", {}, 0});
  userlists::AccountLists lists;
  lists.lists.push_back(l);
  ASSERT_TRUE(again.Rebuild("a1", {spec_}, lists));
  EXPECT_EQ(again.Find("z.rpz")->soa.serial, s2);
  auto ixfr = Answer(Query(dns::kTypeIxfr, s1), *net::IpAddress::Parse("127.0.0.1"), true, again, Now());
  EXPECT_EQ(ixfr.kind, "IXFR");
}

// A name in uncompressed wire form, written here rather than by dns::Writer.
std::string WireName(const std::string& name) {
  std::string out;
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    out += static_cast<char>(dot - start);
    out += name.substr(start, dot - start);
    start = dot + 1;
  }
  return out + '\0';
}

std::string Be(uint64_t v, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

// Verifies a signed answer the way a client does (RFC 8945 §4.3.1, §5.3.1), laying out the MAC input
// by hand (not with dns::SignMessage): the first message over the request MAC with the full
// variables, each later one over the previous MAC with the timers only. False at the first bad one.
bool ClientVerifies(const std::vector<std::vector<uint8_t>>& msgs, const dns::TsigKey& key, std::string mac) {
  for (size_t i = 0; i < msgs.size(); ++i) {
    auto q = dns::ParseMessage(msgs[i]);
    if (!q || !q->tsig_offset) return false;
    auto rec = dns::ParseTsig(msgs[i], *q->tsig_offset);
    if (!rec || rec->key_name != key.name) return false;
    std::string data = Be(mac.size(), 2) + mac;
    std::string body(msgs[i].begin(), msgs[i].begin() + static_cast<std::ptrdiff_t>(*q->tsig_offset));
    body[11] = static_cast<char>(body[11] - 1);  // ARCOUNT without the TSIG
    data += body;
    if (i == 0) data += WireName(key.name) + Be(255, 2) + Be(0, 4) + WireName("hmac-sha256");
    data += Be(rec->time_signed, 6) + Be(rec->fudge, 2);
    if (i == 0) data += Be(rec->error, 2) + Be(rec->other.size(), 2) + rec->other;
    if (crypto::Hmac(crypto::HashAlg::kSha256, key.secret, data) != rec->mac) return false;
    mac = rec->mac;
  }
  return true;
}

TEST_F(Responses, TsigSignedTransfersOnlyWithTheDevicesKey) {
  const dns::TsigKey key{"rampart-abc", std::string(32, '\x5a')};
  spec_.grants.push_back({*net::IpNetwork::Parse("10.9.0.0/16"), key});
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) names.push_back("host" + std::to_string(i) + ".example");
  std::vector<const char*> ptrs;
  for (const auto& n : names) ptrs.push_back(n.c_str());
  Publish(ptrs);
  auto signed_query = [&](const dns::TsigKey& k, uint64_t at) {
    auto q = Query(dns::kTypeAxfr);
    std::string mac = dns::SignMessage(q, k.name, k, "", true, at, 7, 0);
    return std::pair{q, mac};
  };
  auto [q, request_mac] = signed_query(key, Now());
  auto ok = Ask(q, true, "10.9.1.2");
  EXPECT_EQ(ok.kind, "AXFR+TSIG");
  ASSERT_GT(ok.messages.size(), 1u);
  EXPECT_TRUE(ClientVerifies(ok.messages, key, request_mac));
  // Signed in one-message batches, the MAC chain carries on across batches: the same bytes.
  Outcome streamed = Answer(q, *net::IpAddress::Parse("10.9.1.2"), true, zones_, Now());
  EXPECT_EQ(PullOneAtATime(streamed), ok.messages);
  auto tampered = ok.messages;
  tampered[1][20] ^= 1;
  EXPECT_FALSE(ClientVerifies(tampered, key, request_mac));
  // Without a signature, from the key's network: refused. With a wrong secret: BADSIG.
  EXPECT_EQ(Ask(Query(dns::kTypeAxfr), true, "10.9.1.2").kind, "REFUSED");
  auto [bad, bad_mac] = signed_query({key.name, std::string(32, 'x')}, Now());
  auto refused = Ask(bad, true, "10.9.1.2");
  EXPECT_EQ(refused.kind, "TSIG-BADSIG");
  EXPECT_EQ(refused.messages[0][3] & 0x0F, dns::kNotAuth);
  auto [unknown, unknown_mac] = signed_query({"other-key", key.secret}, Now());
  EXPECT_EQ(Ask(unknown, true, "10.9.1.2").kind, "TSIG-BADKEY");
  auto [stale, stale_mac] = signed_query(key, Now() - 301);
  auto badtime = Ask(stale, true, "10.9.1.2");
  EXPECT_EQ(badtime.kind, "TSIG-BADTIME");
  // BADTIME is signed over the request MAC (§5.2.3, §5.3.2), with the request's Time Signed and
  // the server's time in Other Data, so the client can tell its skew.
  ASSERT_EQ(badtime.messages.size(), 1u);
  EXPECT_EQ(badtime.messages[0][3] & 0x0F, dns::kNotAuth);
  EXPECT_TRUE(ClientVerifies(badtime.messages, key, stale_mac));
  auto bt = dns::ParseTsig(badtime.messages[0], *dns::ParseMessage(badtime.messages[0])->tsig_offset);
  EXPECT_EQ(bt->error, dns::kBadTime);
  EXPECT_EQ(bt->time_signed, Now() - 301);
  EXPECT_EQ(bt->other, Be(Now(), 6));
  auto [fresh_edge, fresh_mac] = signed_query(key, Now() - 300);  // exactly the fudge: still in time
  EXPECT_EQ(Ask(fresh_edge, true, "10.9.1.2").kind, "AXFR+TSIG");
  auto [future_edge, future_mac] = signed_query(key, Now() + 300);
  EXPECT_EQ(Ask(future_edge, true, "10.9.1.2").kind, "AXFR+TSIG");
  auto [future, future_mac2] = signed_query(key, Now() + 301);
  EXPECT_EQ(Ask(future, true, "10.9.1.2").kind, "TSIG-BADTIME");
  // BADSIG and BADKEY answers carry an empty MAC (a signed one would need the key).
  auto bs = dns::ParseTsig(refused.messages[0], *dns::ParseMessage(refused.messages[0])->tsig_offset);
  EXPECT_EQ(bs->error, dns::kBadSig);
  EXPECT_TRUE(bs->mac.empty());
  // The key does not replace the network: signed, but from elsewhere.
  EXPECT_EQ(Ask(q, true, "192.0.2.1").kind, "REFUSED+TSIG");
  // A request tampered after signing fails.
  auto changed = q;
  changed[2] ^= 0x01;  // the RD bit
  EXPECT_EQ(Ask(changed, true, "10.9.1.2").kind.rfind("TSIG-", 0), 0u);
}

}  // namespace
}  // namespace rampart::xfr
