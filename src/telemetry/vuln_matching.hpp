#pragma once
// Matching hosts' package inventories against the current Debian security feed
// (docs/vulnerabilities.md), keeping each organization's findings up to date:
// - an inventory (full or delta) is stored and only its changed packages are matched again;
// - when a new feed becomes current (imported by the CLI, maybe in another process), Refresh()
//   loads it and matches again only the packages whose (release, source) entries changed.
// Only the releases the hosts run are loaded; the first host of another release adds it.
// The index of the current feed is an immutable snapshot (vuln::FeedIndex). Matching runs under
// one mutex: findings have one writer per process. Blocking: call from the blocking pool.
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/store.hpp"
#include "vuln/matcher.hpp"

namespace rampart::telemetry {

struct InventoryUpdate {
  std::string org_id, agent_id;
  std::string codename, version_id;
  bool full = false;
  std::vector<store::PackageRecord> upserted, removed;  // removed: name and arch
};

// An inventory whose packages would make more findings than this is refused (413) and nothing
// of it is stored: packages naming a large source at version 0 could otherwise make millions.
inline constexpr size_t kMaxFindingsPerAgent = 100000;

struct InventoryOutcome {
  size_t packages = 0;  // stored for the agent after the update
  size_t findings = 0;  // found among the packages matched now
  bool need_full = false;  // a delta arrived for an agent with no stored inventory: nothing stored
};

class VulnMatcher {
 public:
  VulnMatcher(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Loads the current feed when it is not the one loaded, and matches again what it changed.
  // Returns whether a new feed was loaded.
  Result<bool> Refresh();
  Result<InventoryOutcome> Inventory(const InventoryUpdate& u);

  // The loaded feed, if any.
  std::optional<store::FeedRecord> feed() const;

 private:
  // The findings of `packages` on the host, replacing those of `changed` (or all of the host's);
  // TooLarge past kMaxFindingsPerAgent.
  Result<store::FindingsUpdate> MatchAgent(const store::InventoryRecord& inv,
                                           const std::vector<store::PackageRecord>& packages, bool all,
                                           std::vector<std::pair<std::string, std::string>> changed) const;
  using ChangedSet = std::set<std::pair<std::string, std::string>>;  // (release, source)
  static constexpr size_t kFindingsPerBatch = 50000;
  // The next hosts' findings from inventories[at], up to about `limit`; advances `at`.
  // Only packages of `keys` unless `from_scratch`.
  Result<std::vector<store::FindingsUpdate>> NextBatch(const std::vector<store::InventoryRecord>& inventories,
                                                       size_t& at, const ChangedSet& keys, bool from_scratch,
                                                       size_t limit) const;
  Result<void> RematchAll(const std::vector<store::InventoryRecord>& inventories,
                          const std::vector<std::pair<std::string, std::string>>& changed, bool from_scratch);
  // The feed's index of these releases; null when another feed became current meanwhile.
  Result<std::shared_ptr<const vuln::FeedIndex>> LoadIndex(const store::FeedRecord& feed,
                                                           const std::set<std::string>& releases) const;
  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const vuln::FeedIndex> index_;
  std::set<std::string> releases_;  // those index_ holds
  std::optional<store::FeedRecord> feed_;
};

}  // namespace rampart::telemetry
