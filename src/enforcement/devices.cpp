// The device half of PolicyService (policies.hpp): NOTIFY targets and their rules, TSIG keys, the
// stored document, and the device writes (each audited with the change).
#include <boost/json.hpp>

#include <array>
#include <charconv>

#include "crypto/crypto.hpp"
#include "enforcement/policies.hpp"
#include "enforcement/policy_audit.hpp"
#include "enforcement/service_util.hpp"

namespace rampart::enforcement {
namespace json = boost::json;
using detail::Bad;
using detail::Lower;
using detail::StringField;
using detail::Upsert;

namespace {

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

}  // namespace

std::optional<std::string> RefusedNotifyAddress(const net::IpAddress& given, const std::vector<net::IpNetwork>& denied) {
  return net::RefusedDestination(given, denied, "notify_denied_networks");
}

std::string PolicyService::DeviceDoc(const Device& d) const {
  json::array acl, notify;
  for (const auto& n : d.transfer_acl) acl.push_back(json::value(n.ToString()));
  for (const auto& t : d.notify) notify.push_back(json::value(t.ToString()));
  json::object o{{"type", PolicyTypeName(d.type)}, {"policy_id", d.policy_id}, {"transfer_acl", acl}, {"notify", notify}};
  if (!d.tsig_key_name.empty()) {
    o["tsig_key_name"] = d.tsig_key_name;
    o["tsig_secret_sealed"] = box_.Seal(d.tsig_secret);
  }
  return json::serialize(o);
}

Result<Device> PolicyService::DeviceFromRecord(const store::PolicyObjectRecord& r) const {
  Device d{r.id, r.org_id, r.name, PolicyType::kDns, "", r.created_at_ms};
  json::error_code ec;
  const json::value doc = json::parse(r.doc, ec);
  const json::object* o = doc.if_object();
  auto type = o ? ParsePolicyType(StringField(*o, "type")) : std::nullopt;
  if (!type) return Error::Internal("stored device " + r.id + " is unreadable");
  d.type = *type;
  d.policy_id = StringField(*o, "policy_id");
  if (!StringField(*o, "tsig_key_name").empty()) {
    // A secret that does not open (another master key) leaves the device without TSIG.
    if (auto secret = box_.Open(StringField(*o, "tsig_secret_sealed"))) {
      d.tsig_key_name = StringField(*o, "tsig_key_name");
      d.tsig_secret = std::move(*secret);
    }
  }
  auto strings = [o](const char* key) {
    std::vector<std::string> out;
    const json::value* v = o->if_contains(key);
    if (v && v->is_array()) {
      for (const auto& e : v->get_array()) {
        if (e.is_string()) out.emplace_back(e.get_string());
      }
    }
    return out;
  };
  for (const auto& n : strings("transfer_acl")) {
    if (auto net = net::IpNetwork::Parse(n)) d.transfer_acl.push_back(*net);
  }
  for (const auto& t : strings("notify")) {
    if (auto target = ParseTarget(t)) d.notify.push_back(*target);
  }
  return d;
}

Result<void> PolicyService::ApplyDevice(const PolicySet& set, const DeviceInput& in, Device& d, bool is_new) const {
  if (in.type) {
    if (!is_new && *in.type != d.type) return Bad("the type of a device cannot change");
    d.type = *in.type;
  }
  if (in.name) d.name = *in.name;
  if (d.name.empty() || d.name.size() > 64) return Bad("name must be 1 to 64 characters");
  for (const auto& other : set.devices) {
    if (other.id != d.id && Lower(other.name) == Lower(d.name)) {
      return Error::Conflict("Device name already in use: " + QuoteForDetail(d.name));
    }
  }
  if (in.policy_id) d.policy_id = *in.policy_id;
  const Policy* p = set.FindPolicy(d.policy_id);
  if (!p) return Bad("policy_id must name a policy of this account");
  const std::string type = PolicyTypeName(d.type);
  if (p->type != d.type) return Bad("a " + type + " device needs a " + type + " policy");
  if ((in.transfer_acl || in.notify) && d.type != PolicyType::kDns) return Bad("transfer_acl and notify apply to dns devices only");
  if (in.transfer_acl) {
    d.transfer_acl.clear();
    for (const auto& text : *in.transfer_acl) {
      auto n = net::IpNetwork::ParseHostOrNetwork(text);
      if (!n) return Bad("transfer_acl entries must be addresses or networks: " + QuoteForDetail(text));
      d.transfer_acl.push_back(*n);
    }
  }
  if (in.tsig && d.type != PolicyType::kDns) return Bad("tsig applies to dns devices only");
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
  const std::string& org_id = actor.org_id;
  RAMPART_TRY(loaded, Load(org_id));
  Device d;
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(org_id);
    if (id.empty()) {
      d.id = crypto::NewUuidV4();
      d.org_id = org_id;
      d.created_at_ms = UnixMillis(clock_.Now());
    } else {
      const Device* old = cur->FindDevice(id);
      if (!old) return Error::NotFound("no such device " + QuoteForDetail(id));
      d = *old;
    }
    RAMPART_CHECK(ApplyDevice(*cur, in, d, id.empty()));
    Device published = d;  // the flag only marks this answer
    published.secret_is_new = false;
    PolicySet next = *cur;
    Upsert(next.devices, published);
    store::PolicyObjectRecord rec{org_id, "device", d.id, d.name, d.created_at_ms, DeviceDoc(d)};
    const Device* before = cur->FindDevice(d.id);
    std::string after_doc = AuditDeviceDoc(d, before);
    RAMPART_CHECK(Commit(org_id, std::move(next), rec, false,
                         Audit(actor, "device", d.id, d.name, id.empty() ? "create" : "update",
                               before ? AuditDeviceDoc(*before, nullptr) : "", after_doc)));
  }
  Notify(org_id);
  return d;
}

Result<void> PolicyService::DeleteDevice(const userlists::Actor& actor, const std::string& id) {
  const std::string& org_id = actor.org_id;
  RAMPART_TRY(loaded, Load(org_id));
  {
    std::lock_guard write(write_mu_);
    PolicySetPtr cur = Snapshot(org_id);
    const Device* gone = cur->FindDevice(id);
    if (!gone) return Error::NotFound("no such device " + QuoteForDetail(id));
    PolicySet next = *cur;
    std::erase_if(next.devices, [&](const Device& d) { return d.id == id; });
    store::AuditRecord audit = Audit(actor, "device", id, gone->name, "delete", AuditDeviceDoc(*gone, nullptr), "");
    RAMPART_CHECK(Commit(org_id, std::move(next), {org_id, "device", id, "", 0, ""}, true, audit));
  }
  Notify(org_id);
  return {};
}

}  // namespace rampart::enforcement
