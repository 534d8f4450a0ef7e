#include "rpz/policies.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "net/domain_name.hpp"
#include "rpz/policy_audit.hpp"

namespace rampart::rpz {
namespace json = boost::json;
namespace code = userlists::code;

namespace {

Error Bad(std::string detail) { return Error::Invalid(code::kBadParameters, std::move(detail)); }

bool IsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAsciiAlnum(c) || c == '-'; });
}

std::string Lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

// Replaces the element with `v`'s id, or appends `v` (creation order is kept).
template <class T>
void Upsert(std::vector<T>& all, const T& v) {
  auto it = std::find_if(all.begin(), all.end(), [&](const T& x) { return x.id == v.id; });
  if (it == all.end()) {
    all.push_back(v);
  } else {
    *it = v;
  }
}

std::optional<NotifyTarget> ParseTarget(std::string_view text) {
  // "1.2.3.4:5301", "[::1]:5301", or an address alone (port 53).
  std::string_view host = text, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return std::nullopt;
      port = text.substr(close + 2);
    }
  } else if (text.find(':') == text.rfind(':') && text.find(':') != std::string_view::npos) {
    host = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  auto a = net::IpAddress::Parse(host);
  if (!a) return std::nullopt;
  NotifyTarget t{*a, 53};
  if (!port.empty()) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535) return std::nullopt;
    t.port = static_cast<uint16_t>(v);
  }
  return t;
}

json::object PolicyDoc(const Policy& p) {
  json::array lists;
  for (const auto& l : p.lists) {
    lists.push_back({{"list_id", l.list_id}, {"behavior", BehaviorName(l.action.behavior)}, {"cname", l.action.cname}});
  }
  return {{"type", p.type}, {"zone_name", p.zone_name}, {"lists", lists}};
}


Policy PolicyFromRecord(const store::PolicyObjectRecord& r) {
  Policy p{r.id, r.account_id, r.name, "", "", r.created_at_ms, {}};
  json::object o = json::parse(r.doc).as_object();
  p.type = std::string(o.at("type").as_string());
  p.zone_name = std::string(o.at("zone_name").as_string());
  for (const auto& l : o.at("lists").as_array()) {
    auto a = ParseAction(l.at("behavior").as_string(), l.at("cname").as_string());
    p.lists.push_back({std::string(l.at("list_id").as_string()), a.value_or(Action{})});
  }
  return p;
}

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

std::optional<std::string> RefusedNotifyAddress(const net::IpAddress& given, const std::vector<net::IpNetwork>& denied) {
  net::IpAddress a = given;
  const net::U128 mapped_prefix = net::U128(0xffff) << 32;
  if (a.family == net::Family::kV6 && (a.bits >> 32) == (mapped_prefix >> 32)) {  // ::ffff:a.b.c.d
    a = net::IpAddress{net::Family::kV4, a.bits & net::U128(0xffffffffu)};
  }
  static const std::vector<std::pair<const char*, const char*>> kNever = {
      {"0.0.0.0/8", "unspecified"},        {"::/128", "unspecified"},
      {"224.0.0.0/4", "multicast"},        {"ff00::/8", "multicast"},
      {"240.0.0.0/4", "broadcast or reserved"},
      {"169.254.0.0/16", "link-local"},    {"fe80::/10", "link-local"}};
  for (const auto& [net_text, why] : kNever) {
    if (net::IpNetwork::Parse(net_text)->Contains(a)) return std::string(why);
  }
  for (const auto& n : denied) {
    if (n.Contains(a) || n.Contains(given)) return std::string("denied by notify_denied_networks");
  }
  return std::nullopt;
}

std::string PolicyService::DeviceDoc(const Device& d) const {
  json::array acl, notify;
  for (const auto& n : d.transfer_acl) acl.push_back(json::value(n.ToString()));
  for (const auto& t : d.notify) notify.push_back(json::value(t.ToString()));
  json::object o{{"type", d.type}, {"policy_id", d.policy_id}, {"transfer_acl", acl}, {"notify", notify}};
  if (!d.tsig_key_name.empty()) {
    o["tsig_key_name"] = d.tsig_key_name;
    o["tsig_secret_sealed"] = box_.Seal(d.tsig_secret);
  }
  return json::serialize(o);
}

