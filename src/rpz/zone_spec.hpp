#pragma once
// What one served zone is compiled from, whoever decided it: its name and owner, the lists it
// draws from with the action of each, who may transfer it and whom to NOTIFY. enforcement/ derives
// these from a DNS policy and the devices that use it (enforcement::ZoneSpecsOf); the registry
// (zones.hpp) knows nothing of policies or devices.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dns/tsig.hpp"
#include "net/ip_address.hpp"
#include "rpz/zone.hpp"

namespace rampart::rpz {

struct AttachedList {
  std::string list_id;
  Action action;  // an allow list's entries always pass through, whatever this says
};

struct NotifyTarget {
  net::IpAddress address;
  uint16_t port = 53;
  std::string ToString() const;  // "192.0.2.1:53", "[2001:db8::1]:53"
  bool operator==(const NotifyTarget& o) const {
    return port == o.port && address.family == o.address.family && address.bits == o.address.bits;
  }
};

// Who may query and transfer a zone: a network, and the TSIG key it must sign with if any.
struct Grant {
  net::IpNetwork network;
  std::optional<dns::TsigKey> key;
};

struct ZoneSpec {
  std::string origin;  // the zone's name
  std::string org_id, policy_id;
  std::vector<AttachedList> lists;  // first list wins an owner name; PASSTHRU (allow) beats all
  std::vector<Grant> grants = {};
  std::vector<NotifyTarget> notify = {};  // no duplicates
};

}  // namespace rampart::rpz
