#include "telemetry/alerts_dismiss.hpp"

#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

constexpr const char* kReasons[] = {"BUSINESS_OP", "COMPANY_POLICY", "MAINTENANCE", "OTHER"};

// The alerts named by `ids`, all of them in the organization, or 404 naming the first missing.
Result<std::vector<store::AlertRecord>> ByIds(store::TelemetryStore& alerts, const std::string& org,
                                              const std::vector<std::string>& ids) {
  if (ids.empty() || ids.size() > static_cast<size_t>(kMaxDismissPerRequest)) {
    return InvalidField("ids", "Must list between 1 and 100000 alert ids.");
  }
  std::vector<store::AlertRecord> out;
  for (const auto& id : ids) {
    RAMPART_TRY(a, alerts.GetAlert(org, id));
    if (!a) return Error::NotFound("Alert not found: " + id.substr(0, 64));
    out.push_back(std::move(*a));
  }
  return out;
}

Result<std::vector<store::AlertRecord>> ByQuery(store::TelemetryStore& alerts, const std::string& org,
                                                const json::object& o) {
  RAMPART_TRY(from, OptString(o, "from"));
  RAMPART_TRY(until, OptString(o, "until"));
  auto from_ms = from ? ParseInstant(*from) : std::nullopt;
  auto until_ms = until ? ParseInstant(*until) : std::nullopt;
  if (!from_ms) return InvalidField("from", "Must be an ISO-8601 time.");
  if (!until_ms) return InvalidField("until", "Must be an ISO-8601 time.");
  if (*from_ms > *until_ms) return Error::Invalid("from must not be after until");
  RAMPART_TRY(severity, OptInt(o, "severity"));
  RAMPART_TRY(rule, OptString(o, "ruleID"));
  RAMPART_TRY(agent, OptString(o, "agentID"));
  if (severity && *severity == 0) severity.reset();  // the official CLI omits 0, others may send it
  if (severity && (*severity < 1 || *severity > 3)) return InvalidField("severity", "Must be 1, 2 or 3.");
  if (rule && rule->empty()) rule.reset();
  if (agent && agent->empty()) agent.reset();
  if (!severity && !rule && !agent) return Error::Invalid("dismiss by query needs severity, ruleID or agentID");
  store::AlertQuery q;
  q.org_id = org;
  q.severity = severity ? std::optional<int>(static_cast<int>(*severity)) : std::nullopt;
  q.rule_id = rule;
  q.agent_id = agent;
  q.from_ms = from_ms;
  q.until_ms = until_ms;
  q.limit = kMaxDismissPerRequest + 1;
  RAMPART_TRY(rows, alerts.ListAlerts(q));
  if (rows.size() > static_cast<size_t>(kMaxDismissPerRequest)) {
    return Error::Invalid("more than 100000 alerts match: narrow the query");
  }
  return rows;
}

void SetDismissed(store::AlertRecord& a, bool dismissed, const Actor& actor, const json::value& reason,
                  const json::value& text) {
  json::object doc = json::parse(a.doc).as_object();
  a.dismissed = dismissed;
  doc["isDismissed"] = dismissed;
  doc["dismissedAt"] = dismissed ? json::value(FormatInstant(actor.now_ms)) : json::value(nullptr);
  doc["dismissReason"] = dismissed ? reason : json::value(nullptr);
  doc["dismissReasonText"] = dismissed ? text : json::value(nullptr);
  doc["dismissedBy"] = dismissed ? json::value(actor.user_id) : json::value(nullptr);
  a.doc = json::serialize(doc);
}

json::array Ids(const std::vector<store::AlertRecord>& rows) {
  json::array a;
  for (const auto& r : rows) a.emplace_back(r.id);
  return a;
}

}  // namespace

Result<std::string> DismissAlerts(store::TelemetryStore& alerts, store::V2Store& store, const Actor& actor,
                                  std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(reason, OptString(o, "dismissReason"));
  bool known = false;
  for (const char* r : kReasons) known = known || (reason && *reason == r);
  if (!known) return InvalidField("dismissReason", "Must be one of BUSINESS_OP, COMPANY_POLICY, MAINTENANCE, OTHER.");
  RAMPART_TRY(text, OptString(o, "dismissReasonText"));
  if (text && text->size() > 1000) return InvalidField("dismissReasonText", "Must be at most 1000 characters long.");
  RAMPART_TRY(ids, OptStrings(o, "ids"));
  RAMPART_TRY(rows, ids ? ByIds(alerts, actor.org_id, *ids) : ByQuery(alerts, actor.org_id, o));
  std::vector<store::AlertRecord> changed;
  for (auto& a : rows) {
    if (a.dismissed) continue;  // already dismissed: keeps its original reason
    SetDismissed(a, true, actor, json::value(*reason), text ? json::value(*text) : json::value(nullptr));
    changed.push_back(std::move(a));
  }
  store::V2Write w{actor.org_id};
  w.put_alerts = std::move(changed);
  w.audit = AuditFor(actor, "update", "alerts.dismiss",
                     "Dismissed " + std::to_string(w.put_alerts.size()) + " alerts (" + *reason + ")",
                     json::object{{"alertIds", Ids(w.put_alerts)}, {"dismissReason", *reason}});
  RAMPART_CHECK(store.Commit(w));
  return std::string("{}");
}

Result<std::string> UndismissAlerts(store::TelemetryStore& alerts, store::V2Store& store, const Actor& actor,
                                    std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(ids, OptStrings(o, "ids"));
  if (!ids) return InvalidField("ids", "Must list between 1 and 100000 alert ids.");
  RAMPART_TRY(rows, ByIds(alerts, actor.org_id, *ids));
  std::vector<store::AlertRecord> changed;
  for (auto& a : rows) {
    if (!a.dismissed) continue;
    SetDismissed(a, false, actor, nullptr, nullptr);
    changed.push_back(std::move(a));
  }
  store::V2Write w{actor.org_id};
  w.put_alerts = std::move(changed);
  w.audit = AuditFor(actor, "update", "alerts.undismiss", "Undismissed " + std::to_string(w.put_alerts.size()) + " alerts",
                     json::object{{"alertIds", Ids(w.put_alerts)}});
  RAMPART_CHECK(store.Commit(w));
  return std::string("{}");
}

}  // namespace rampart::telemetry
