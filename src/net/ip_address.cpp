#include "net/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cstring>

#include "base/strings.hpp"

namespace rampart::net {
namespace {

U128 AllOnes(Family f) { return f == Family::kV4 ? U128(0xffffffffu) : ~U128(0); }

// Dotted-quad IPv4 by the rules of glibc's inet_pton(AF_INET): four decimal octets of at most 255,
// no leading zeros, nothing else. Those rules make an accepted text its own canonical form.
std::optional<uint32_t> ParseDottedQuad(std::string_view text) {
  uint32_t bits = 0, octet = 0;
  int octets = 0;
  bool in_octet = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (in_octet && octet == 0) return std::nullopt;  // a leading zero
      octet = octet * 10 + static_cast<uint32_t>(c - '0');
      if (octet > 255) return std::nullopt;
      if (!in_octet && ++octets > 4) return std::nullopt;
      in_octet = true;
    } else if (c == '.' && in_octet && octets < 4) {
      bits = (bits << 8) | octet;
      octet = 0;
      in_octet = false;
    } else {
      return std::nullopt;
    }
  }
  if (octets != 4 || !in_octet) return std::nullopt;
  return (bits << 8) | octet;
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  if (text.find(':') == std::string_view::npos) {
    auto v4 = ParseDottedQuad(text);
    if (!v4) return std::nullopt;
    return IpAddress{Family::kV4, *v4};
  }
  // inet_pton reads a C string: a NUL inside `text` would end it early ("7.7.7.7\0junk" would
  // parse as 7.7.7.7). Only the characters of an address may pass.
  for (char c : text) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':')) return std::nullopt;
  }
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in6_addr a6{};
  if (inet_pton(AF_INET6, buf, &a6) != 1) return std::nullopt;
  U128 v = 0;
  for (uint8_t byte : a6.s6_addr) v = (v << 8) | byte;
  return IpAddress{Family::kV6, v};
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (family == Family::kV4) {  // by hand: glibc's inet_ntop formats IPv4 through sprintf
    std::string out;
    out.reserve(15);
    for (int shift = 24; shift >= 0; shift -= 8) {
      const auto octet = static_cast<unsigned>((bits >> shift) & 0xff);
      if (octet >= 100) out += static_cast<char>('0' + octet / 100);
      if (octet >= 10) out += static_cast<char>('0' + octet / 10 % 10);
      out += static_cast<char>('0' + octet % 10);
      if (shift) out += '.';
    }
    return out;
  } else {
    in6_addr a6{};
    U128 v = bits;
    for (int i = 15; i >= 0; --i, v >>= 8) a6.s6_addr[i] = static_cast<uint8_t>(v & 0xff);
    inet_ntop(AF_INET6, &a6, buf, sizeof buf);
  }
  return buf;
}

U128 PrefixMask(Family family, int prefix) {
  const int width = BitWidth(family);
  if (prefix <= 0) return 0;
  if (prefix >= width) return AllOnes(family);
  return AllOnes(family) & ~(AllOnes(family) >> prefix);
}

std::optional<IpNetwork> IpNetwork::Parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = IpAddress::Parse(text.substr(0, slash));
  std::string_view len_text = text.substr(slash + 1);
  if (!addr || len_text.empty() || len_text.size() > 3) return std::nullopt;
  int len = 0;
  auto [p, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || p != len_text.data() + len_text.size()) return std::nullopt;
  if (len < 0 || len > BitWidth(addr->family)) return std::nullopt;
  addr->bits &= PrefixMask(addr->family, len);
  return IpNetwork{*addr, len};
}

std::optional<IpNetwork> IpNetwork::ParseHostOrNetwork(std::string_view text) {
  if (auto n = Parse(text)) return n;
  auto a = IpAddress::Parse(text);
  if (!a) return std::nullopt;
  return IpNetwork{*a, BitWidth(a->family)};
}

IpAddress IpAddress::Unmapped() const {
  if (family == Family::kV6 && (bits >> 32) == U128(0xffff)) return {Family::kV4, bits & U128(0xffffffffu)};
  return *this;
}

std::optional<std::vector<IpNetwork>> ParseNetworkList(std::string_view text, std::string* bad) {
  std::vector<IpNetwork> out;
  for (std::string_view item : SplitView(text, ',')) {
    item = Trim(item);
    if (item.empty()) continue;
    auto n = IpNetwork::ParseHostOrNetwork(item);
    if (!n) {
      if (bad) *bad = std::string(item);
      return std::nullopt;
    }
    out.push_back(*n);
  }
  return out;
}

std::string IpNetwork::ToString() const { return base.ToString() + "/" + std::to_string(prefix); }

bool IpNetwork::Contains(const IpAddress& a) const {
  return a.family == base.family && (a.bits & PrefixMask(base.family, prefix)) == base.bits;
}

IpAddress IpNetwork::Last() const {
  return {base.family, base.bits | (AllOnes(base.family) & ~PrefixMask(base.family, prefix))};
}

std::optional<IpRange> IpRange::Parse(std::string_view text) {
  auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto a = IpAddress::Parse(Trim(text.substr(0, dash)));
  auto b = IpAddress::Parse(Trim(text.substr(dash + 1)));
  if (!a || !b || a->family != b->family || a->bits > b->bits) return std::nullopt;
  return IpRange{*a, *b};
}

U128 IpRange::Size() const {
  U128 diff = last.bits - first.bits;
  return diff == ~U128(0) ? diff : diff + 1;
}

std::vector<IpNetwork> IpRange::ToPrefixes() const {
  std::vector<IpNetwork> out;
  const Family f = first.family;
  const int width = BitWidth(f);
  U128 cur = first.bits;
  while (true) {
    // Largest aligned block starting at cur that does not pass `last`.
    int prefix = width;
    while (prefix > 0) {
      U128 mask = PrefixMask(f, prefix - 1);
      U128 block_last = cur | (AllOnes(f) & ~mask);
      if ((cur & mask) != cur || block_last > last.bits) break;
      --prefix;
    }
    IpNetwork n{{f, cur}, prefix};
    out.push_back(n);
    U128 block_last = n.Last().bits;
    if (block_last >= last.bits) break;
    cur = block_last + 1;
  }
  return out;
}

std::optional<std::string> RefusedDestination(const IpAddress& given, const std::vector<IpNetwork>& denied,
                                              const char* setting) {
  const IpAddress a = given.Unmapped();
  static const std::vector<std::pair<IpNetwork, const char*>> kNever = [] {
    std::vector<std::pair<IpNetwork, const char*>> out;
    for (const auto& [text, why] : std::vector<std::pair<const char*, const char*>>{
             {"0.0.0.0/8", "unspecified"}, {"::/128", "unspecified"}, {"224.0.0.0/4", "multicast"},
             {"ff00::/8", "multicast"}, {"240.0.0.0/4", "broadcast or reserved"}, {"169.254.0.0/16", "link-local"},
             {"fe80::/10", "link-local"}}) {
      out.emplace_back(*IpNetwork::Parse(text), why);
    }
    return out;
  }();
  for (const auto& [n, why] : kNever) {
    if (n.Contains(a)) return std::string(why);
  }
  for (const auto& n : denied) {
    if (n.Contains(a) || n.Contains(given)) return std::string("denied by ") + setting;
  }
  return std::nullopt;
}

}  // namespace rampart::net
