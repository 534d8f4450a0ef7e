#pragma once
// The SQLite implementation of store::VulnStore, over the connections SqliteStore owns.
#include "store/sqlite/connections.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

class SqliteVulns {
 public:
  explicit SqliteVulns(Connections& c) : c_(c) {}
  Result<int64_t> StageFeed(const FeedRecord& meta);
  Result<void> AddFeedEntries(int64_t feed_id, const std::vector<vuln::FeedEntry>& entries);
  Result<void> ActivateFeed(int64_t feed_id, int64_t entries, const std::string& sha256, int64_t bytes);
  Result<std::optional<FeedRecord>> CurrentFeed();
  Result<std::vector<FeedRecord>> ListFeeds();
  Result<void> ScanFeedEntries(int64_t feed_id, const std::optional<std::vector<std::string>>& releases,
                               const std::function<void(vuln::FeedEntry&&)>& visit);
  Result<std::string> FeedDescription(int64_t feed_id, const std::string& cve);

  Result<void> PutInventory(const InventoryRecord& inv, bool full, const std::vector<PackageRecord>& upserted,
                            const std::vector<PackageRecord>& removed);
  Result<std::optional<InventoryRecord>> GetInventory(const std::string& agent_id);
  Result<std::vector<InventoryRecord>> ListInventories();
  Result<std::vector<PackageRecord>> PackagesOf(const std::string& agent_id);

  Result<void> ReplaceFindings(const std::vector<FindingsUpdate>& updates, TouchedCves* defer);
  Result<void> SummarizeFindings(const TouchedCves& touched);
  Result<std::vector<FindingRecord>> FindingsOf(const std::string& org_id, const std::vector<std::string>& cves);

 private:
  Connections& c_;
};

// Drops an agent's inventory, packages and findings inside the caller's transaction (RevokeAgent).
Result<void> ForgetAgentInventory(Db& db, const std::string& org_id, const std::string& agent_id);

}  // namespace rampart::store::sqlite
