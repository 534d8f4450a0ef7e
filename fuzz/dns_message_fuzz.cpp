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

struct World {
  std::unique_ptr<rampart::store::Store> db = std::move(*rampart::store::OpenSqliteStore({":memory:"}));
  rampart::FakeClock clock{rampart::SysTime{std::chrono::seconds(1767225600)}};
  rampart::rpz::ZoneRegistry zones{*db, clock, {}};

  World() {
    rampart::rpz::PolicySet set;
    rampart::rpz::Policy p;
    p.id = "p1";
    p.account_id = "a1";
    p.name = "corp";
    p.type = "dns";
    p.zone_name = "corp.rpz.rampart";
    set.policies.push_back(p);
    rampart::rpz::Device d;
    d.policy_id = "p1";
    d.type = "dns";
    d.transfer_acl.push_back(*rampart::net::IpNetwork::Parse("127.0.0.0/8"));
    set.devices.push_back(d);
    d.tsig_key_name = "fuzz-key";  // a second device with a TSIG key: signed inputs reach the verifier
    d.tsig_secret = std::string(32, 'k');
    set.devices.push_back(d);
    rampart::userlists::AccountLists lists;
    (void)zones.Rebuild("a1", set, lists);
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
