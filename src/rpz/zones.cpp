#include "rpz/zones.hpp"

#include "crypto/crypto.hpp"
#include "dns/message.hpp"

namespace rampart::rpz {

bool ServedZone::Allows(const net::IpAddress& client) const {
  for (const auto& n : acl) {
    if (n.Contains(client)) return true;
  }
  return false;
}

std::optional<std::vector<const JournalEntry*>> ServedZone::DeltasSince(uint32_t serial) const {
  std::vector<const JournalEntry*> out;
  size_t i = 0;
  while (i < journal.size() && journal[i].from != serial) ++i;
  if (i == journal.size()) return std::nullopt;
  for (; i < journal.size(); ++i) out.push_back(&journal[i]);
  return out;
}

std::string EncodeDelta(const Delta& d) {
  std::string out;
  for (const auto& [o, t] : d.removed) out += "-" + o + " " + t + "\n";
  for (const auto& [o, t] : d.added) out += "+" + o + " " + t + "\n";
  return out;
}

Delta DecodeDelta(std::string_view text) {
  Delta d;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    size_t sp = line.find(' ');
    if (line.size() < 3 || sp == std::string_view::npos) continue;
    auto rr = std::pair{std::string(line.substr(1, sp - 1)), std::string(line.substr(sp + 1))};
    (line[0] == '-' ? d.removed : d.added).push_back(std::move(rr));
  }
  return d;
}

std::string RecordsHash(const Records& r) {
  crypto::Hasher h(crypto::HashAlg::kSha256);
  for (const auto& [o, t] : r) h.Update(o).Update(" ").Update(t).Update("\n");
  return crypto::Base64Encode(h.Final());
}

ZoneRegistry::ZoneRegistry(store::EnforcementStore& store, const Clock& clock, ZoneOptions opts)
    : store_(store), clock_(clock), opts_(std::move(opts)) {}

ZonePtr ZoneRegistry::Find(const std::string& origin) const {
  std::lock_guard lock(mu_);
  auto it = zones_.find(origin);
  return it == zones_.end() ? nullptr : it->second;
}

ZonePtr ZoneRegistry::FindByPolicy(const std::string& policy_id) const {
  std::lock_guard lock(mu_);
  for (const auto& [origin, z] : zones_) {
    if (z->policy_id == policy_id) return z;
  }
  return nullptr;
}

bool ZoneRegistry::Taken(const std::string& origin, const std::string& policy_id) const {
  ZonePtr z = Find(origin);
  return z && z->policy_id != policy_id;
}

uint32_t ZoneRegistry::NextSerial(uint32_t prev) const {
  const auto now_s = static_cast<uint32_t>(UnixMillis(clock_.Now()) / 1000);
  return dns::SerialNewer(now_s, prev) ? now_s : prev + 1;
}

Result<void> ZoneRegistry::Restore(ServedZone& z, const std::string& hash) {
  RAMPART_TRY(versions, store_.ZoneVersions(z.origin));
  if (!versions.empty() && versions.back().content_hash == hash) {
    z.soa.serial = versions.back().serial;
    // The contiguous tail of the history that ends at the current serial.
    for (size_t i = versions.size(); i-- > 1;) {
      const auto& v = versions[i];
      if (!v.from_serial || *v.from_serial != versions[i - 1].serial) break;
      z.journal.insert(z.journal.begin(), JournalEntry{*v.from_serial, v.serial, DecodeDelta(v.delta)});
    }
    return {};
  }
  z.soa.serial = versions.empty() ? NextSerial(0) : NextSerial(versions.back().serial);
  return store_.AppendZoneVersion({z.origin, z.soa.serial, std::nullopt, "", hash, UnixMillis(clock_.Now())},
                                  opts_.journal_keep);
}

Result<ZonePtr> ZoneRegistry::Compile(const Policy& p, const PolicySet& set, const userlists::AccountLists& lists,
                                      const ZonePtr& prev, bool& changed) {
  std::vector<Source> sources;
  for (const auto& a : p.lists) {
    auto list = lists.Find(userlists::ListKind::kDomain, a.list_id);
    if (!list) list = lists.Find(userlists::ListKind::kIp, a.list_id);
    if (list) sources.push_back({list.get(), a.action});
  }
  auto z = std::make_shared<ServedZone>();
  z->origin = p.zone_name;
  z->account_id = p.account_id;
  z->policy_id = p.id;
  z->soa.origin = p.zone_name;
  z->soa.server_name = opts_.server_name;
  z->records = BuildRecords(sources, clock_.Now());
  for (const auto& d : set.devices) {
    if (d.policy_id != p.id || d.type != "dns") continue;
    z->acl.insert(z->acl.end(), d.transfer_acl.begin(), d.transfer_acl.end());
    z->notify.insert(z->notify.end(), d.notify.begin(), d.notify.end());
  }
  changed = false;
  if (!prev || prev->origin != z->origin) {
    RAMPART_CHECK(Restore(*z, RecordsHash(z->records)));
    changed = true;
    return ZonePtr(z);
  }
  Delta delta = Diff(prev->records, z->records);
  z->soa.serial = prev->soa.serial;
  z->journal = prev->journal;
  if (!delta.empty()) {
    const uint32_t next = NextSerial(prev->soa.serial);
    RAMPART_CHECK(store_.AppendZoneVersion({z->origin, next, prev->soa.serial, EncodeDelta(delta),
                                            RecordsHash(z->records), UnixMillis(clock_.Now())},
                                           opts_.journal_keep));
    z->journal.push_back({prev->soa.serial, next, std::move(delta)});
    if (z->journal.size() > static_cast<size_t>(opts_.journal_keep)) z->journal.erase(z->journal.begin());
    z->soa.serial = next;
    changed = true;
  }
  return ZonePtr(z);
}

Result<void> ZoneRegistry::Rebuild(const std::string& account_id, const PolicySet& set,
                                   const userlists::AccountLists& lists) {
  std::lock_guard rebuild(rebuild_mu_);
  std::vector<ZonePtr> published, changed_zones;
  for (const Policy& p : set.policies) {
    if (p.type != "dns") continue;
    bool changed = false;
    RAMPART_TRY(z, Compile(p, set, lists, FindByPolicy(p.id), changed));
    published.push_back(z);
    if (changed) changed_zones.push_back(z);
  }
  {
    std::lock_guard lock(mu_);
    std::erase_if(zones_, [&](const auto& kv) { return kv.second->account_id == account_id; });
    for (const auto& z : published) zones_[z->origin] = z;
  }
  if (on_publish_) {
    for (const auto& z : changed_zones) on_publish_(z);
  }
  return {};
}

}  // namespace rampart::rpz
