#include "telemetry/alerts.hpp"

#include <boost/json.hpp>

#include <array>

#include "base/strings.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

constexpr std::array<const char*, 14> kAlertKeys = {
    "id",        "title",    "dataSource", "createdAt", "isDismissed", "dismissedAt", "dismissReason",
    "dismissReasonText", "dismissedBy", "severity", "agentId", "ruleId", "rulesetId", "aggregates"};

Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

std::optional<std::string> StringOrNull(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::optional<std::string>(std::string(v->get_string())) : std::nullopt;
}

Result<std::optional<int64_t>> Instant(const std::optional<std::string>& text, const char* name) {
  if (!text) return std::optional<int64_t>();
  auto ms = ParseInstant(*text);
  if (!ms) return Bad(std::string(name) + " must be an ISO-8601 time (e.g. 2019-05-01T12:34:56Z)");
  return std::optional<int64_t>(*ms);
}

// The filter state a token carries: one "key=value" per line, in a fixed order.
std::string FilterState(const store::AlertQuery& q) {
  auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string(); };
  return std::string(q.dismissed ? "dismissed" : "active") + "\n" + opt(q.severity) + "\n" + q.rule_id.value_or("") +
         "\n" + q.agent_id.value_or("") + "\n" + opt(q.from_ms) + "\n" + opt(q.until_ms);
}

Result<store::AlertQuery> QueryFromParams(const std::string& org_id, const AlertParams& p) {
  store::AlertQuery q;
  q.org_id = org_id;
  std::string status = AsciiLower(p.status.value_or("active"));  // enum words in any case
  if (status != "active" && status != "dismissed") return Bad("status must be active or dismissed");
  q.dismissed = status == "dismissed";
  if (p.severity) {
    if (*p.severity != "1" && *p.severity != "2" && *p.severity != "3") return Bad("severity must be 1, 2 or 3");
    q.severity = (*p.severity)[0] - '0';
  }
  if (p.rule_id && !p.rule_id->empty()) q.rule_id = p.rule_id;
  if (p.agent_id && !p.agent_id->empty()) q.agent_id = p.agent_id;
  RAMPART_TRY(from, Instant(p.from, "from"));
  RAMPART_TRY(until, Instant(p.until, "until"));
  if (from && until && *from > *until) return Bad("from must not be after until");
  q.from_ms = from;
  q.until_ms = until;
  return q;
}

}  // namespace

Result<store::AlertRecord> AlertFromJson(const json::value& data, const std::string& org_id) {
  const json::object* o = data.if_object();
  if (!o) return Bad("an alert must be a JSON object");
  json::value events = json::array{};
  for (const auto& [key, val] : *o) {
    if (key == "events") {
      if (!val.is_array()) return Bad("alert 'events' must be an array");
      events = val;
      continue;
    }
    bool known = false;
    for (const char* k : kAlertKeys) known = known || key == k;
    if (!known) return Bad("unknown alert field '" + std::string(key) + "'");
  }
  auto id = StringOrNull(*o, "id");
  if (!id || id->empty() || id->size() > 64) return Bad("alert 'id' must be a non-empty string of at most 64 characters");
  auto created = StringOrNull(*o, "createdAt");
  std::optional<int64_t> created_ms = created ? ParseInstant(*created) : std::nullopt;
  if (!created_ms) return Bad("alert 'createdAt' must be an ISO-8601 time");
  const json::value* sev = o->if_contains("severity");
  if (!sev || !sev->is_int64() || sev->get_int64() < 1 || sev->get_int64() > 3) return Bad("alert 'severity' must be 1, 2 or 3");
  const json::value* dismissed = o->if_contains("isDismissed");
  if (dismissed && !dismissed->is_bool()) return Bad("alert 'isDismissed' must be a boolean");
  json::object doc;
  for (const char* k : kAlertKeys) {
    const json::value* f = o->if_contains(k);
    doc[k] = f ? *f : json::value(nullptr);
  }
  doc["createdAt"] = FormatInstant(*created_ms);
  doc["isDismissed"] = dismissed && dismissed->get_bool();
  return store::AlertRecord{org_id, *id, *created_ms, dismissed && dismissed->get_bool(),
                            static_cast<int>(sev->get_int64()), StringOrNull(*o, "ruleId"),
                            StringOrNull(*o, "agentId"), json::serialize(doc), json::serialize(events)};
}

Result<std::string> ListAlertsBody(store::TelemetryStore& store, const PageTokenCodec& codec,
                                   const std::string& org_id, const AlertParams& params) {
  RAMPART_TRY(q, QueryFromParams(org_id, params));
  if (params.token) {
    auto cursor = codec.Decode(*params.token);
    if (!cursor) return Bad("invalid pagination token");
    // The token continues the query it was issued for; filters sent with it must agree.
    const bool filters_given = params.status || params.severity || params.rule_id || params.agent_id ||
                               params.from || params.until;
    if (filters_given && FilterState(q) != cursor->filter) return Bad("query parameters do not match the pagination token");
    if (!filters_given) {
      AlertParams from_token;
      std::string f = cursor->filter;
      std::array<std::string, 6> parts;
      for (size_t i = 0, start = 0; i < 6; ++i) {
        size_t nl = i < 5 ? f.find('\n', start) : f.size();
        if (nl == std::string::npos) return Bad("invalid pagination token");
        parts[i] = f.substr(start, nl - start);
        start = nl + 1;
      }
      q.dismissed = parts[0] == "dismissed";
      if (!parts[1].empty()) q.severity = std::stoi(parts[1]);
      if (!parts[2].empty()) q.rule_id = parts[2];
      if (!parts[3].empty()) q.agent_id = parts[3];
      if (!parts[4].empty()) q.from_ms = std::stoll(parts[4]);
      if (!parts[5].empty()) q.until_ms = std::stoll(parts[5]);
    }
    q.after = std::make_pair(cursor->last_created_ms, cursor->last_id);
  }
  q.limit = kAlertPageSize + 1;
  q.page_only = true;  // a page shows each alert's document only
  RAMPART_TRY(rows, store.ListAlerts(q));
  return PageBody("alerts", rows, kAlertPageSize, codec, FilterState(q));
}

Result<std::string> AlertEventsBody(store::TelemetryStore& store, const std::string& org_id, const std::string& id) {
  RAMPART_TRY(alert, store.GetAlert(org_id, id));
  if (!alert) return Error::NotFound("Alert not found");
  return "{\"events\":" + alert->events + "}";
}

Result<std::string> SeverityCountsBody(store::TelemetryStore& store, const std::string& org_id,
                                       const std::optional<std::string>& from, const std::optional<std::string>& until) {
  RAMPART_TRY(from_ms, Instant(from, "from"));
  RAMPART_TRY(until_ms, Instant(until, "until"));
  if (from_ms && until_ms && *from_ms > *until_ms) return Bad("from must not be after until");
  RAMPART_TRY(counts, store.AlertSeverityCounts(org_id, from_ms, until_ms));
  std::array<int64_t, 4> by{};
  for (auto [sev, n] : counts) by[sev] = n;
  json::array arr;
  for (int s = 1; s <= 3; ++s) arr.push_back(json::object{{"severity", s}, {"count", by[s]}});
  return json::serialize(json::object{{"severityCounts", std::move(arr)}});
}

}  // namespace rampart::telemetry
