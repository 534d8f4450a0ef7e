#include "alerting/webhooks.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>

#include "crypto/crypto.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::alerting {
namespace json = boost::json;
using telemetry::FormatInstant;

namespace {

Result<void> CheckUrl(const std::string& url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (url.size() > 2048 || !u) return Error::Invalid("'url' must be an absolute http:// or https:// URL");
  if (u->scheme() != "http" && u->scheme() != "https") return Error::Invalid("'url' must be http:// or https://");
  if (u->host().empty()) return Error::Invalid("'url' needs a host");
  if (u->has_userinfo()) return Error::Invalid("'url' may not carry user information (the signature authenticates)");
  if (u->has_fragment()) return Error::Invalid("'url' may not have a fragment");
  return {};
}

json::value Instant(const std::optional<int64_t>& ms) { return ms ? json::value(FormatInstant(*ms)) : json::value(nullptr); }

}  // namespace

Result<IssuedWebhook> WebhookService::Create(const std::string& org_id, const std::string& url,
                                             const std::string& description) {
  RAMPART_CHECK(CheckUrl(url));
  if (description.size() > 200) return Error::Invalid("'description' has at most 200 characters");
  RAMPART_TRY(existing, store_.ListWebhooks(org_id));
  if (existing.size() >= 20) return Error::Invalid("an organization has at most 20 webhooks");
  std::array<uint8_t, 32> bytes{};
  crypto::RandomBytes(bytes);
  Secret secret("whsec_" + crypto::Base64UrlEncode(bytes));
  store::WebhookRecord w{crypto::NewUuidV4(), org_id, url, box_.Seal(secret.Reveal()), description, true,
                         UnixMillis(clock_.Now())};
  RAMPART_CHECK(store_.CreateWebhook(w));
  return IssuedWebhook{std::move(secret), std::move(w)};
}

Result<std::vector<store::WebhookRecord>> WebhookService::List(const std::string& org_id) {
  return store_.ListWebhooks(org_id);
}

Result<void> WebhookService::Delete(const std::string& org_id, const std::string& id) {
  RAMPART_TRY(deleted, store_.DeleteWebhook(org_id, id));
  if (!deleted) return Error::NotFound("no such webhook " + id.substr(0, 64));
  return {};
}

Result<std::vector<store::DeliveryRecord>> WebhookService::Deliveries(const std::string& org_id, const std::string& id) {
  RAMPART_TRY(hooks, store_.ListWebhooks(org_id));
  if (std::none_of(hooks.begin(), hooks.end(), [&](const auto& w) { return w.id == id; })) {
    return Error::NotFound("no such webhook " + id.substr(0, 64));
  }
  return store_.ListDeliveries(org_id, id, 100);
}

std::string Signature(std::string_view secret, int64_t unix_s, std::string_view body) {
  const std::string t = std::to_string(unix_s);
  const std::string mac = crypto::Hmac(crypto::HashAlg::kSha256, secret, t + "." + std::string(body));
  return "t=" + t + ",v1=" + crypto::HexEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(mac.data()), mac.size()));
}

std::string AlertBody(const store::DueDelivery& d) {
  json::error_code ec;
  json::value alert = json::parse(d.alert_doc, ec);
  if (ec) alert = nullptr;
  return json::serialize(json::object{{"type", "alert.created"},
                                      {"deliveryId", d.delivery.id},
                                      {"organizationId", d.delivery.org_id},
                                      {"alert", std::move(alert)}});
}

std::optional<int64_t> NextAttempt(const store::DeliveryRecord& d, int64_t now_ms, double jitter) {
  if (now_ms - d.created_at_ms >= kRetryForMs) return std::nullopt;
  const int64_t shift = std::min<int64_t>(d.attempts > 0 ? d.attempts - 1 : 0, 20);
  const int64_t base = std::min<int64_t>(int64_t{10000} << shift, 3600 * 1000);
  const auto delay = static_cast<int64_t>(static_cast<double>(base) * (0.8 + 0.4 * jitter));
  return std::min(now_ms + delay, d.created_at_ms + kRetryForMs);
}

std::string WebhookJson(const store::WebhookRecord& w, const Secret* secret) {
  json::object o{{"id", w.id}, {"url", w.url}, {"description", w.description}, {"enabled", w.enabled},
                 {"createdAt", FormatInstant(w.created_at_ms)}};
  if (secret) o["secret"] = secret->Reveal();
  return json::serialize(o);
}

std::string DeliveryJson(const store::DeliveryRecord& d) {
  return json::serialize(json::object{{"id", d.id},
                                      {"alertId", d.alert_id},
                                      {"status", d.status},
                                      {"attempts", d.attempts},
                                      {"createdAt", FormatInstant(d.created_at_ms)},
                                      {"nextAttemptAt", d.status == "pending" ? json::value(FormatInstant(d.next_at_ms))
                                                                              : json::value(nullptr)},
                                      {"lastStatus", d.last_status ? json::value(*d.last_status) : json::value(nullptr)},
                                      {"lastError", d.last_error},
                                      {"doneAt", Instant(d.done_at_ms)}});
}

}  // namespace rampart::alerting
