#include "store/sqlite/sqlite_webhooks.hpp"

#include "store/sqlite/webhook_queries.hpp"

namespace rampart::store::sqlite {
namespace {

WebhookRecord ReadWebhook(const Stmt& s, int at = 0) {
  return {s.Text(at), s.Text(at + 1), s.Text(at + 2), s.Text(at + 3), s.Text(at + 4), s.Int(at + 5) != 0, s.Int(at + 6)};
}

DeliveryRecord ReadDelivery(const Stmt& s) {
  return {s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5), s.Int(6), s.Text(7), s.OptInt(8), s.Text(9),
          s.OptInt(10)};
}

}  // namespace

Result<void> QueueDeliveries(Db& db, const AlertRecord& alert) {
  Stmt s(db, q::kQueueDeliveries);
  return s.Bind(1, alert.org_id).Bind(2, alert.id).Bind(3, alert.created_at_ms).Run();
}

Result<void> SqliteWebhooks::CreateWebhook(const WebhookRecord& w) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kInsertWebhook);
  s.Bind(1, w.id).Bind(2, w.org_id).Bind(3, w.url).Bind(4, w.sealed_secret).Bind(5, w.description);
  return s.Bind(6, int64_t{w.enabled}).Bind(7, w.created_at_ms).Run();
}

Result<std::vector<WebhookRecord>> SqliteWebhooks::ListWebhooks(const std::string& org_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListWebhooks);
  s.Bind(1, org_id);
  return CollectRows<WebhookRecord>(s, [](const Stmt& st) { return ReadWebhook(st); });
}

Result<bool> SqliteWebhooks::DeleteWebhook(const std::string& org_id, const std::string& id) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt del(c_.writer, q::kDeleteWebhook);
  RAMPART_CHECK(del.Bind(1, org_id).Bind(2, id).Run());
  if (sqlite3_changes(c_.writer.get()) == 0) return false;
  Stmt deliveries(c_.writer, q::kDeleteDeliveriesOf);
  RAMPART_CHECK(deliveries.Bind(1, id).Run());
  RAMPART_CHECK(txn.Commit());
  return true;
}

Result<std::vector<DueDelivery>> SqliteWebhooks::DueDeliveries(int64_t now_ms, int64_t limit) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kDueDeliveries);
  s.Bind(1, now_ms).Bind(2, limit);
  return CollectRows<DueDelivery>(s, [](const Stmt& st) {
    return DueDelivery{ReadDelivery(st), ReadWebhook(st, 11), st.Text(18)};
  });
}

Result<void> SqliteWebhooks::UpdateDelivery(const DeliveryRecord& d) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kUpdateDelivery);
  s.Bind(1, d.id).Bind(2, d.status).Bind(3, d.attempts).Bind(4, d.next_at_ms).Bind(5, d.last_status);
  return s.Bind(6, d.last_error).Bind(7, d.done_at_ms).Run();
}

Result<std::vector<DeliveryRecord>> SqliteWebhooks::ListDeliveries(const std::string& org_id,
                                                                   const std::string& webhook_id, int64_t limit) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListDeliveries);
  s.Bind(1, org_id).Bind(2, webhook_id).Bind(3, limit);
  return CollectRows<DeliveryRecord>(s, ReadDelivery);
}

Result<void> SqliteWebhooks::TrimDeliveries(int64_t before_ms) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kTrimDeliveries);
  return s.Bind(1, before_ms).Run();
}

}  // namespace rampart::store::sqlite
