#include "telemetry/service.hpp"

#include "telemetry/alerts_dismiss.hpp"
#include "telemetry/integrations.hpp"
#include "telemetry/rules.hpp"

namespace rampart::telemetry {

Result<std::string> TelemetryService::Then(Result<std::string> r, const std::function<void(const std::string&)>& hook,
                                           const std::string& org) const {
  if (r && hook) hook(org);
  return r;
}

Result<Actor> TelemetryService::ActorFor(const std::string& org_id, const std::string& user_id) {
  RAMPART_TRY(user, store_.FindUser(user_id));
  return Actor{org_id, user_id, user ? user->email : "", UnixMillis(clock_.Now())};
}

Result<std::string> TelemetryService::Alerts(const std::string& org, const AlertParams& p) {
  return ListAlertsBody(store_, tokens_, org, p);
}
Result<std::string> TelemetryService::SeverityCounts(const std::string& org, const std::optional<std::string>& from,
                                                     const std::optional<std::string>& until) {
  return SeverityCountsBody(store_, org, from, until);
}
Result<std::string> TelemetryService::Alert(const std::string& org, const std::string& id) {
  RAMPART_TRY(alert, store_.GetAlert(org, id));
  if (!alert) return Error::NotFound("Alert not found");
  return alert->doc;
}
Result<std::string> TelemetryService::AlertEvents(const std::string& org, const std::string& id) {
  return AlertEventsBody(store_, org, id);
}
Result<std::string> TelemetryService::Dismiss(const Actor& a, std::string_view body) {
  return Then(DismissAlerts(store_, store_, a, body), hooks_.alerts_changed, a.org_id);
}
Result<std::string> TelemetryService::Undismiss(const Actor& a, std::string_view body) {
  return Then(UndismissAlerts(store_, store_, a, body), hooks_.alerts_changed, a.org_id);
}

Result<std::string> TelemetryService::Vulnerabilities(const std::string& org, const VulnParams& p,
                                                      const std::optional<std::string>& package) {
  return ListVulnsBody(store_, tokens_, org, p, package);
}
Result<std::string> TelemetryService::Vulnerability(const std::string& org, const std::string& cve) {
  return GetVulnBody(store_, org, cve);
}
Result<std::string> TelemetryService::VulnerabilityServers(const std::string& org, const std::string& cve) {
  return VulnServersBody(store_, org, cve);
}
Result<std::string> TelemetryService::Suppressions(const std::string& org) { return ListSuppressionsBody(store_, org); }
Result<std::string> TelemetryService::CreateSuppression(const Actor& a, std::string_view body) {
  return telemetry::CreateSuppression(store_, a, body);
}
Result<std::string> TelemetryService::DeleteSuppression(const Actor& a, const std::string& id) {
  return telemetry::DeleteSuppression(store_, a, id);
}

Result<std::string> TelemetryService::Rulesets(const std::string& org) { return ListRulesetsBody(store_, org); }
Result<std::string> TelemetryService::Ruleset(const std::string& org, const std::string& id) {
  return GetRulesetBody(store_, org, id);
}
Result<std::string> TelemetryService::CreateRuleset(const Actor& a, std::string_view body) {
  return Then(telemetry::CreateRuleset(store_, a, body), hooks_.rules_changed, a.org_id);
}
Result<std::string> TelemetryService::UpdateRuleset(const Actor& a, const std::string& id, std::string_view body) {
  return Then(telemetry::UpdateRuleset(store_, a, id, body), hooks_.rules_changed, a.org_id);
}
Result<std::string> TelemetryService::DeleteRuleset(const Actor& a, const std::string& id) {
  return Then(telemetry::DeleteRuleset(store_, a, id), hooks_.rules_changed, a.org_id);
}
Result<std::string> TelemetryService::Rules(const std::string& org, const std::string& ruleset) {
  return ListRulesBody(store_, org, ruleset);
}
Result<std::string> TelemetryService::Rule(const std::string& org, const std::string& ruleset, const std::string& rule) {
  return GetRuleBody(store_, org, ruleset, rule);
}
Result<std::string> TelemetryService::CreateRule(const Actor& a, const std::string& ruleset, std::string_view body) {
  return Then(telemetry::CreateRule(store_, a, ruleset, body), hooks_.rules_changed, a.org_id);
}
Result<std::string> TelemetryService::UpdateRule(const Actor& a, const std::string& ruleset, const std::string& rule,
                                                 std::string_view body) {
  return Then(telemetry::UpdateRule(store_, a, ruleset, rule, body), hooks_.rules_changed, a.org_id);
}
Result<std::string> TelemetryService::DeleteRule(const Actor& a, const std::string& ruleset, const std::string& rule) {
  return Then(telemetry::DeleteRule(store_, a, ruleset, rule), hooks_.rules_changed, a.org_id);
}
Result<std::string> TelemetryService::RuleTags(const std::string& org, const std::string& rule) {
  return GetRuleTagsBody(store_, org, rule);
}
Result<std::string> TelemetryService::PutRuleTags(const Actor& a, const std::string& rule, std::string_view body) {
  return Then(telemetry::PutRuleTags(store_, a, rule, body), hooks_.rules_changed, a.org_id);
}

Result<std::string> TelemetryService::Members(const std::string& org) {
  return MembersBody(store_, org, [this](const std::string& u) { return identity_.LastAuthenticated(u); });
}
Result<std::string> TelemetryService::AddMember(const Actor& a, std::string_view body) {
  return telemetry::AddMember(identity_, a, body);
}
Result<void> TelemetryService::RemoveMember(const Actor& a, const std::string& user_id) {
  return telemetry::RemoveMember(identity_, a, user_id);
}
Result<std::string> TelemetryService::Invite(const Actor& a, std::string_view body) {
  return telemetry::Invite(store_, a, body);
}
Result<std::string> TelemetryService::AuditLog(const std::string& org, const std::optional<std::string>& from,
                                               const std::optional<std::string>& until,
                                               const std::optional<std::string>& token) {
  return ListAuditBody(store_, tokens_, org, from, until, token);
}

Result<std::string> TelemetryService::Ec2Servers(const std::string& org, const std::optional<std::string>& monitored,
                                                 const std::optional<std::string>& token) {
  RAMPART_TRY(snap, agents_.Load(org));
  return Ec2ServersBody(*snap, tokens_, monitored, token);
}
Result<std::string> TelemetryService::S3Exports(const std::string& org) { return S3ExportsBody(store_, org); }
Result<std::string> TelemetryService::PutS3Export(const Actor& a, std::string_view body) {
  return telemetry::PutS3Export(store_, a, body);
}
Result<std::string> TelemetryService::DeleteS3Export(const Actor& a, std::string_view body) {
  return telemetry::DeleteS3Export(store_, a, body);
}

}  // namespace rampart::telemetry
