#pragma once
// Longest-prefix matching over a fixed set of networks and ranges.
// Ranges are split into covering prefixes; prefixes are kept in one hash table per prefix length,
// probed from the longest length present to the shortest, so a lookup costs at most as many
// probes as there are distinct lengths (typically a handful) and memory is linear in prefixes.
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "net/ip_address.hpp"

namespace rampart::net {

class IpMatcher {
 public:
  // Adds a network tagged with `id`. On identical prefixes the first id added wins.
  void Add(const IpNetwork& n, uint32_t id);
  void Add(const IpRange& r, uint32_t id);
  // Call once after the last Add; lookups before it see nothing.
  void Seal();
  // The id of the longest prefix containing `a`.
  std::optional<uint32_t> Match(const IpAddress& a) const;
  size_t prefix_count() const { return count_; }

 private:
  struct U128Hash {
    size_t operator()(U128 v) const noexcept {
      uint64_t x = static_cast<uint64_t>(v) ^ static_cast<uint64_t>(v >> 64) * 0x9e3779b97f4a7c15ull;
      x ^= x >> 31;
      return static_cast<size_t>(x * 0xbf58476d1ce4e5b9ull);
    }
  };
  struct Table {
    std::unordered_map<U128, uint32_t, U128Hash> by_prefix[129];
    std::vector<int> lengths;  // non-empty lengths, longest first
  };
  Table& TableFor(Family f) { return f == Family::kV4 ? v4_ : v6_; }
  const Table& TableFor(Family f) const { return f == Family::kV4 ? v4_ : v6_; }

  Table v4_, v6_;
  size_t count_ = 0;
};

}  // namespace rampart::net