Device PolicyService::DeviceFromRecord(const store::PolicyObjectRecord& r) const {
  Device d{r.id, r.account_id, r.name, "", "", r.created_at_ms, {}, {}, "", "", false};
  json::object o = json::parse(r.doc).as_object();
  if (const auto* k = o.if_contains("tsig_key_name")) {
    auto secret = box_.Open(o.at("tsig_secret_sealed").as_string());
    if (secret) {  // a secret that does not open (other master key) leaves the device without TSIG
      d.tsig_key_name = std::string(k->as_string());
      d.tsig_secret = std::move(*secret);
    }
  }
  d.type = std::string(o.at("type").as_string());
  d.policy_id = std::string(o.at("policy_id").as_string());
  for (const auto& n : o.at("transfer_acl").as_array()) {
    if (auto net = net::IpNetwork::Parse(n.as_string())) d.transfer_acl.push_back(*net);
  }
  for (const auto& t : o.at("notify").as_array()) {
    if (auto target = ParseTarget(t.as_string())) d.notify.push_back(*target);
  }
  return d;
}


std::string NotifyTarget::ToString() const {
  std::string a = address.ToString();
  if (address.family == net::Family::kV6) a = "[" + a + "]";
  return a + ":" + std::to_string(port);
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

PolicySetPtr PolicyService::Snapshot(const std::string& account_id) const {
  std::lock_guard lock(snap_mu_);
  auto it = by_account_.find(account_id);
  return it == by_account_.end() ? nullptr : it->second;
}

Result<PolicySetPtr> PolicyService::Load(const std::string& account_id) {
  if (auto snap = Snapshot(account_id)) return snap;
  std::lock_guard write(write_mu_);
  if (auto snap = Snapshot(account_id)) return snap;
  auto set = std::make_shared<PolicySet>();
  RAMPART_TRY(policies, store_.ListPolicyObjects(account_id, "policy"));
  RAMPART_TRY(devices, store_.ListPolicyObjects(account_id, "device"));
  for (const auto& r : policies) set->policies.push_back(PolicyFromRecord(r));
  for (const auto& r : devices) set->devices.push_back(DeviceFromRecord(r));
  std::lock_guard lock(snap_mu_);
  return by_account_[account_id] = set;
}

Result<std::vector<std::string>> PolicyService::AccountsWithPolicies() {
  RAMPART_TRY(all, store_.ListPolicyObjects("", "policy"));
  std::vector<std::string> out;
  for (const auto& r : all) {
    if (std::find(out.begin(), out.end(), r.account_id) == out.end()) out.push_back(r.account_id);
  }
  return out;
}

Result<void> PolicyService::Validate(const PolicySet& set, const userlists::AccountLists& lists, const Policy& p) const {
  if (!IsLabel(p.name)) return Bad("name must be 1 to 63 letters, digits or hyphens (it names the RPZ zone)");
  for (const auto& other : set.policies) {
    if (other.id == p.id) continue;
    if (Lower(other.name) == Lower(p.name)) return Error::Invalid(code::kNameInUse, "Policy name already in use: " + p.name);
    if (p.type == "dns" && other.zone_name == p.zone_name) return Error::Invalid(code::kNameInUse, "zone_name already in use");
  }
  if (p.type == "dns" && zone_overlaps && zone_overlaps(p.zone_name, p.account_id)) {
    return Bad("zone_name is not available: choose another name under your own zone suffix");  // says nothing of whose
  }
  std::vector<std::string> seen;
  for (const auto& a : p.lists) {
    if (std::find(seen.begin(), seen.end(), a.list_id) != seen.end()) return Bad("list " + a.list_id + " attached twice");
    seen.push_back(a.list_id);
    auto list = lists.FindAnyKind(a.list_id);
    if (!list) return Bad("no such user list: " + a.list_id.substr(0, 64));
    if (list->kind == userlists::ListKind::kDomain && p.type == "ip") {
      return Bad("domain lists can only be attached to dns policies");
    }
  }
  return {};
}

Result<void> PolicyService::Commit(const std::string& account_id, PolicySet next, const store::PolicyObjectRecord& changed,
                                   bool deleted, const store::AuditRecord& audit) {
  if (deleted) {
    RAMPART_CHECK(store_.DeletePolicyObject(account_id, changed.kind, changed.id, audit));
  } else {
    RAMPART_CHECK(store_.PutPolicyObject(changed, audit));
  }
  std::lock_guard lock(snap_mu_);
  by_account_[account_id] = std::make_shared<const PolicySet>(std::move(next));
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
  const std::string& account_id = actor.account_id;
  RAMPART_TRY(lists, lists_.Load(account_id));  // before write_mu_: see the lock order
  RAMPART_TRY(loaded, Load(account_id));
  Policy p;
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(account_id);
    if (id.empty()) {
      p.id = crypto::NewUuidV4();
      p.account_id = account_id;
      p.created_at_ms = UnixMillis(clock_.Now());
    } else {
      const Policy* old = cur->FindPolicy(id);
      if (!old) return Error::NotFound(code::kNotFound, "no such policy " + QuoteForDetail(id));
      p = *old;
    }
    if (in.type) {
      if (*in.type != "dns" && *in.type != "ip") return Bad("type must be dns or ip");
      if (!id.empty() && *in.type != p.type) return Bad("the type of a policy cannot change");
      p.type = *in.type;
    }
    if (in.name) p.name = *in.name;
    if (in.zone_name) {
      if (p.type != "dns") return Bad("zone_name applies to dns policies only");
      net::DomainParse z = net::NormalizeDomain(*in.zone_name, 200);
      if (!z.ok) return Bad("zone_name must be a domain name");
      if (z.value != p.zone_name) {  // a new name must sit under the account's own roots
        RAMPART_TRY(naming, store_.ZoneNamingOf(account_id));
        RAMPART_CHECK(CheckZoneName(z.value, naming));
      }
      p.zone_name = z.value;
    } else if (p.type == "dns" && p.zone_name.empty()) {
      RAMPART_TRY(naming, store_.ZoneNamingOf(account_id));
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
    store::PolicyObjectRecord rec{account_id, "policy", p.id, p.name, p.created_at_ms, json::serialize(PolicyDoc(p)), {}};
    for (const auto& a : p.lists) rec.list_ids.push_back(a.list_id);  // the store refuses a list deleted meanwhile
    const Policy* before = cur->FindPolicy(p.id);
    const std::string before_doc = before ? json::serialize(PolicyDoc(*before)) : "";
    RAMPART_CHECK(Commit(account_id, std::move(next), rec, false,
                         Audit(actor, "policy", p.id, p.name, id.empty() ? "create" : "update", before_doc, rec.doc)));
  }
  Notify(account_id);
  return p;
}

Result<void> PolicyService::DeletePolicy(const userlists::Actor& actor, const std::string& id) {
  const std::string& account_id = actor.account_id;
  RAMPART_TRY(loaded, Load(account_id));
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(account_id);
    const Policy* gone = cur->FindPolicy(id);
    if (!gone) return Error::NotFound(code::kNotFound, "no such policy " + QuoteForDetail(id));
    for (const auto& d : cur->devices) {
      if (d.policy_id == id) return Error::Invalid(code::kInUse, "the policy is used by device " + d.name);
    }
    PolicySet next = *cur;
    std::erase_if(next.policies, [&](const Policy& p) { return p.id == id; });
    store::AuditRecord audit = Audit(actor, "policy", id, gone->name, "delete", json::serialize(PolicyDoc(*gone)), "");
    RAMPART_CHECK(Commit(account_id, std::move(next), {account_id, "policy", id, "", 0, ""}, true, audit));
  }
  Notify(account_id);
  return {};
}

