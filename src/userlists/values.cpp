#include "userlists/values.hpp"

#include <array>
#include <charconv>
#include <span>

#include "base/strings.hpp"
#include "net/domain_name.hpp"

namespace rampart::userlists {
namespace {

using net::Family;
using net::IpNetwork;
using net::IpRange;
using net::U128;

Error Invalid(Reason r, std::string msg) { return Error::Invalid(r, std::move(msg)); }
Error Invalid(std::string msg) { return Error::Invalid(std::move(msg)); }

struct Forbidden {
  const char* cidr;
  const char* why;
};

constexpr std::array kForbiddenV4 = {
    Forbidden{"0.0.0.0/8", "'this network' (0.0.0.0/8)"},
    Forbidden{"10.0.0.0/8", "private network (RFC 1918)"},
    Forbidden{"100.64.0.0/10", "shared address space (RFC 6598)"},
    Forbidden{"127.0.0.0/8", "loopback"},
    Forbidden{"169.254.0.0/16", "link-local"},
    Forbidden{"172.16.0.0/12", "private network (RFC 1918)"},
    Forbidden{"192.168.0.0/16", "private network (RFC 1918)"},
    Forbidden{"224.0.0.0/4", "multicast"},
    Forbidden{"240.0.0.0/4", "reserved (240.0.0.0/4)"},
};

constexpr std::array kForbiddenV6 = {
    Forbidden{"::/128", "unspecified address"},
    Forbidden{"::1/128", "loopback"},
    Forbidden{"::ffff:0:0/96", "IPv4-mapped (use the IPv4 form)"},
    Forbidden{"fc00::/7", "unique local (ULA)"},
    Forbidden{"fe80::/10", "link-local"},
    Forbidden{"ff00::/8", "multicast"},
    Forbidden{"2001:db8::/32", "documentation range"},
};

template <size_t N>
std::vector<std::pair<IpRange, const Forbidden*>> Compile(const std::array<Forbidden, N>& table) {
  std::vector<std::pair<IpRange, const Forbidden*>> out;
  for (const Forbidden& fb : table) out.emplace_back(net::RangeOf(*IpNetwork::Parse(fb.cidr)), &fb);
  return out;
}

// Largest span allowed: a /12 for IPv4 and a /32 for IPv6.
U128 MaxSpan(Family f) { return f == Family::kV4 ? (U128(1) << 20) : (U128(1) << 96); }

std::optional<int> Number(std::string_view s, size_t min_digits, size_t max_digits) {
  if (s.size() < min_digits || s.size() > max_digits) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<EntryValue> ParseIp(std::string_view raw) {
  EntryValue out;
  IpRange span;
  if (raw.find('/') != std::string_view::npos) {
    auto n = IpNetwork::Parse(raw);
    if (!n) return Invalid(Reason::kNotAnAddress, "invalid network " + QuoteForDetail(raw));
    out.value = n->ToString();
    out.address_type = "netmask";
    span = net::RangeOf(*n);
  } else if (raw.find('-') != std::string_view::npos) {
    auto r = IpRange::Parse(raw);
    if (!r) return Invalid(Reason::kNotAnAddress, "invalid address range " + QuoteForDetail(raw));
    out.value = r->first.ToString() + "-" + r->last.ToString();
    out.address_type = "range";
    span = *r;
  } else {
    auto a = net::IpAddress::Parse(raw);
    if (!a) return Invalid(Reason::kNotAnAddress, "not an IP address " + QuoteForDetail(raw));
    out.value = a->ToString();
    out.address_type = "ip";
    span = {*a, *a};
  }
  if (auto why = ForbiddenReason(span)) {
    return Invalid(Reason::kForbiddenNetwork, "forbidden network entry " + QuoteForDetail(raw) + ": " + *why);
  }
  out.size = span.Size();
  out.span = span;
  return out;
}

bool LooksLikeIp(std::string_view raw) {
  return net::IpAddress::Parse(raw) || IpNetwork::Parse(raw) || IpRange::Parse(raw);
}

}  // namespace

std::optional<std::string> ForbiddenReason(const IpRange& r) {
  const Family f = r.first.family;
  if (r.Size() > MaxSpan(f)) {
    return std::string("larger than a /") + (f == Family::kV4 ? "12" : "32");
  }
  static const auto kV4 = Compile(kForbiddenV4), kV6 = Compile(kForbiddenV6);
  for (const auto& [range, fb] : f == Family::kV4 ? kV4 : kV6) {
    if (r.Overlaps(range)) return std::string(fb->why) + ", overlaps " + fb->cidr;
  }
  if (f == Family::kV4 && r.last.bits == 0xffffffffu) return std::string("limited broadcast");
  return std::nullopt;
}

Result<EntryValue> ParseEntryValue(ListKind kind, std::string_view raw) {
  raw = Trim(raw);
  if (raw.empty()) return Invalid(Reason::kNotAnAddress, "empty address value");
  if (kind == ListKind::kIp) return ParseIp(raw);
  if (LooksLikeIp(raw)) {
    return Invalid(Reason::kNotAnAddress, "IP address in a domain list " + QuoteForDetail(raw));
  }
  auto d = net::NormalizeDomain(raw, kMaxDomainLength);
  if (!d.ok && d.error == net::DomainError::kTooLong) {
    return Invalid(Reason::kDomainTooLong,
                   "domain longer than 200 characters " + QuoteForDetail(raw.substr(0, 64)));
  }
  if (!d.ok) return Invalid(Reason::kNotAnAddress, "not a domain name " + QuoteForDetail(raw));
  return EntryValue{std::move(d.value), "domain", 1, std::nullopt};
}

Result<Date> ParseExpiryDate(std::string_view raw, DateOrder order) {
  auto bad = [&] {
    return Invalid("malformed date " + QuoteForDetail(raw) + " (use YYYY-MM-DD or MM/DD/YYYY)");
  };
  if (raw.find('/') != std::string_view::npos) {
    auto s1 = raw.find('/'), s2 = raw.find('/', s1 + 1);
    if (s2 == std::string_view::npos || raw.find('/', s2 + 1) != std::string_view::npos) return bad();
    auto a = Number(raw.substr(0, s1), 1, 2), b = Number(raw.substr(s1 + 1, s2 - s1 - 1), 1, 2);
    auto y = Number(raw.substr(s2 + 1), 4, 4);
    if (!a || !b || !y) return bad();
    bool dmy = *a > 12 || order == DateOrder::kDmy;
    auto d = dmy ? Date::FromYmd(*y, *b, *a) : Date::FromYmd(*y, *a, *b);
    if (!d) return bad();
    return *d;
  }
  if (raw.size() == 10) {
    if (auto d = ParseIsoDate(raw)) return *d;
    return bad();
  }
  // ISO-8601 date-time: YYYY-MM-DDThh:mm[:ss[.frac]](Z|±hh:mm). The expiry is the UTC day.
  if (raw.size() < 16 || (raw[10] != 'T' && raw[10] != 't' && raw[10] != ' ')) return bad();
  auto day = ParseIsoDate(raw.substr(0, 10));
  if (!day) return bad();
  std::string_view rest = raw.substr(11);
  auto hh = Number(rest.substr(0, 2), 2, 2), mm = Number(rest.substr(3, 2), 2, 2);
  if (!hh || !mm || rest[2] != ':' || *hh > 23 || *mm > 59) return bad();
  rest.remove_prefix(5);
  int ss = 0;
  if (!rest.empty() && rest[0] == ':') {
    auto s = Number(rest.substr(1, 2), 2, 2);
    if (!s || *s > 60) return bad();
    ss = *s;
    rest.remove_prefix(3);
    if (!rest.empty() && rest[0] == '.') {
      size_t i = 1;
      while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
      if (i == 1) return bad();
      rest.remove_prefix(i);
    }
  }
  int offset_min = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    auto oh = Number(rest.substr(1, 2), 2, 2), om = Number(rest.substr(4, 2), 2, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return bad();
    offset_min = (rest[0] == '+' ? 1 : -1) * (*oh * 60 + *om);
  } else if (!rest.empty()) {
    return bad();
  }
  int64_t secs = day->days() * 86400 + *hh * 3600 + *mm * 60 + ss - offset_min * 60;
  Date date = Date::FromUnixSeconds(secs);
  if (date > *Date::FromYmd(9999, 12, 31)) return bad();  // must stay representable as YYYY-MM-DD
  return date;
}

}  // namespace rampart::userlists
