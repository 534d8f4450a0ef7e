#include "enforcement/export.hpp"

#include <algorithm>

namespace rampart::enforcement {
namespace {

using Range = net::IpRange;

// Sorts and merges overlapping or adjacent ranges of one family.
std::vector<Range> Merge(std::vector<Range> rs) {
  std::sort(rs.begin(), rs.end(), [](const Range& a, const Range& b) { return a.first.bits < b.first.bits; });
  std::vector<Range> out;
  for (const Range& r : rs) {
    if (!out.empty() && (r.first.bits <= out.back().last.bits || r.first.bits - 1 == out.back().last.bits)) {
      out.back().last.bits = std::max(out.back().last.bits, r.last.bits);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

// `block` minus `allow`, both merged and sorted.
std::vector<Range> Subtract(const std::vector<Range>& block, const std::vector<Range>& allow) {
  std::vector<Range> out;
  for (Range r : block) {
    bool gone = false;
    for (const Range& a : allow) {
      if (a.last.bits < r.first.bits || a.first.bits > r.last.bits) continue;
      if (a.first.bits > r.first.bits) out.push_back({r.first, {r.first.family, a.first.bits - 1}});
      if (a.last.bits >= r.last.bits) {
        gone = true;
        break;
      }
      r.first.bits = a.last.bits + 1;
    }
    if (!gone) out.push_back(r);
  }
  return out;
}

std::string Text(const net::IpNetwork& n) {
  return n.prefix == net::BitWidth(n.base.family) ? n.base.ToString() : n.ToString();
}

std::string SetName(const Policy& p) {
  std::string s = "rampart_" + p.name;
  std::replace(s.begin(), s.end(), '-', '_');
  return s.substr(0, 24);  // ipset names are at most 31 characters with the suffixes below
}

std::string Nft(const Policy& p, const std::vector<net::IpNetwork>& nets) {
  const std::string name = SetName(p);
  std::string out = "# rampart policy " + p.name + ": atomic replacement (nft -f runs it as one transaction)\n";
  out += "table inet rampart {\n  set " + name + "_v4 { type ipv4_addr; flags interval; }\n  set " + name +
         "_v6 { type ipv6_addr; flags interval; }\n}\n";
  out += "flush set inet rampart " + name + "_v4\nflush set inet rampart " + name + "_v6\n";
  for (auto family : {net::Family::kV4, net::Family::kV6}) {
    size_t in_line = 0;
    for (const auto& n : nets) {
      if (n.base.family != family) continue;
      if (in_line == 0) out += "add element inet rampart " + name + (family == net::Family::kV4 ? "_v4" : "_v6") + " { ";
      out += (in_line ? ", " : "") + Text(n);
      if (++in_line == 4096) out += " }\n", in_line = 0;
    }
    if (in_line) out += " }\n";
  }
  return out;
}

std::string Ipset(const Policy& p, const std::vector<net::IpNetwork>& nets) {
  std::string out = "# rampart policy " + p.name + ": load with `ipset restore -exist < file` (fills a temporary set, swaps it in)\n";
  for (auto family : {net::Family::kV4, net::Family::kV6}) {
    const size_t count = std::count_if(nets.begin(), nets.end(), [&](const auto& n) { return n.base.family == family; });
    size_t maxelem = 65536;
    while (maxelem < count) maxelem *= 2;
    const std::string live = SetName(p) + (family == net::Family::kV4 ? "_4" : "_6");
    const std::string tmp = live + "_t";
    const std::string params = std::string(" hash:net family ") + (family == net::Family::kV4 ? "inet" : "inet6") +
                               " hashsize " + std::to_string(std::max<size_t>(1024, maxelem / 4)) + " maxelem " +
                               std::to_string(maxelem) + "\n";
    out += "create " + live + params + "create " + tmp + params + "flush " + tmp + "\n";
    for (const auto& n : nets) {
      if (n.base.family == family) out += "add " + tmp + " " + n.ToString() + "\n";
    }
    out += "swap " + tmp + " " + live + "\ndestroy " + tmp + "\n";
  }
  return out;
}

}  // namespace

std::vector<net::IpNetwork> EffectiveNetworks(const Policy& p, const userlists::AccountLists& lists, SysTime now) {
  std::vector<net::IpNetwork> out;
  for (auto family : {net::Family::kV4, net::Family::kV6}) {
    std::vector<Range> block, allow;
    for (const auto& a : p.lists) {
      auto list = lists.Find(userlists::ListKind::kIp, a.list_id);
      if (!list) continue;
      for (const auto& e : list->entries) {
        if (!e.parsed.span || e.parsed.span->first.family != family || !list->IsActive(e, now)) continue;
        (list->list_type == "allow" ? allow : block).push_back(*e.parsed.span);
      }
    }
    for (const Range& r : Subtract(Merge(block), Merge(allow))) {
      for (const auto& n : r.ToPrefixes()) out.push_back(n);
    }
  }
  return out;
}

Result<std::string> ExportIpPolicy(const Policy& p, const userlists::AccountLists& lists, SysTime now,
                                   std::string_view format) {
  if (format != "plain" && format != "nft" && format != "ipset") {
    return Error::Invalid("format must be nft, ipset or plain");
  }
  std::vector<net::IpNetwork> nets = EffectiveNetworks(p, lists, now);
  if (format == "nft") return Nft(p, nets);
  if (format == "ipset") return Ipset(p, nets);
  std::string out;
  for (const auto& n : nets) out += Text(n) + "\n";
  return out;
}

}  // namespace rampart::enforcement