Result<void> PolicyService::ApplyDevice(const PolicySet& set, const DeviceInput& in, Device& d) const {
  if (in.type) {
    if (*in.type != "dns" && *in.type != "ip") return Bad("type must be dns or ip");
    if (!d.type.empty() && *in.type != d.type) return Bad("the type of a device cannot change");
    d.type = *in.type;
  }
  if (in.name) d.name = *in.name;
  if (d.name.empty() || d.name.size() > 64) return Bad("name must be 1 to 64 characters");
  for (const auto& other : set.devices) {
    if (other.id != d.id && Lower(other.name) == Lower(d.name)) {
      return Error::Invalid(code::kNameInUse, "Device name already in use: " + QuoteForDetail(d.name));
    }
  }
  if (in.policy_id) d.policy_id = *in.policy_id;
  const Policy* p = set.FindPolicy(d.policy_id);
  if (!p) return Bad("policy_id must name a policy of this account");
  if (p->type != d.type) return Bad("a " + d.type + " device needs a " + d.type + " policy");
  if ((in.transfer_acl || in.notify) && d.type != "dns") return Bad("transfer_acl and notify apply to dns devices only");
  if (in.transfer_acl) {
    d.transfer_acl.clear();
    for (const auto& text : *in.transfer_acl) {
      auto n = net::IpNetwork::Parse(text);
      if (auto a = net::IpAddress::Parse(text); !n && a) n = net::IpNetwork{*a, net::BitWidth(a->family)};
      if (!n) return Bad("transfer_acl entries must be addresses or networks: " + QuoteForDetail(text));
      d.transfer_acl.push_back(*n);
    }
  }
  if (in.tsig && d.type != "dns") return Bad("tsig applies to dns devices only");
  if (in.tsig && *in.tsig) {
    std::array<uint8_t, 32> secret{};
    crypto::RandomBytes(secret);
    d.tsig_secret.assign(secret.begin(), secret.end());
    d.tsig_key_name = "rampart-" + d.id.substr(0, 8);
    d.secret_is_new = true;
  } else if (in.tsig) {
    d.tsig_key_name.clear();
    d.tsig_secret.clear();
  }
  if (in.notify) {
    if (in.notify->size() > opts_.max_notify_per_device) {
      return Bad("a device takes at most " + std::to_string(opts_.max_notify_per_device) + " notify targets");
    }
    d.notify.clear();
    for (const auto& text : *in.notify) {
      auto t = ParseTarget(text);
      if (!t) return Bad("notify entries must be address:port: " + QuoteForDetail(text));
      if (auto why = RefusedNotifyAddress(t->address, opts_.notify_denied_networks)) {
        return Bad("notify target refused (" + *why + "): " + QuoteForDetail(text));
      }
      d.notify.push_back(*t);
    }
    size_t total = d.notify.size();
    for (const auto& other : set.devices) {
      if (other.id != d.id) total += other.notify.size();
    }
    if (total > opts_.max_notify_per_account) {
      return Bad("an account's devices take at most " + std::to_string(opts_.max_notify_per_account) +
                 " notify targets in all (this change makes " + std::to_string(total) + ")");
    }
  }
  return {};
}

