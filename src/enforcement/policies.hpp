#pragma once
// Policies and devices (the v4.0 `/policies` and `/devices` services), independent of HTTP.
//
// A policy attaches user lists, each with an RPZ behavior; a `dns` policy is compiled into an RPZ
// zone, an `ip` policy into address sets for firewalls. A device receives one policy; a DNS
// device also says who may transfer the zone (its ACL) and whom to NOTIFY. Each organization's
// policies and devices are an immutable PolicySet snapshot; writes are serialized per service,
// committed to the store first, then published. Blocking methods call the store.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "crypto/secretbox.hpp"
#include "net/ip_address.hpp"
#include "rpz/zone.hpp"
#include "rpz/zone_spec.hpp"
#include "store/store.hpp"
#include "userlists/service.hpp"

namespace rampart::enforcement {

using rpz::Action;
using rpz::Behavior;
using rpz::BehaviorName;
using rpz::ParseAction;
using rpz::AttachedList;  // for ip policies the action is always nxdomain (unused)
using rpz::NotifyTarget;

// A policy (and the devices that take it) is compiled into an RPZ zone (dns) or firewall sets (ip).
enum class PolicyType { kDns, kIp };
std::optional<PolicyType> ParsePolicyType(std::string_view s);  // "dns" | "ip"
const char* PolicyTypeName(PolicyType t);

struct Policy {
  std::string id, org_id, name;
  PolicyType type = PolicyType::kDns;
  std::string zone_name;  // dns only
  int64_t created_at_ms = 0;
  std::vector<AttachedList> lists;
};

struct Device {
  std::string id, org_id, name;
  PolicyType type = PolicyType::kDns;
  std::string policy_id;
  int64_t created_at_ms = 0;
  std::vector<net::IpNetwork> transfer_acl = {};  // dns only
  std::vector<NotifyTarget> notify = {};          // dns only
  std::string tsig_key_name = {};                 // dns only; empty: no TSIG
  std::string tsig_secret = {};                   // raw bytes, opened; sealed at rest
  bool secret_is_new = false;                // just generated: the API shows it once
};

struct PolicySet {
  std::vector<Policy> policies;  // creation order
  std::vector<Device> devices;
  const Policy* FindPolicy(std::string_view id) const;
  const Device* FindDevice(std::string_view id) const;
};
using PolicySetPtr = std::shared_ptr<const PolicySet>;

// The zones the set's DNS policies are served as: each policy's lists, and the networks, TSIG keys
// and NOTIFY targets of the DNS devices that use it (a resolver two devices name is notified once).
std::vector<rpz::ZoneSpec> ZoneSpecsOf(const PolicySet& set);

// A request body, decoded at the edge (api/policies_handlers.cpp); absent fields stay unset.
struct PolicyInput {
  std::optional<std::string> name;
  std::optional<PolicyType> type;
  std::optional<std::string> zone_name;
  std::optional<std::vector<std::pair<std::string, std::pair<std::string, std::string>>>> lists;  // id, (behavior, cname)
};
struct DeviceInput {
  std::optional<std::string> name;
  std::optional<PolicyType> type;
  std::optional<std::string> policy_id;
  std::optional<std::vector<std::string>> transfer_acl, notify;
  std::optional<bool> tsig;  // true: (re)generate the device's HMAC-SHA256 key; false: remove it
};

struct PolicyOptions {
  std::string server_name = "rampart";  // default zone names are <policy>.<account suffix>.rpz.<server_name>
  // NOTIFY targets: never unspecified, multicast, broadcast/reserved or link-local addresses, nor
  // any in these networks (loopback and private ranges stay allowed: resolvers live there).
  std::vector<net::IpNetwork> notify_denied_networks = {};
  size_t max_notify_per_device = 16;
  size_t max_notify_per_account = 64;
};

// Why `a` may not receive NOTIFY ("link-local", "multicast", "denied by notify_denied_networks"…),
// or nullopt when it may. An IPv4-mapped IPv6 address is judged by its IPv4 address.
std::optional<std::string> RefusedNotifyAddress(const net::IpAddress& a, const std::vector<net::IpNetwork>& denied);

class PolicyService {
 public:
  // `box` seals devices' TSIG secrets at rest (the same master key as the Hawk keys).
  PolicyService(store::EnforcementStore& store, userlists::UserListService& lists, const Clock& clock,
                const crypto::SecretBox& box, PolicyOptions opts);

