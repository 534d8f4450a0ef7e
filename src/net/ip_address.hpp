#pragma once
// IPv4/IPv6 addresses, networks and ranges as plain values. Parsing is strict and yields the
// canonical text form (RFC 5952 for IPv6) that rampart stores, returns and matches on.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::net {

__extension__ typedef unsigned __int128 U128;

enum class Family : uint8_t { kV4, kV6 };

inline int BitWidth(Family f) { return f == Family::kV4 ? 32 : 128; }

struct IpAddress {
  Family family = Family::kV4;
  U128 bits = 0;  // IPv4 in the low 32 bits

  static std::optional<IpAddress> Parse(std::string_view text);
  std::string ToString() const;
  // ::ffff:a.b.c.d (an IPv4 client on an IPv6 socket) as the IPv4 address; any other as itself.
  IpAddress Unmapped() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Mask with the top `prefix` bits of a `family`-wide address set.
U128 PrefixMask(Family family, int prefix);

struct IpNetwork {
  IpAddress base;  // host bits cleared
  int prefix = 0;

  // "a.b.c.d/n" or "x::y/n"; host bits are cleared, not rejected.
  static std::optional<IpNetwork> Parse(std::string_view text);
  // The same, and a bare address as its /32 or /128.
  static std::optional<IpNetwork> ParseHostOrNetwork(std::string_view text);
  std::string ToString() const;
  bool Contains(const IpAddress& a) const;
  IpAddress Last() const;
};

struct IpRange {
  IpAddress first, last;  // same family, first <= last

  // "a.b.c.d-e.f.g.h" (spaces around '-' allowed).
  static std::optional<IpRange> Parse(std::string_view text);
  // Number of addresses; saturates at 2^128-1 for ::/0.
  U128 Size() const;
  // The minimal list of prefixes covering exactly this range, in address order.
  std::vector<IpNetwork> ToPrefixes() const;
  bool Overlaps(const IpRange& o) const {
    return first.family == o.first.family && first.bits <= o.last.bits && o.first.bits <= last.bits;
  }
};

// "10.0.0.0/8, 192.0.2.1, 2001:db8::/32": addresses or networks, comma-separated (empty items
// skipped). On a bad item, nullopt and the item in `bad`.
std::optional<std::vector<IpNetwork>> ParseNetworkList(std::string_view text, std::string* bad);

inline IpRange RangeOf(const IpNetwork& n) { return {n.base, n.Last()}; }

// Why rampart must not send to `a` (a NOTIFY target, a webhook receiver): "unspecified",
// "multicast", "broadcast or reserved", "link-local" (cloud metadata services live there), or
// "denied by <setting>" when it is in `denied`; nullopt when it may. Loopback and private ranges
// stay allowed (resolvers and SIEMs live there). An IPv4-mapped address is judged as IPv4.
std::optional<std::string> RefusedDestination(const IpAddress& a, const std::vector<IpNetwork>& denied,
                                              const char* setting);

}  // namespace rampart::net
