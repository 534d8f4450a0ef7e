#pragma once
// Compiling a DNS policy into RPZ records. A policy attaches user lists, each with a behavior;
// block lists get their behavior's CNAME, allow lists always PASSTHRU. At one owner name
// PASSTHRU wins, then the list attached first. Domain entries become `d` and `*.d`; IP entries
// canonical rpz-ip triggers (ranges split into covering prefixes). A PASSTHRU /32 inside a
// blocked /24 works because resolvers prefer the longest matching prefix, and an allowed
// `good.bad.example` beats `*.bad.example` because an exact name beats a wildcard.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "userlists/model.hpp"

namespace rampart::rpz {

enum class Behavior { kNxdomain, kNodata, kPassthru, kDrop, kCname };

struct Action {
  Behavior behavior = Behavior::kNxdomain;
  std::string cname;  // kCname only: an absolute host name without the final dot

  // The CNAME target as written in the zone: ".", "*.", "rpz-passthru.", "rpz-drop.", "host.".
  std::string Target() const;
};

// "nxdomain" | "nodata" | "passthru" | "drop" | "cname" (then `cname` must be a valid host name).
std::optional<Action> ParseAction(std::string_view behavior, std::string_view cname);
std::string_view BehaviorName(Behavior b);

struct Source {
  const userlists::UserList* list = nullptr;
  Action action;  // ignored for allow lists (always PASSTHRU)
};

// DNS canonical order (RFC 4034 §6.1): labels compared from the right, so a name sorts just
// before its wildcard and its subdomains ("d", "*.d", "a.d"). That keeps related names next to
// each other in a transfer, where name compression can point back at them.
struct CanonicalLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// Relative owner name → CNAME target. Ordered: the zone text and transfers are deterministic.
using Records = std::map<std::string, std::string, CanonicalLess>;

// Every entry of the lists, expired or not: entries leave the zone when the expiry sweep removes
// them from their list (which is a list change like any other).
Records BuildRecords(const std::vector<Source>& sources);

// What changed between two versions: (owner, target) pairs removed and added. A changed target
// is one removal and one addition.
struct Delta {
  std::vector<std::pair<std::string, std::string>> removed, added;
  bool empty() const { return removed.empty() && added.empty(); }
};
Delta Diff(const Records& before, const Records& after);

// An order-independent digest of a zone's records (XOR of a stable 128-bit hash per record), so a
// version's digest follows from the previous one and its delta without reading the whole zone.
class RecordsDigest {
 public:
  void Toggle(std::string_view owner, std::string_view target);
  void Apply(const Delta& d);
  std::string Hex() const;

 private:
  uint64_t a_ = 0, b_ = 0;
};
RecordsDigest DigestOf(const Records& r);

// The records of one zone version: a large shared base and a small patch over it (owner →
// target, "" = removed), merged in canonical order when read. A new version copies only the
// patch; once the patch outgrows 1/16 of the base it is folded into a new base (amortized).
class ZoneRecords {
 public:
  ZoneRecords();
  explicit ZoneRecords(Records all);
  std::optional<std::string_view> Find(const std::string& owner) const;
  size_t size() const { return size_; }
  // A new version with `d` applied: `d.removed` owners must be present, `d.added` ones absent after.
  ZoneRecords Apply(const Delta& d) const;

  // Walks the records in canonical order, one at a time, so a reader can stop and resume (a
  // transfer sent in batches). Valid while this ZoneRecords (or a copy sharing its maps) lives.
  class Cursor {
   public:
    const Records::value_type* Next();  // nullptr at the end

   private:
    friend class ZoneRecords;
    Cursor(const Records& base, const Records& patch)
        : b_(base.begin()), b_end_(base.end()), p_(patch.begin()), p_end_(patch.end()) {}
    Records::const_iterator b_, b_end_, p_, p_end_;
  };
  Cursor Begin() const { return Cursor(*base_, *patch_); }

  template <class F>
  void ForEach(F&& f) const {  // f(owner, target) in canonical order
    Cursor c = Begin();
    while (const Records::value_type* r = c.Next()) f(r->first, r->second);
  }

 private:
  std::shared_ptr<const Records> base_, patch_;
  size_t size_ = 0;
};

struct SoaFields {
  std::string origin;       // the zone name, no final dot
  std::string server_name;  // MNAME and NS target
  uint32_t serial = 0;
  uint32_t refresh = 600, retry = 60, expire = 2592000, minimum = 60, ttl = 60;
};

// An RFC 1035 zone file: $ORIGIN, $TTL, SOA, NS, then the records in owner order.
std::string ZoneText(const SoaFields& soa, const ZoneRecords& records);

}  // namespace rampart::rpz
