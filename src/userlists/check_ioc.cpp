#include "userlists/check_ioc.hpp"

#include "base/strings.hpp"
#include "net/domain_name.hpp"

namespace rampart::userlists {

Result<Ioc> ParseIoc(std::string_view raw) {
  raw = Trim(raw);
  if (auto a = net::IpAddress::Parse(raw)) {
    // An accepted IPv4 text is its own canonical form (no leading zeros, decimal only).
    return Ioc{a->family == net::Family::kV4 ? std::string(raw) : a->ToString(), true, *a};
  }
  auto d = net::NormalizeDomain(raw, 253);
  if (!d.ok) {
    return Error::Invalid("not an IP address or domain name " + QuoteForDetail(raw));
  }
  return Ioc{std::move(d.value), false, {}};
}

IocResult CheckIoc(const AccountLists& lists, Ioc ioc, SysTime now) {
  IocResult out{std::move(ioc), {}};
  const Ioc& q = out.ioc;
  for (const auto& list : lists.lists) {
    if (q.is_ip != (list->kind == ListKind::kIp)) continue;
    auto hit = q.is_ip ? list->MatchIp(q.ip) : list->MatchDomain(q.text);
    if (!hit) continue;
    const Entry& e = list->entries[*hit];
    // An expired entry that the sweeper has not purged yet does not match.
    if (list->IsActive(e, now)) out.matches.push_back({list, &e});
  }
  return out;
}

}  // namespace rampart::userlists
