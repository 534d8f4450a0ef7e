#include "rpz/zone.hpp"

#include <cstdio>

#include "net/domain_name.hpp"
#include "rpz/names.hpp"

namespace rampart::rpz {
namespace {

constexpr const char* kPassthru = "rpz-passthru.";

// Adds `owner → target` unless a stronger record is there: PASSTHRU beats everything, otherwise
// the first list (in policy order) keeps the name.
void Put(Records& out, std::string owner, const std::string& target) {
  auto [it, inserted] = out.try_emplace(std::move(owner), target);
  if (!inserted && target == kPassthru) it->second = target;
}

void AddEntry(Records& out, const userlists::Entry& e, userlists::ListKind kind, const std::string& target) {
  const userlists::EntryValue& v = e.parsed;
  if (kind == userlists::ListKind::kDomain) {
    Put(out, v.value, target);
    Put(out, "*." + v.value, target);
    return;
  }
  if (!v.span) return;
  for (const std::string& owner : RangeTriggerOwners(*v.span)) Put(out, owner, target);
}

}  // namespace

bool CanonicalLess::operator()(std::string_view a, std::string_view b) const {
  while (!a.empty() && !b.empty()) {
    const size_t da = a.rfind('.'), db = b.rfind('.');
    std::string_view la = da == std::string_view::npos ? a : a.substr(da + 1);
    std::string_view lb = db == std::string_view::npos ? b : b.substr(db + 1);
    if (la != lb) return la < lb;
    a = da == std::string_view::npos ? std::string_view{} : a.substr(0, da);
    b = db == std::string_view::npos ? std::string_view{} : b.substr(0, db);
  }
  return a.empty() && !b.empty();
}

std::string Action::Target() const {
  switch (behavior) {
    case Behavior::kNxdomain: return ".";
    case Behavior::kNodata: return "*.";
    case Behavior::kPassthru: return kPassthru;
    case Behavior::kDrop: return "rpz-drop.";
    case Behavior::kCname: return cname + ".";
  }
  return ".";
}

std::optional<Action> ParseAction(std::string_view behavior, std::string_view cname) {
  if (behavior == "nxdomain") return Action{Behavior::kNxdomain, {}};
  if (behavior == "nodata") return Action{Behavior::kNodata, {}};
  if (behavior == "passthru") return Action{Behavior::kPassthru, {}};
  if (behavior == "drop") return Action{Behavior::kDrop, {}};
  if (behavior != "cname") return std::nullopt;
  net::DomainParse host = net::NormalizeDomain(cname, 200);
  if (!host.ok) return std::nullopt;
  return Action{Behavior::kCname, host.value};
}

std::string_view BehaviorName(Behavior b) {
  switch (b) {
    case Behavior::kNxdomain: return "nxdomain";
    case Behavior::kNodata: return "nodata";
    case Behavior::kPassthru: return "passthru";
    case Behavior::kDrop: return "drop";
    case Behavior::kCname: return "cname";
  }
  return "nxdomain";
}

Records BuildRecords(const std::vector<Source>& sources) {
  Records out;
  for (const Source& s : sources) {
    const bool allow = s.list->list_type == "allow";
    const std::string target = allow ? std::string(kPassthru) : s.action.Target();
    for (const userlists::Entry& e : s.list->entries) AddEntry(out, e, s.list->kind, target);
  }
  return out;
}

namespace {
// FNV-1a, 64 bits, from two offset bases: stable across builds and platforms (it is persisted).
uint64_t Fnv(uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}
}  // namespace

void RecordsDigest::Toggle(std::string_view owner, std::string_view target) {
  a_ ^= Fnv(Fnv(Fnv(0xcbf29ce484222325ULL, owner), " "), target);
  b_ ^= Fnv(Fnv(Fnv(0x84222325cbf29ce4ULL, owner), " "), target);
}

void RecordsDigest::Apply(const Delta& d) {
  for (const auto& [o, t] : d.removed) Toggle(o, t);
  for (const auto& [o, t] : d.added) Toggle(o, t);
}

std::string RecordsDigest::Hex() const {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a_), static_cast<unsigned long long>(b_));
  return buf;
}

