#pragma once
// The SQLite implementation of store::WebhookStore, over the connections SqliteStore owns.
#include "store/sqlite/connections.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

class SqliteWebhooks {
 public:
  explicit SqliteWebhooks(Connections& c) : c_(c) {}
  Result<void> CreateWebhook(const WebhookRecord& w);
  Result<std::vector<WebhookRecord>> ListWebhooks(const std::string& org_id);
  Result<bool> DeleteWebhook(const std::string& org_id, const std::string& id);
  Result<std::vector<DueDelivery>> DueDeliveries(int64_t now_ms, int64_t limit);
  Result<void> UpdateDelivery(const DeliveryRecord& d);
  Result<std::vector<DeliveryRecord>> ListDeliveries(const std::string& org_id, const std::string& webhook_id,
                                                     int64_t limit);
  Result<void> TrimDeliveries(int64_t before_ms);

 private:
  Connections& c_;
};

// Queues deliveries of a new alert inside the caller's transaction (StoreBatch).
Result<void> QueueDeliveries(Db& db, const AlertRecord& alert);

}  // namespace rampart::store::sqlite
