// Untrusted DNS messages (UDP datagrams and TCP frames from any client) through the parser and the
// primary's answering logic, against a served zone with a journal. Must never crash, read out of
// bounds or answer with a message it cannot parse back.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dns/message.hpp"
#include "rpz/zones.hpp"
#include "store/store.hpp"
#include "xfr/responses.hpp"

namespace {

std::shared_ptr<rampart::userlists::UserList> MakeList(const char* id, rampart::userlists::ListKind kind, const char* a,
                                                      const char* b) {
  auto l = std::make_shared<rampart::userlists::UserList>();
  l->id = id;
  l->kind = kind;
  for (const char* value : {a, b}) {
    auto e = rampart::userlists::ParseEntryValue(kind, value);
    if (!e) __builtin_trap();
    l->entries.push_back({*e, "", {}, 0});
  }
  return l;
}

struct World {
  std::unique_ptr<rampart::store::Store> db = std::move(*rampart::store::OpenSqliteStore({":memory:"}));
  rampart::FakeClock clock{rampart::SysTime{std::chrono::seconds(1767225600)}};
  rampart::rpz::ZoneRegistry zones{*db, clock, {}};

  World() {
    rampart::rpz::ZoneSpec spec{"corp.rpz.rampart", "a1", "p1", {}};
    const auto loopback = *rampart::net::IpNetwork::Parse("127.0.0.0/8");
    spec.grants.push_back({loopback, std::nullopt});
    // A second grant with a TSIG key: signed inputs reach the verifier.
    spec.grants.push_back({loopback, rampart::dns::TsigKey{"fuzz-key", std::string(32, 'k')}});
    // Four versions (serials 1767225600..603): the journal holds three deltas, so IXFR queries
    // from those serials (in the corpus) reach the delta writer.
    spec.lists = {{"L", *rampart::rpz::ParseAction("nxdomain", "")},
                             {"I", *rampart::rpz::ParseAction("nxdomain", "")}};
    using rampart::userlists::ListKind;
    const char* versions[][4] = {{"a.example", "b.example", "198.51.100.0/24", "203.0.113.7"},
                                 {"a.example", "c.example", "198.51.100.0/24", "2600:1f00::/48"},
                                 {"c.example", "d.example", "2600:1f00::/48", "203.0.113.7"},
                                 {"e.example", "c.example", "192.0.2.1", "203.0.113.7"}};
    for (const auto& v : versions) {
      rampart::userlists::AccountLists lists;
      lists.lists.push_back(MakeList("L", ListKind::kDomain, v[0], v[1]));
      lists.lists.push_back(MakeList("I", ListKind::kIp, v[2], v[3]));
      if (!zones.Rebuild("a1", {spec}, lists)) __builtin_trap();
      clock.Advance(std::chrono::seconds(1));
    }
    auto z = zones.Find("corp.rpz.rampart");
    if (!z || z->journal.size() != 3) __builtin_trap();  // the fuzzer must see a journal
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World w;
  std::span<const uint8_t> wire(data, size);
  (void)rampart::dns::ParseMessage(wire);
  size_t pos = 12;
  if (size > 12) (void)rampart::dns::ReadName(wire, pos);
  const auto client = *rampart::net::IpAddress::Parse("127.0.0.1");
  for (bool tcp : {false, true}) {
    auto out = rampart::xfr::Answer(wire, client, tcp, w.zones, 1767225600);
    rampart::xfr::Drain(out);
    for (const auto& m : out.messages) {
      if (m.size() < 12) __builtin_trap();
      if (m.size() > 12 && !rampart::dns::ParseMessage(m) && m[3] != rampart::dns::kFormErr) __builtin_trap();
    }
  }
  return 0;
}
