#pragma once
// Alert delivery by webhook (docs/api-v2.md, "Webhooks"): an organization's owners register URLs;
// each new alert is POSTed to each enabled one as JSON, signed, retried with backoff for a day,
// and each delivery's state is visible. The queue is durable (store::WebhookStore): a delivery is
// queued in the transaction that stores its alert, so an acknowledged batch's alerts are delivered
// even after kill -9. At least once: a receiver dedupes by X-Rampart-Delivery.
//
// Signature: X-Rampart-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
// A receiver recomputes it with its secret and refuses old timestamps (replays).
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"
#include "crypto/secretbox.hpp"
#include "store/store.hpp"

namespace rampart::alerting {

inline constexpr int64_t kRetryForMs = 24 * 3600 * 1000;

struct IssuedWebhook {
  Secret secret;  // "whsec_…", shown once
  store::WebhookRecord record;
};

class WebhookService {
 public:
  WebhookService(store::WebhookStore& store, const crypto::SecretBox& box, const Clock& clock)
      : store_(store), box_(box), clock_(clock) {}
  // Invalid for a URL that is not http(s)://host[:port]/path (no user info, at most 2048 bytes).
  Result<IssuedWebhook> Create(const std::string& org_id, const std::string& url, const std::string& description);
  Result<std::vector<store::WebhookRecord>> List(const std::string& org_id);
  Result<void> Delete(const std::string& org_id, const std::string& id);
  Result<std::vector<store::DeliveryRecord>> Deliveries(const std::string& org_id, const std::string& id);

 private:
  store::WebhookStore& store_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
};

// "t=…,v1=…" for `body` sent at `unix_s`.
std::string Signature(std::string_view secret, int64_t unix_s, std::string_view body);
// The body POSTed for a new alert.
std::string AlertBody(const store::DueDelivery& d);
// When a failed attempt (the `attempts`-th) is tried again: 10 s doubling to at most an hour,
// with ±20 % jitter (`jitter` in [0, 1)); nullopt once a day has passed since the alert.
std::optional<int64_t> NextAttempt(const store::DeliveryRecord& d, int64_t now_ms, double jitter);

// `{"id","url","description","enabled","createdAt"}` (+ "secret" when given).
std::string WebhookJson(const store::WebhookRecord& w, const Secret* secret = nullptr);
std::string DeliveryJson(const store::DeliveryRecord& d);

}  // namespace rampart::alerting
