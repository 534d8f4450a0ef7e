#pragma once
// The RPZ zones being served: one per DNS policy, each an immutable snapshot (SOA, records, who
// may transfer it, whom to NOTIFY, and the journal of net deltas IXFR answers from). Rebuild()
// recompiles an organization's zones after a change of its lists or policies and publishes new
// snapshots; the DNS server reads them without locks beyond a pointer copy.
//
// Compilation is incremental: when only list contents changed since the zone was last compiled,
// the entries added to or removed from each changed list are diffed (one pass over that list),
// the winning record of each affected owner name is recomputed across the policy's lists, and
// the delta is applied to the previous version (ZoneRecords shares everything else). A change of
// the policy itself (lists attached, behaviors, zone name) recompiles the zone from scratch.
//
// Serials: a content change gets max(previous + 1, unix time) in RFC 1982 order, and every
// version is persisted (store::ZoneVersionRecord) before it is published, so serials never go
// back across restarts and IXFR history survives them. A zone whose content differs at start-up
// from its last persisted version (entries expired while the server was down) starts a new
// history: clients older than that get a full transfer.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "dns/tsig.hpp"
#include "rpz/zone.hpp"
#include "rpz/zone_spec.hpp"
#include "userlists/model.hpp"
#include "store/store.hpp"

namespace rampart::rpz {

struct JournalEntry {
  uint32_t from = 0, to = 0;
  Delta delta;
};

struct ServedZone {
  std::string origin;  // == the spec's
  std::string org_id, policy_id;
  SoaFields soa;
  ZoneRecords records;
  RecordsDigest digest;  // of `records`; persisted with each version
  using Grant = rpz::Grant;
  std::vector<Grant> grants;         // who may query and transfer
  std::vector<NotifyTarget> notify;  // whom to NOTIFY of a new serial
  std::vector<JournalEntry> journal;  // contiguous, oldest first, the last one ends at soa.serial

  // True when a grant covers `client` and either has no key or has the key the request was
  // verified with (`tsig_key`, empty for an unsigned request).
  bool Allows(const net::IpAddress& client, const std::string& tsig_key) const;
  std::optional<dns::TsigKey> FindKey(const std::string& name) const;
  // The deltas from `serial` to the current one, or nullopt when the journal does not reach back.
  std::optional<std::vector<const JournalEntry*>> DeltasSince(uint32_t serial) const;
};
using ZonePtr = std::shared_ptr<const ServedZone>;

struct ZoneOptions {
  std::string server_name = "rampart";
  int journal_keep = 100;  // versions kept per zone
  // The highest serial ever published for a zone, kept outside the database (app/ keeps it in a
  // file next to it). A restored, older database must not publish serials below it: secondaries
  // that saw the newer serial would answer "up to date" and keep the content rampart no longer has.
  std::function<std::optional<uint32_t>(const std::string& zone)> serial_floor = nullptr;
  std::function<void(const std::string& zone, uint32_t serial)> serial_published = nullptr;
};

class ZoneRegistry {
 public:
  ZoneRegistry(store::EnforcementStore& store, const Clock& clock, ZoneOptions opts);

  ZonePtr Find(const std::string& origin) const;
  ZonePtr FindByPolicy(const std::string& policy_id) const;
  std::vector<ZonePtr> All() const;
  // True when a zone served for another organization has this name, or is a parent or a child of it
  // (one tenant's zone must not shadow or sit inside another's).
  bool Overlaps(const std::string& origin, const std::string& org_id) const;

  // Blocking. Recompiles the organization's zones from their specs and its lists, persists and
  // publishes changed versions, drops its zones that have no spec any more, then calls the
  // publish hook for every zone whose serial changed.
  Result<void> Rebuild(const std::string& org_id, const std::vector<ZoneSpec>& zones,
                       const userlists::AccountLists& lists);

  void OnPublish(std::function<void(const ZonePtr&)> f) { on_publish_ = std::move(f); }

 private:
  // What a zone was last compiled from (rebuild_mu_).
  struct CompileState {
    ZoneSpec spec;
    std::vector<std::shared_ptr<const userlists::UserList>> lists;  // per attached list; null if missing
  };
  using IpOwners = std::unordered_set<std::string>;

  Result<ZonePtr> Compile(const ZoneSpec& spec, const userlists::AccountLists& lists, const ZonePtr& prev,
                          bool& changed);
  // The delta from `prev` when only list contents changed, else nullopt (compile from scratch).
  std::optional<Delta> IncrementalDelta(const ZoneSpec& spec, const std::vector<std::shared_ptr<const userlists::UserList>>& now,
                                        const ServedZone& prev);
  std::optional<std::string> Winner(const std::string& owner, const ZoneSpec& spec,
                                    const std::vector<std::shared_ptr<const userlists::UserList>>& lists);
  const IpOwners& OwnersOf(const std::shared_ptr<const userlists::UserList>& list);
  Result<void> Restore(ServedZone& z);
  uint32_t NextSerial(uint32_t prev) const;
  void Published(const std::string& origin, uint32_t serial) const;  // tells serial_published

  store::EnforcementStore& store_;
  const Clock& clock_;
  ZoneOptions opts_;
  std::mutex rebuild_mu_;  // one rebuild at a time: versions are appended in order
  std::map<std::string, CompileState> compiled_;  // by policy id
  // IP lists' trigger owner names, per list version (a range yields several), for Winner().
  std::map<const userlists::UserList*, std::pair<std::weak_ptr<const userlists::UserList>, IpOwners>> ip_owners_;
  mutable std::mutex mu_;  // guards zones_
  std::map<std::string, ZonePtr> zones_;
  std::function<void(const ZonePtr&)> on_publish_;
};

// "-owner target" / "+owner target" lines, and back.
std::string EncodeDelta(const Delta& d);
Delta DecodeDelta(std::string_view text);

}  // namespace rampart::rpz
