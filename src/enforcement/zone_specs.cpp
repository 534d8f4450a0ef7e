#include <algorithm>

#include "enforcement/policies.hpp"

namespace rampart::enforcement {

std::vector<rpz::ZoneSpec> ZoneSpecsOf(const PolicySet& set) {
  std::vector<rpz::ZoneSpec> out;
  for (const Policy& p : set.policies) {
    if (p.type != PolicyType::kDns) continue;
    rpz::ZoneSpec z{p.zone_name, p.org_id, p.id, p.lists};
    for (const Device& d : set.devices) {
      if (d.policy_id != p.id || d.type != PolicyType::kDns) continue;
      for (const auto& n : d.transfer_acl) {
        z.grants.push_back({n, d.tsig_key_name.empty() ? std::nullopt
                                                       : std::optional<dns::TsigKey>({d.tsig_key_name, d.tsig_secret})});
      }
      for (const auto& t : d.notify) {
        if (std::find(z.notify.begin(), z.notify.end(), t) == z.notify.end()) z.notify.push_back(t);
      }
    }
    out.push_back(std::move(z));
  }
  return out;
}

}  // namespace rampart::enforcement
