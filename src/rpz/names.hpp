#pragma once
// RPZ trigger owner names (relative to the zone origin), in the canonical form resolvers match
// on: BIND rejects rpz-ip names with host bits set and never matches a non-canonical IPv6 name
// (docs/enforcement.md, "Triggers").
#include <string>
#include <vector>

#include "net/ip_address.hpp"

namespace rampart::rpz {

// "<prefix>.<reversed address>.rpz-ip": IPv4 octets reversed ("24.0.100.51.198.rpz-ip"); IPv6
// 16-bit words reversed, lower-case hex without leading zeros, the longest run (≥ 2) of zero
// words written once as "zz" (RFC 5952's choice: the first such run on a tie). Host bits are
// masked first.
std::string IpTriggerOwner(const net::IpNetwork& network);

// The owner names of a range: one per covering prefix, in address order.
std::vector<std::string> RangeTriggerOwners(const net::IpRange& range);

}  // namespace rampart::rpz