RecordsDigest DigestOf(const Records& r) {
  RecordsDigest d;
  for (const auto& [o, t] : r) d.Toggle(o, t);
  return d;
}

ZoneRecords::ZoneRecords() : base_(std::make_shared<const Records>()), patch_(std::make_shared<const Records>()) {}

ZoneRecords::ZoneRecords(Records all)
    : base_(std::make_shared<const Records>(std::move(all))), patch_(std::make_shared<const Records>()), size_(base_->size()) {}

std::optional<std::string_view> ZoneRecords::Find(const std::string& owner) const {
  if (auto p = patch_->find(owner); p != patch_->end()) {
    return p->second.empty() ? std::nullopt : std::optional<std::string_view>(p->second);
  }
  if (auto b = base_->find(owner); b != base_->end()) return std::string_view(b->second);
  return std::nullopt;
}

const Records::value_type* ZoneRecords::Cursor::Next() {
  const CanonicalLess less;
  while (b_ != b_end_ || p_ != p_end_) {
    if (p_ == p_end_ || (b_ != b_end_ && less(b_->first, p_->first))) return &*b_++;
    if (b_ != b_end_ && !less(p_->first, b_->first)) ++b_;  // the patch overrides this owner
    const Records::value_type* r = &*p_++;
    if (!r->second.empty()) return r;  // "" marks a removed owner
  }
  return nullptr;
}

ZoneRecords ZoneRecords::Apply(const Delta& d) const {
  ZoneRecords next;
  next.base_ = base_;
  Records patch = *patch_;
  for (const auto& [o, t] : d.removed) {
    if (base_->count(o)) {
      patch[o] = "";
    } else {
      patch.erase(o);
    }
  }
  for (const auto& [o, t] : d.added) patch[o] = t;
  next.size_ = size_ - d.removed.size() + d.added.size();
  if (patch.size() > std::max<size_t>(1024, base_->size() / 16)) {  // fold the patch into a new base
    next.patch_ = std::make_shared<const Records>(std::move(patch));
    Records all;
    next.ForEach([&all](const std::string& o, const std::string& t) { all.emplace_hint(all.end(), o, t); });
    return ZoneRecords(std::move(all));
  }
  next.patch_ = std::make_shared<const Records>(std::move(patch));
  return next;
}

Delta Diff(const Records& before, const Records& after) {
  Delta d;
  auto a = before.begin();
  auto b = after.begin();
  const CanonicalLess less;
  while (a != before.end() || b != after.end()) {
    if (b == after.end() || (a != before.end() && less(a->first, b->first))) {
      d.removed.emplace_back(*a++);
    } else if (a == before.end() || less(b->first, a->first)) {
      d.added.emplace_back(*b++);
    } else {
      if (a->second != b->second) {
        d.removed.emplace_back(*a);
        d.added.emplace_back(*b);
      }
      ++a, ++b;
    }
  }
  return d;
}

std::string ZoneText(const SoaFields& soa, const ZoneRecords& records) {
  std::string out;
  out.reserve(64 + records.size() * 40);
  out += "$ORIGIN " + soa.origin + ".\n$TTL " + std::to_string(soa.ttl) + "\n";
  out += "@ IN SOA " + soa.server_name + ". hostmaster." + soa.server_name + ". " + std::to_string(soa.serial) + " " +
         std::to_string(soa.refresh) + " " + std::to_string(soa.retry) + " " + std::to_string(soa.expire) + " " +
         std::to_string(soa.minimum) + "\n";
  out += "@ IN NS " + soa.server_name + ".\n";
  records.ForEach([&out](const std::string& owner, const std::string& target) {
    out += owner;
    out += " IN CNAME ";
    out += target;
    out += '\n';
  });
  return out;
}

}  // namespace rampart::rpz
