#include "rpz/zones.hpp"

#include <algorithm>

#include "crypto/crypto.hpp"
#include "dns/message.hpp"
#include "rpz/names.hpp"

#include <set>

namespace rampart::rpz {

bool ServedZone::Allows(const net::IpAddress& client, const std::string& tsig_key) const {
  for (const auto& g : grants) {
    if (g.network.Contains(client) && (!g.key || g.key->name == tsig_key)) return true;
  }
  return false;
}

std::optional<dns::TsigKey> ServedZone::FindKey(const std::string& name) const {
  for (const auto& g : grants) {
    if (g.key && g.key->name == name) return g.key;
  }
  return std::nullopt;
}

std::optional<std::vector<const JournalEntry*>> ServedZone::DeltasSince(uint32_t serial) const {
  std::vector<const JournalEntry*> out;
  size_t i = 0;
  while (i < journal.size() && journal[i].from != serial) ++i;
  if (i == journal.size()) return std::nullopt;
  for (; i < journal.size(); ++i) out.push_back(&journal[i]);
  return out;
}

std::string NotifyTarget::ToString() const {
  std::string a = address.ToString();
  if (address.family == net::Family::kV6) a = "[" + a + "]";
  return a + ":" + std::to_string(port);
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

namespace {

bool SameLists(const ZoneSpec& a, const ZoneSpec& b) {
  if (a.origin != b.origin || a.lists.size() != b.lists.size()) return false;
  for (size_t i = 0; i < a.lists.size(); ++i) {
    if (a.lists[i].list_id != b.lists[i].list_id || a.lists[i].action.Target() != b.lists[i].action.Target()) return false;
  }
  return true;
}

std::vector<std::string> OwnersOfEntry(const userlists::Entry& e, userlists::ListKind kind) {
  if (kind == userlists::ListKind::kDomain) return {e.parsed.value, "*." + e.parsed.value};
  return e.parsed.span ? RangeTriggerOwners(*e.parsed.span) : std::vector<std::string>{};
}

}  // namespace

const ZoneRegistry::IpOwners& ZoneRegistry::OwnersOf(const std::shared_ptr<const userlists::UserList>& list) {
  std::erase_if(ip_owners_, [](const auto& kv) { return kv.second.first.expired(); });
  auto& slot = ip_owners_[list.get()];
  if (slot.first.lock() != list) {
    slot.first = list;
    slot.second.clear();
    for (const auto& e : list->entries) {
      for (auto& o : OwnersOfEntry(e, list->kind)) slot.second.insert(std::move(o));
    }
  }
  return slot.second;
}

std::optional<std::string> ZoneRegistry::Winner(const std::string& owner, const ZoneSpec& spec,
                                                const std::vector<std::shared_ptr<const userlists::UserList>>& lists) {
  std::optional<std::string> out;
  const bool wildcard = owner.starts_with("*.");
  const bool ip = owner.ends_with(".rpz-ip");
  for (size_t i = 0; i < lists.size(); ++i) {
    const auto& l = lists[i];
    if (!l) continue;
    const bool has = l->kind == userlists::ListKind::kDomain
                         ? !ip && l->Contains(wildcard ? std::string_view(owner).substr(2) : std::string_view(owner))
                         : ip && OwnersOf(l).count(owner) > 0;
    if (!has) continue;
    std::string target = l->list_type == "allow" ? std::string("rpz-passthru.") : spec.lists[i].action.Target();
    if (!out || target == "rpz-passthru.") out = std::move(target);  // first list wins; PASSTHRU beats all
  }
  return out;
}

std::optional<Delta> ZoneRegistry::IncrementalDelta(const ZoneSpec& spec,
                                                    const std::vector<std::shared_ptr<const userlists::UserList>>& now,
                                                    const ServedZone& prev) {
  auto st = compiled_.find(spec.policy_id);
  if (st == compiled_.end() || !SameLists(st->second.spec, spec) || prev.origin != spec.origin) return std::nullopt;
  std::set<std::string, CanonicalLess> affected;
  for (size_t i = 0; i < now.size(); ++i) {
    const auto& before = st->second.lists[i];
    const auto& after = now[i];
    if (before == after) continue;
    if (!before || !after) return std::nullopt;  // a list appeared or went away: start over
    using Versions = std::pair<const userlists::UserList*, const userlists::UserList*>;
    for (const Versions& v : {Versions{before.get(), after.get()}, Versions{after.get(), before.get()}}) {
      for (const auto& e : v.first->entries) {  // in one version and not in the other
        if (!v.second->Contains(e.parsed.value)) {
          for (auto& o : OwnersOfEntry(e, v.first->kind)) affected.insert(std::move(o));
        }
      }
    }
  }
  Delta d;
  for (const std::string& owner : affected) {
    std::optional<std::string_view> old = prev.records.Find(owner);
    std::optional<std::string> next = Winner(owner, spec, now);
    if (old && next && *old == *next) continue;
    if (!old && !next) continue;
    if (old) d.removed.emplace_back(owner, std::string(*old));
    if (next) d.added.emplace_back(owner, *next);
  }
  return d;
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

bool ZoneRegistry::Overlaps(const std::string& origin, const std::string& org_id) const {
  auto under = [](const std::string& child, const std::string& parent) {  // child == parent, or below it
    return child == parent ||
           (child.size() > parent.size() && child.compare(child.size() - parent.size(), parent.size(), parent) == 0 &&
            child[child.size() - parent.size() - 1] == '.');
  };
  std::lock_guard lock(mu_);
  for (const auto& [name, zone] : zones_) {
    if (zone->org_id != org_id && (under(origin, name) || under(name, origin))) return true;
  }
  return false;
}

uint32_t ZoneRegistry::NextSerial(uint32_t prev) const {
  const auto now_s = static_cast<uint32_t>(UnixMillis(clock_.Now()) / 1000);
  return dns::SerialNewer(now_s, prev) ? now_s : prev + 1;
}

Result<void> ZoneRegistry::Restore(ServedZone& z) {
  const std::string hash = z.digest.Hex();
  RAMPART_TRY(versions, store_.ZoneVersions(z.origin));
  const std::optional<uint32_t> floor = opts_.serial_floor ? opts_.serial_floor(z.origin) : std::nullopt;
  const bool behind = floor && (versions.empty() || dns::SerialNewer(*floor, versions.back().serial));
  if (behind) {  // a restored database: publish above what secondaries may have seen
    z.soa.serial = NextSerial(*floor);
    RAMPART_CHECK(store_.AppendZoneVersion({z.origin, z.soa.serial, std::nullopt, "", hash, UnixMillis(clock_.Now())},
                                           opts_.journal_keep));
    Published(z.origin, z.soa.serial);
    return {};
  }
  if (!versions.empty() && versions.back().content_hash == hash) {
    z.soa.serial = versions.back().serial;
    // The contiguous tail of the history that ends at the current serial.
    for (size_t i = versions.size(); i-- > 1;) {
      const auto& v = versions[i];
      if (!v.from_serial || *v.from_serial != versions[i - 1].serial) break;
      z.journal.insert(z.journal.begin(), JournalEntry{*v.from_serial, v.serial, DecodeDelta(v.delta)});
    }
    Published(z.origin, z.soa.serial);  // the floor learns zones it did not know yet
    return {};
  }
  z.soa.serial = versions.empty() ? NextSerial(0) : NextSerial(versions.back().serial);
  RAMPART_CHECK(store_.AppendZoneVersion({z.origin, z.soa.serial, std::nullopt, "", hash, UnixMillis(clock_.Now())},
                                         opts_.journal_keep));
  Published(z.origin, z.soa.serial);
  return {};
}

void ZoneRegistry::Published(const std::string& origin, uint32_t serial) const {
  if (opts_.serial_published) opts_.serial_published(origin, serial);
}

std::vector<ZonePtr> ZoneRegistry::All() const {
  std::lock_guard lock(mu_);
  std::vector<ZonePtr> out;
  for (const auto& [origin, z] : zones_) out.push_back(z);
  return out;
}

Result<ZonePtr> ZoneRegistry::Compile(const ZoneSpec& spec, const userlists::AccountLists& lists, const ZonePtr& prev,
                                      bool& changed) {
  std::vector<std::shared_ptr<const userlists::UserList>> now;
  for (const auto& a : spec.lists) {
    now.push_back(lists.FindAnyKind(a.list_id));
  }
  auto z = std::make_shared<ServedZone>();
  z->origin = spec.origin;
  z->org_id = spec.org_id;
  z->policy_id = spec.policy_id;
  z->soa.origin = spec.origin;
  z->soa.server_name = opts_.server_name;
  z->grants = spec.grants;
  z->notify = spec.notify;
  changed = false;
  std::optional<Delta> delta = prev ? IncrementalDelta(spec, now, *prev) : std::nullopt;
  if (!delta) {  // from scratch
    std::vector<Source> sources;
    for (size_t i = 0; i < now.size(); ++i) {
      if (now[i]) sources.push_back({now[i].get(), spec.lists[i].action});
    }
    Records all = BuildRecords(sources);
    const bool same_zone = prev && prev->origin == z->origin;
    if (same_zone) {  // recompiled: the delta against what is served
      Records before;
      prev->records.ForEach([&before](const std::string& o, const std::string& t) { before.emplace_hint(before.end(), o, t); });
      delta = Diff(before, all);
    }
    z->digest = DigestOf(all);
    z->records = ZoneRecords(std::move(all));
    if (!same_zone) {
      RAMPART_CHECK(Restore(*z));
      changed = true;
      compiled_[spec.policy_id] = {spec, now};
      return ZonePtr(z);
    }
  } else {
    z->records = prev->records.Apply(*delta);
    z->digest = prev->digest;
    z->digest.Apply(*delta);
  }
  compiled_[spec.policy_id] = {spec, now};
  z->soa.serial = prev->soa.serial;
  z->journal = prev->journal;
  if (!delta->empty()) {
    const uint32_t next = NextSerial(prev->soa.serial);
    RAMPART_CHECK(store_.AppendZoneVersion({z->origin, next, prev->soa.serial, EncodeDelta(*delta), z->digest.Hex(),
                                            UnixMillis(clock_.Now())},
                                           opts_.journal_keep));
    Published(z->origin, next);
    z->journal.push_back({prev->soa.serial, next, std::move(*delta)});
    if (z->journal.size() > static_cast<size_t>(opts_.journal_keep)) z->journal.erase(z->journal.begin());
    z->soa.serial = next;
    changed = true;
  }
  return ZonePtr(z);
}

Result<void> ZoneRegistry::Rebuild(const std::string& org_id, const std::vector<ZoneSpec>& specs,
                                   const userlists::AccountLists& lists) {
  std::lock_guard rebuild(rebuild_mu_);
  std::vector<ZonePtr> published, changed_zones;
  for (const ZoneSpec& spec : specs) {
    bool changed = false;
    RAMPART_TRY(z, Compile(spec, lists, FindByPolicy(spec.policy_id), changed));
    published.push_back(z);
    if (changed) changed_zones.push_back(z);
  }
  {
    std::lock_guard lock(mu_);
    std::erase_if(zones_, [&](const auto& kv) { return kv.second->org_id == org_id; });
    for (const auto& z : published) zones_[z->origin] = z;
  }
  if (on_publish_) {
    for (const auto& z : changed_zones) on_publish_(z);
  }
  return {};
}

}  // namespace rampart::rpz