  // Blocking: loads the account's policies and devices on first use.
  Result<PolicySetPtr> Load(const std::string& org_id);
  // Non-blocking: the loaded snapshot, or nullptr.
  PolicySetPtr Snapshot(const std::string& org_id) const;
  // Forgets the loaded snapshot: the next Load reads the store (another process changed it).
  void Drop(const std::string& org_id);
  // Every account that has policies (for start-up). Blocking.
  Result<std::vector<std::string>> AccountsWithPolicies();

  // Writes by `actor` (account and token), each audited with the change (who, what, before/after):
  // GET /v4.0/policies/{id}/history and /v4.0/devices/{id}/history read them.
  Result<Policy> CreatePolicy(const userlists::Actor& actor, const PolicyInput& in);
  Result<Policy> UpdatePolicy(const userlists::Actor& actor, const std::string& id, const PolicyInput& in);
  Result<void> DeletePolicy(const userlists::Actor& actor, const std::string& id);
  Result<Device> CreateDevice(const userlists::Actor& actor, const DeviceInput& in);
  Result<Device> UpdateDevice(const userlists::Actor& actor, const std::string& id, const DeviceInput& in);
  Result<void> DeleteDevice(const userlists::Actor& actor, const std::string& id);

  // For the user list service: the policy using the list, as a sentence, or nullopt.
  std::optional<std::string> ListInUse(const std::string& org_id, const std::string& list_id);

  // Called after every published change, with the account id (composition root wires the zones).
  void OnChange(std::function<void(const std::string&)> f) { on_change_ = std::move(f); }
  // True when another account serves a zone of this name, or a parent or child of it.
  std::function<bool(const std::string& zone, const std::string& org_id)> zone_overlaps;

 private:
  Result<Policy> SavePolicy(const userlists::Actor& actor, const std::string& id, const PolicyInput& in);
  Result<Device> SaveDevice(const userlists::Actor& actor, const std::string& id, const DeviceInput& in);
  Result<void> Validate(const PolicySet& set, const userlists::AccountLists& lists, const Policy& p) const;
  // `is_new`: d is being created (its type is set, not changed).
  Result<void> ApplyDevice(const PolicySet& set, const DeviceInput& in, Device& d, bool is_new) const;
  // A chosen zone name must lie under <own suffix>.rpz.<server_name> or a granted suffix.
  Result<void> CheckZoneName(const std::string& zone, const store::ZoneNaming& naming) const;
  // Stores `changed` (or deletes kind/id when `deleted`) with `audit` in one transaction, then
  // publishes `next`. Under write_mu_.
  Result<void> Commit(const std::string& org_id, PolicySet next, const store::PolicyObjectRecord& changed,
                      bool deleted, const store::AuditRecord& audit);
  // The audit record of a change by `actor`: before and after as stored, with no TSIG secret.
  store::AuditRecord Audit(const userlists::Actor& actor, const std::string& kind, const std::string& id,
                           const std::string& name, const char* action, const std::string& before_doc,
                           const std::string& after_doc) const;
  void Notify(const std::string& org_id) {
    if (on_change_) on_change_(org_id);
  }

  // A stored device document; an unreadable one is an Internal error naming it, never an exception.
  Result<Device> DeviceFromRecord(const store::PolicyObjectRecord& r) const;
  std::string DeviceDoc(const Device& d) const;

  store::EnforcementStore& store_;
  userlists::UserListService& lists_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  PolicyOptions opts_;
  // Lock order: write_mu_ is never held while calling into the list service (whose hooks call
  // back into this service); snap_mu_ only guards the map, briefly.
  std::mutex write_mu_;
  mutable std::mutex snap_mu_;
  std::unordered_map<std::string, PolicySetPtr> by_account_;
  std::function<void(const std::string&)> on_change_;
};

}  // namespace rampart::enforcement
