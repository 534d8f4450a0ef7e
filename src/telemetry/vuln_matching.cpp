#include "telemetry/vuln_matching.hpp"

#include <future>
#include <set>
#include <utility>

namespace rampart::telemetry {

namespace {

vuln::InstalledPackage Installed(const store::PackageRecord& p) {
  return {p.name, p.arch, p.version, p.source, p.source_version};
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

std::optional<store::FeedRecord> VulnMatcher::feed() const {
  std::lock_guard lock(mu_);
  return feed_;
}

Result<store::FindingsUpdate> VulnMatcher::MatchAgent(const store::InventoryRecord& inv,
                                                     const std::vector<store::PackageRecord>& packages, bool all,
                                                     std::vector<std::pair<std::string, std::string>> changed) const {
  std::vector<vuln::InstalledPackage> installed;
  installed.reserve(packages.size());
  for (const auto& p : packages) installed.push_back(Installed(p));
  std::vector<vuln::Finding> found;
  if (index_) found = vuln::Match(*index_, inv.codename, installed, kMaxFindingsPerAgent);
  if (found.size() > kMaxFindingsPerAgent) {
    return Error::TooLarge(Reason::kTooManyEntries, "the inventory's packages make more than 100,000 findings");
  }
  store::FindingsUpdate u{inv.org_id, inv.agent_id, all, std::move(changed), {}, UnixMillis(clock_.Now())};
  u.findings.reserve(found.size());
  for (auto& f : found) {
    u.findings.push_back({inv.org_id, f.cve, inv.agent_id, f.package, f.arch, f.version, f.source, f.source_version,
                          f.fixed_version, f.urgency, Join(f.notices), inv.codename, feed_ ? feed_->id : 0, 0});
  }
  return u;
}

Result<std::shared_ptr<const vuln::FeedIndex>> VulnMatcher::LoadIndex(const store::FeedRecord& feed,
                                                                     const std::set<std::string>& releases) const {
  vuln::FeedIndex::Builder builder;
  const std::vector<std::string> wanted(releases.begin(), releases.end());
  RAMPART_CHECK(store_.ScanFeedEntries(feed.id, wanted, [&](vuln::FeedEntry&& e) { builder.Add(std::move(e)); }));
  // Another import became current meanwhile (its commit dropped this feed's entries, maybe
  // before they were read): the caller loads that one instead.
  RAMPART_TRY(now, store_.CurrentFeed());
  if (!now || now->id != feed.id) return std::shared_ptr<const vuln::FeedIndex>();
  return builder.Finish();
}

Result<InventoryOutcome> VulnMatcher::Inventory(const InventoryUpdate& u) {
  std::lock_guard lock(mu_);
  InventoryOutcome out;
  if (!u.full) {
    // A delta is against what is stored; without a base (or after a release upgrade) ask for all.
    RAMPART_TRY(base, store_.GetInventory(u.agent_id));
    if (!base || base->codename != u.codename) {
      out.need_full = true;
      return out;
    }
  }
  if (feed_ && !releases_.count(u.codename)) {
    // The first host of its release: the index gains the release's entries. When a newer feed
    // has become current meanwhile, the host is matched against what is loaded now, and again
    // by the re-match that loads the newer one (its release's keys all count as changed).
    std::set<std::string> releases = releases_;
    releases.insert(u.codename);
    RAMPART_TRY(loaded, LoadIndex(*feed_, releases));
    if (loaded) {
      index_ = std::move(loaded);
      releases_ = std::move(releases);
    }
  }
  store::InventoryRecord inv{u.agent_id, u.org_id, u.codename, u.version_id, UnixMillis(clock_.Now()), 0};
  // Matched before anything is stored: an inventory refused for its findings leaves nothing.
  std::vector<std::pair<std::string, std::string>> changed;
  if (!u.full) {
    for (const auto& p : u.upserted) changed.emplace_back(p.name, p.arch);
    for (const auto& p : u.removed) changed.emplace_back(p.name, p.arch);
  }
  RAMPART_TRY(update, MatchAgent(inv, u.upserted, u.full, std::move(changed)));
  out.findings = update.findings.size();
  RAMPART_CHECK(store_.PutInventory(inv, u.full, u.upserted, u.removed));
  RAMPART_CHECK(store_.ReplaceFindings({std::move(update)}));
  RAMPART_TRY(stored, store_.GetInventory(u.agent_id));
  out.packages = stored ? static_cast<size_t>(stored->packages) : 0;
  return out;
}

Result<bool> VulnMatcher::Refresh() {
  RAMPART_TRY(current, store_.CurrentFeed());
  std::lock_guard lock(mu_);
  if (!current || (feed_ && feed_->id == current->id)) return false;
  // Only the releases the hosts run are loaded (a feed covers four or more; a fleet runs one
  // or two): Inventory() adds a release when its first host arrives.
  RAMPART_TRY(inventories, store_.ListInventories());
  std::set<std::string> releases;
  for (const auto& inv : inventories) releases.insert(inv.codename);
  RAMPART_TRY(next, LoadIndex(*current, releases));
  if (!next) return false;  // the next check loads the newer feed
  // From scratch every host is matched whole: no keys to compare.
  const bool from_scratch = !index_;
  const auto changed = from_scratch ? std::vector<std::pair<std::string, std::string>>()
                                    : vuln::FeedIndex::ChangedKeys(index_.get(), *next);
  // The new feed counts as loaded only once every host's findings are written; on an error the
  // old one stays, so the next check tries again.
  auto old_index = std::exchange(index_, std::move(next));
  auto old_feed = std::exchange(feed_, current);
  auto old_releases = std::exchange(releases_, std::move(releases));
  if (auto done = RematchAll(inventories, changed, from_scratch); !done) {
    index_ = std::move(old_index);
    feed_ = std::move(old_feed);
    releases_ = std::move(old_releases);
    return done.error();
  }
  return true;
}

Result<std::vector<store::FindingsUpdate>> VulnMatcher::NextBatch(const std::vector<store::InventoryRecord>& inventories,
                                                                  size_t& at, const ChangedSet& keys, bool from_scratch,
                                                                  size_t limit) const {
  std::vector<store::FindingsUpdate> batch;
  size_t findings = 0;
  for (; at < inventories.size() && findings < limit; ++at) {
    const store::InventoryRecord& inv = inventories[at];
    RAMPART_TRY(packages, store_.PackagesOf(inv.agent_id));
    std::vector<std::pair<std::string, std::string>> names;
    if (!from_scratch) {
      std::vector<store::PackageRecord> affected;
      for (auto& p : packages) {
        if (!keys.count({inv.codename, vuln::MatchKey(Installed(p)).first})) continue;
        names.emplace_back(p.name, p.arch);
        affected.push_back(std::move(p));
      }
      if (affected.empty()) continue;
      packages = std::move(affected);
    }
    auto update = MatchAgent(inv, packages, from_scratch, std::move(names));
    if (!update) continue;  // a host past the findings cap keeps what it had
    findings += update->findings.size() + 1;
    batch.push_back(std::move(*update));
  }
  return batch;
}

Result<void> VulnMatcher::RematchAll(const std::vector<store::InventoryRecord>& inventories,
                                     const std::vector<std::pair<std::string, std::string>>& changed, bool from_scratch) {
  const ChangedSet keys(changed.begin(), changed.end());
  // Written in batches of about kFindingsPerBatch findings, so memory stays bounded however
  // many hosts; the next batch is matched on another thread while one is written (the writes
  // are most of the time, the matching most of the rest). The organizations' matched CVEs are
  // summed up once at the end: until then the list shows the summaries from before the
  // re-match. After a failure or a crash in between, the retry (or the next start's re-match
  // from scratch) sums up what it touches, and SummarizeFindings drops summaries left without
  // findings.
  store::TouchedCves touched;
  size_t at = 0;
  // The first batch is small: nothing is written while it is matched.
  RAMPART_TRY(batch, NextBatch(inventories, at, keys, from_scratch, kFindingsPerBatch / 8));
  while (!batch.empty()) {
    auto next = std::async(std::launch::async,
                           [&] { return NextBatch(inventories, at, keys, from_scratch, kFindingsPerBatch); });
    auto written = store_.ReplaceFindings(batch, &touched);
    auto following = next.get();
    RAMPART_CHECK(written);
    if (!following) return following.error();
    batch = std::move(*following);
  }
  return store_.SummarizeFindings(touched);
}

}  // namespace rampart::telemetry
