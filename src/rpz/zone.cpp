#include "rpz/zone.hpp"

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

Records BuildRecords(const std::vector<Source>& sources, SysTime now) {
  Records out;
  for (const Source& s : sources) {
    const bool allow = s.list->list_type == "allow";
    const std::string target = allow ? std::string(kPassthru) : s.action.Target();
    for (const userlists::Entry& e : s.list->entries) {
      if (s.list->IsActive(e, now)) AddEntry(out, e, s.list->kind, target);
    }
  }
  return out;
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

std::string ZoneText(const SoaFields& soa, const Records& records) {
  std::string out;
  out.reserve(64 + records.size() * 40);
  out += "$ORIGIN " + soa.origin + ".\n$TTL " + std::to_string(soa.ttl) + "\n";
  out += "@ IN SOA " + soa.server_name + ". hostmaster." + soa.server_name + ". " + std::to_string(soa.serial) + " " +
         std::to_string(soa.refresh) + " " + std::to_string(soa.retry) + " " + std::to_string(soa.expire) + " " +
         std::to_string(soa.minimum) + "\n";
  out += "@ IN NS " + soa.server_name + ".\n";
  for (const auto& [owner, target] : records) {
    out += owner;
    out += " IN CNAME ";
    out += target;
    out += '\n';
  }
  return out;
}

}  // namespace rampart::rpz
