#pragma once
// The SQL of webhooks and their delivery queue (migration V14).
namespace rampart::store::sqlite::q {

#define RAMPART_WEBHOOK_COLUMNS "id, org_id, url, sealed_secret, description, enabled, created_at_ms"
inline constexpr const char* kInsertWebhook =
    "INSERT INTO webhooks(" RAMPART_WEBHOOK_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr const char* kListWebhooks =
    "SELECT " RAMPART_WEBHOOK_COLUMNS " FROM webhooks WHERE org_id = ?1 ORDER BY created_at_ms, id";
#define RAMPART_DELIVERY_COLUMNS \
  "d.id, d.webhook_id, d.org_id, d.alert_id, d.created_at_ms, d.next_at_ms, d.attempts, d.status, d.last_status," \
  " d.last_error, d.done_at_ms"
inline constexpr const char* kDueDeliveries =
    "SELECT " RAMPART_DELIVERY_COLUMNS ", w.id, w.org_id, w.url, w.sealed_secret, w.description, w.enabled,"
    " w.created_at_ms, COALESCE(a.doc, '')"
    " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
    " LEFT JOIN alerts a ON a.org_id = d.org_id AND a.id = d.alert_id"
    " WHERE d.status = 'pending' AND d.next_at_ms <= ?1 ORDER BY d.next_at_ms, d.id LIMIT ?2";
inline constexpr const char* kListDeliveries =
    "SELECT " RAMPART_DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.org_id = ?1 AND d.webhook_id = ?2"
    " ORDER BY d.id DESC LIMIT ?3";
#undef RAMPART_DELIVERY_COLUMNS
#undef RAMPART_WEBHOOK_COLUMNS
inline constexpr const char* kDeleteDeliveriesOf = "DELETE FROM webhook_deliveries WHERE webhook_id = ?1";
inline constexpr const char* kDeleteWebhook = "DELETE FROM webhooks WHERE org_id = ?1 AND id = ?2";
inline constexpr const char* kUpdateDelivery =
    "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, next_at_ms = ?4, last_status = ?5, last_error = ?6,"
    " done_at_ms = ?7 WHERE id = ?1";
inline constexpr const char* kTrimDeliveries =
    "DELETE FROM webhook_deliveries WHERE status != 'pending' AND done_at_ms < ?1";
// Queues a new alert's delivery to every enabled webhook of its organization.
inline constexpr const char* kQueueDeliveries =
    "INSERT INTO webhook_deliveries(webhook_id, org_id, alert_id, created_at_ms, next_at_ms, attempts, status)"
    " SELECT id, org_id, ?2, ?3, ?3, 0, 'pending' FROM webhooks WHERE org_id = ?1 AND enabled = 1";

}  // namespace rampart::store::sqlite::q