Result<Device> PolicyService::CreateDevice(const userlists::Actor& actor, const DeviceInput& in) {
  if (!in.name || !in.type || !in.policy_id) return Bad("name, type and policy_id are required");
  return SaveDevice(actor, "", in);
}

Result<Device> PolicyService::UpdateDevice(const userlists::Actor& actor, const std::string& id, const DeviceInput& in) {
  return SaveDevice(actor, id, in);
}

Result<Device> PolicyService::SaveDevice(const userlists::Actor& actor, const std::string& id, const DeviceInput& in) {
  const std::string& account_id = actor.account_id;
  RAMPART_TRY(loaded, Load(account_id));
  Device d;
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(account_id);
    if (id.empty()) {
      d.id = crypto::NewUuidV4();
      d.account_id = account_id;
      d.created_at_ms = UnixMillis(clock_.Now());
    } else {
      const Device* old = cur->FindDevice(id);
      if (!old) return Error::NotFound(code::kNotFound, "no such device " + QuoteForDetail(id));
      d = *old;
    }
    RAMPART_CHECK(ApplyDevice(*cur, in, d));
    Device published = d;  // the flag only marks this answer
    published.secret_is_new = false;
    PolicySet next = *cur;
    Upsert(next.devices, published);
    store::PolicyObjectRecord rec{account_id, "device", d.id, d.name, d.created_at_ms, DeviceDoc(d)};
    const Device* before = cur->FindDevice(d.id);
    std::string after_doc = AuditDeviceDoc(d, before);
    RAMPART_CHECK(Commit(account_id, std::move(next), rec, false,
                         Audit(actor, "device", d.id, d.name, id.empty() ? "create" : "update",
                               before ? AuditDeviceDoc(*before, nullptr) : "", after_doc)));
  }
  Notify(account_id);
  return d;
}

Result<void> PolicyService::DeleteDevice(const userlists::Actor& actor, const std::string& id) {
  const std::string& account_id = actor.account_id;
  RAMPART_TRY(loaded, Load(account_id));
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(account_id);
    const Device* gone = cur->FindDevice(id);
    if (!gone) return Error::NotFound(code::kNotFound, "no such device " + QuoteForDetail(id));
    PolicySet next = *cur;
    std::erase_if(next.devices, [&](const Device& d) { return d.id == id; });
    store::AuditRecord audit = Audit(actor, "device", id, gone->name, "delete", AuditDeviceDoc(*gone, nullptr), "");
    RAMPART_CHECK(Commit(account_id, std::move(next), {account_id, "device", id, "", 0, ""}, true, audit));
  }
  Notify(account_id);
  return {};
}

std::optional<std::string> PolicyService::ListInUse(const std::string& account_id, const std::string& list_id) {
  auto set = Load(account_id);
  if (!set) return "policies could not be read: " + set.error().detail;
  for (const auto& p : (*set)->policies) {
    for (const auto& a : p.lists) {
      if (a.list_id == list_id) return "the list is used by policy " + p.name;
    }
  }
  return std::nullopt;
}

}  // namespace rampart::rpz
