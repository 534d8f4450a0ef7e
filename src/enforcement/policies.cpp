#include "enforcement/policies.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "net/domain_name.hpp"
#include "enforcement/policy_audit.hpp"
#include "enforcement/policy_doc.hpp"
#include "enforcement/service_util.hpp"

namespace rampart::enforcement {
namespace json = boost::json;

namespace {
using detail::Bad;
using detail::IsLabel;
using detail::Lower;
using detail::Upsert;

}  // namespace

Result<void> PolicyService::CheckZoneName(const std::string& zone, const store::ZoneNaming& naming) const {
  auto under = [&zone](const std::string& root) {
    return zone.size() > root.size() + 1 && zone.compare(zone.size() - root.size(), root.size(), root) == 0 &&
           zone[zone.size() - root.size() - 1] == '.';
  };
  const std::string own = naming.own_suffix + ".rpz." + opts_.server_name;
  if (under(own)) return {};
  for (const auto& g : naming.granted) {
    if (under(g)) return {};
  }
  std::string roots = own;
  for (const auto& g : naming.granted) roots += ", " + g;
  return Bad("zone_name must be a name under this account's zone suffix (" + roots + "), e.g. corp." + own);
}

const Policy* PolicySet::FindPolicy(std::string_view id) const {
  for (const auto& p : policies) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const Device* PolicySet::FindDevice(std::string_view id) const {
  for (const auto& d : devices) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

PolicyService::PolicyService(store::EnforcementStore& store, userlists::UserListService& lists, const Clock& clock,
                             const crypto::SecretBox& box, PolicyOptions opts)
    : store_(store), lists_(lists), box_(box), clock_(clock), opts_(std::move(opts)) {}

PolicySetPtr PolicyService::Snapshot(const std::string& org_id) const {
  std::lock_guard lock(snap_mu_);
  auto it = by_account_.find(org_id);
  return it == by_account_.end() ? nullptr : it->second;
}

void PolicyService::Drop(const std::string& org_id) {
  std::lock_guard write(write_mu_);
  std::lock_guard lock(snap_mu_);
  by_account_.erase(org_id);
}

Result<PolicySetPtr> PolicyService::Load(const std::string& org_id) {
  if (auto snap = Snapshot(org_id)) return snap;
  std::lock_guard write(write_mu_);
  if (auto snap = Snapshot(org_id)) return snap;
  auto set = std::make_shared<PolicySet>();
  RAMPART_TRY(policies, store_.ListPolicyObjects(org_id, "policy"));
  RAMPART_TRY(devices, store_.ListPolicyObjects(org_id, "device"));
  for (const auto& r : policies) {
    RAMPART_TRY(p, PolicyFromRecord(r));
    set->policies.push_back(std::move(p));
  }
  for (const auto& r : devices) {
    RAMPART_TRY(d, DeviceFromRecord(r));
    set->devices.push_back(std::move(d));
  }
  std::lock_guard lock(snap_mu_);
  return by_account_[org_id] = set;
}

Result<std::vector<std::string>> PolicyService::AccountsWithPolicies() {
  RAMPART_TRY(all, store_.ListPolicyObjects("", "policy"));
  std::vector<std::string> out;
  for (const auto& r : all) {
    if (std::find(out.begin(), out.end(), r.org_id) == out.end()) out.push_back(r.org_id);
  }
  return out;
}

Result<void> PolicyService::Validate(const PolicySet& set, const userlists::AccountLists& lists, const Policy& p) const {
  if (!IsLabel(p.name)) return Bad("name must be 1 to 63 letters, digits or hyphens (it names the RPZ zone)");
  for (const auto& other : set.policies) {
    if (other.id == p.id) continue;
    if (Lower(other.name) == Lower(p.name)) return Error::Conflict("Policy name already in use: " + p.name);
    if (p.type == PolicyType::kDns && other.zone_name == p.zone_name) return Error::Conflict("zone_name already in use");
  }
  if (p.type == PolicyType::kDns && zone_overlaps && zone_overlaps(p.zone_name, p.org_id)) {
    return Bad("zone_name is not available: choose another name under your own zone suffix");  // says nothing of whose
  }
  std::vector<std::string> seen;
  for (const auto& a : p.lists) {
    if (std::find(seen.begin(), seen.end(), a.list_id) != seen.end()) return Bad("list " + a.list_id + " attached twice");
    seen.push_back(a.list_id);
    auto list = lists.FindAnyKind(a.list_id);
    if (!list) return Bad("no such user list: " + a.list_id.substr(0, 64));
    if (list->kind == userlists::ListKind::kDomain && p.type == PolicyType::kIp) {
      return Bad("domain lists can only be attached to dns policies");
    }
  }
  return {};
}

Result<void> PolicyService::Commit(const std::string& org_id, PolicySet next, const store::PolicyObjectRecord& changed,
                                   bool deleted, const store::AuditRecord& audit) {
  if (deleted) {
    RAMPART_CHECK(store_.DeletePolicyObject(org_id, changed.kind, changed.id, audit));
  } else {
    RAMPART_CHECK(store_.PutPolicyObject(changed, audit));
  }
  std::lock_guard lock(snap_mu_);
  by_account_[org_id] = std::make_shared<const PolicySet>(std::move(next));
  return {};
}

Result<Policy> PolicyService::CreatePolicy(const userlists::Actor& actor, const PolicyInput& in) {
  if (!in.name || !in.type) return Bad("name and type are required");
  return SavePolicy(actor, "", in);
}

Result<Policy> PolicyService::UpdatePolicy(const userlists::Actor& actor, const std::string& id, const PolicyInput& in) {
  return SavePolicy(actor, id, in);
}

Result<Policy> PolicyService::SavePolicy(const userlists::Actor& actor, const std::string& id, const PolicyInput& in) {
  const std::string& org_id = actor.org_id;
  RAMPART_TRY(lists, lists_.Load(org_id));  // before write_mu_: see the lock order
  RAMPART_TRY(loaded, Load(org_id));
  Policy p;
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(org_id);
    if (id.empty()) {
      p.id = crypto::NewUuidV4();
      p.org_id = org_id;
      p.created_at_ms = UnixMillis(clock_.Now());
    } else {
      const Policy* old = cur->FindPolicy(id);
      if (!old) return Error::NotFound("no such policy " + QuoteForDetail(id));
      p = *old;
    }
    if (in.type) {
      if (!id.empty() && *in.type != p.type) return Bad("the type of a policy cannot change");
      p.type = *in.type;
    }
    if (in.name) p.name = *in.name;
    if (in.zone_name) {
      if (p.type != PolicyType::kDns) return Bad("zone_name applies to dns policies only");
      net::DomainParse z = net::NormalizeDomain(*in.zone_name, 200);
      if (!z.ok) return Bad("zone_name must be a domain name");
      if (z.value != p.zone_name) {  // a new name must sit under the account's own roots
        RAMPART_TRY(naming, store_.ZoneNamingOf(org_id));
        RAMPART_CHECK(CheckZoneName(z.value, naming));
      }
      p.zone_name = z.value;
    } else if (p.type == PolicyType::kDns && p.zone_name.empty()) {
      RAMPART_TRY(naming, store_.ZoneNamingOf(org_id));
      p.zone_name = Lower(p.name) + "." + naming.own_suffix + ".rpz." + opts_.server_name;
    }
    if (in.lists) {
      p.lists.clear();
      for (const auto& [list_id, how] : *in.lists) {
        auto action = ParseAction(how.first.empty() ? "nxdomain" : how.first, how.second);
        if (!action) return Bad("behavior must be nxdomain, nodata, passthru, drop, or cname with a valid cname");
        p.lists.push_back({list_id, *action});
      }
    }
    RAMPART_CHECK(Validate(*cur, *lists, p));
    for (auto& a : p.lists) {  // allow lists always pass through, whatever the body said
      auto l = lists->FindAnyKind(a.list_id);
      if (l && l->list_type == "allow") a.action = Action{Behavior::kPassthru, {}};
    }
    PolicySet next = *cur;
    Upsert(next.policies, p);
    store::PolicyObjectRecord rec{org_id, "policy", p.id, p.name, p.created_at_ms, json::serialize(PolicyDoc(p)), {}};
    for (const auto& a : p.lists) rec.list_ids.push_back(a.list_id);  // the store refuses a list deleted meanwhile
    const Policy* before = cur->FindPolicy(p.id);
    const std::string before_doc = before ? json::serialize(PolicyDoc(*before)) : "";
    RAMPART_CHECK(Commit(org_id, std::move(next), rec, false,
                         Audit(actor, "policy", p.id, p.name, id.empty() ? "create" : "update", before_doc, rec.doc)));
  }
  Notify(org_id);
  return p;
}

Result<void> PolicyService::DeletePolicy(const userlists::Actor& actor, const std::string& id) {
  const std::string& org_id = actor.org_id;
  RAMPART_TRY(loaded, Load(org_id));
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(org_id);
    const Policy* gone = cur->FindPolicy(id);
    if (!gone) return Error::NotFound("no such policy " + QuoteForDetail(id));
    for (const auto& d : cur->devices) {
      if (d.policy_id == id) return Error::InUse("the policy is used by device " + d.name);
    }
    PolicySet next = *cur;
    std::erase_if(next.policies, [&](const Policy& p) { return p.id == id; });
    store::AuditRecord audit = Audit(actor, "policy", id, gone->name, "delete", json::serialize(PolicyDoc(*gone)), "");
    RAMPART_CHECK(Commit(org_id, std::move(next), {org_id, "policy", id, "", 0, ""}, true, audit));
  }
  Notify(org_id);
  return {};
}

std::optional<std::string> PolicyService::ListInUse(const std::string& org_id, const std::string& list_id) {
  auto set = Load(org_id);
  if (!set) return "policies could not be read: " + set.error().detail;
  for (const auto& p : (*set)->policies) {
    for (const auto& a : p.lists) {
      if (a.list_id == list_id) return "the list is used by policy " + p.name;
    }
  }
  return std::nullopt;
}

}  // namespace rampart::enforcement
