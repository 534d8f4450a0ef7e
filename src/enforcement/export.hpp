#pragma once
// Firewall renderings of an `ip` policy: the networks of its block lists minus those of its allow
// lists (allow wins), overlaps and neighbours merged, as covering prefixes per family.
//   plain: one network per line (hosts as bare addresses), for EDL-style feeds;
//   nft:   one `nft -f` transaction that declares the sets and flushes and refills them;
//   ipset: an `ipset restore` script that fills temporary sets and swaps them in.
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "net/ip_address.hpp"
#include "enforcement/policies.hpp"

namespace rampart::enforcement {

// The policy's effective networks, IPv4 first, each family in address order, no overlaps.
std::vector<net::IpNetwork> EffectiveNetworks(const Policy& p, const userlists::AccountLists& lists, SysTime now);

// `format`: plain | nft | ipset (else 400).
Result<std::string> ExportIpPolicy(const Policy& p, const userlists::AccountLists& lists, SysTime now,
                                   std::string_view format);

}  // namespace rampart::enforcement
