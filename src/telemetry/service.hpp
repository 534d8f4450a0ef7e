#pragma once
// The Threat Stack v2 services as one object, as UserListService is for lists: every read and
// write of alerts, vulnerabilities and suppressions, rulesets and rules, members and invites,
// audit logs and integrations goes through it, with the organization's agents cache, the page
// token codec and identity (members) behind it. Each write lands with its v2 audit record in one
// store transaction; after it, the hooks say what changed (the rules engine recompiles an
// organization's rules on rules_changed). Handlers stay plain functions over it (api/v2*.cpp).
// Blocking methods call the store: run them on the blocking pool.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "identity/identity.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"
#include "telemetry/alerts.hpp"
#include "telemetry/members.hpp"
#include "telemetry/page_token.hpp"
#include "telemetry/v2_write.hpp"
#include "telemetry/vulns.hpp"

namespace rampart::telemetry {

struct TelemetryHooks {
  std::function<void(const std::string& org_id)> alerts_changed = nullptr;  // dismissed or undismissed
  std::function<void(const std::string& org_id)> rules_changed = nullptr;   // a ruleset, rule or tags
};

class TelemetryService {
 public:
  TelemetryService(store::Store& store, identity::IdentityService& identity, const PageTokenCodec& tokens,
                   AgentDirectory& agents, const Clock& clock)
      : store_(store), identity_(identity), tokens_(tokens), agents_(agents), clock_(clock) {}
  void SetHooks(TelemetryHooks h) { hooks_ = std::move(h); }

  // Who a write acts as: the user's email and the time, for the audit record.
  Result<Actor> ActorFor(const std::string& org_id, const std::string& user_id);
  AgentDirectory& agents() { return agents_; }
  const PageTokenCodec& tokens() const { return tokens_; }

  // Alerts.
  Result<std::string> Alerts(const std::string& org, const AlertParams& p);
  Result<std::string> SeverityCounts(const std::string& org, const std::optional<std::string>& from,
                                     const std::optional<std::string>& until);
  Result<std::string> Alert(const std::string& org, const std::string& id);
  Result<std::string> AlertEvents(const std::string& org, const std::string& id);
  Result<std::string> Dismiss(const Actor& a, std::string_view body);
  Result<std::string> Undismiss(const Actor& a, std::string_view body);

  // Vulnerabilities and suppressions. `package`: only that package's.
  Result<std::string> Vulnerabilities(const std::string& org, const VulnParams& p,
                                      const std::optional<std::string>& package = std::nullopt);
  Result<std::string> Vulnerability(const std::string& org, const std::string& cve);
  Result<std::string> VulnerabilityServers(const std::string& org, const std::string& cve);
  Result<std::string> Suppressions(const std::string& org);
  Result<std::string> CreateSuppression(const Actor& a, std::string_view body);
  Result<std::string> DeleteSuppression(const Actor& a, const std::string& id);

  // Rulesets, rules and their tags.
  Result<std::string> Rulesets(const std::string& org);
  Result<std::string> Ruleset(const std::string& org, const std::string& id);
  Result<std::string> CreateRuleset(const Actor& a, std::string_view body);
  Result<std::string> UpdateRuleset(const Actor& a, const std::string& id, std::string_view body);
  Result<std::string> DeleteRuleset(const Actor& a, const std::string& id);
  Result<std::string> Rules(const std::string& org, const std::string& ruleset);
  Result<std::string> Rule(const std::string& org, const std::string& ruleset, const std::string& rule);
  Result<std::string> CreateRule(const Actor& a, const std::string& ruleset, std::string_view body);
  Result<std::string> UpdateRule(const Actor& a, const std::string& ruleset, const std::string& rule,
                                 std::string_view body);
  Result<std::string> DeleteRule(const Actor& a, const std::string& ruleset, const std::string& rule);
  Result<std::string> RuleTags(const std::string& org, const std::string& rule);
  Result<std::string> PutRuleTags(const Actor& a, const std::string& rule, std::string_view body);

  // Members, invites, the audit log.
  Result<std::string> Members(const std::string& org);
  Result<std::string> AddMember(const Actor& a, std::string_view body);
  Result<void> RemoveMember(const Actor& a, const std::string& user_id);
  Result<std::string> Invite(const Actor& a, std::string_view body);
  Result<std::string> AuditLog(const std::string& org, const std::optional<std::string>& from,
                               const std::optional<std::string>& until, const std::optional<std::string>& token);

  // Integrations.
  Result<std::string> Ec2Servers(const std::string& org, const std::optional<std::string>& monitored,
                                 const std::optional<std::string>& token);
  Result<std::string> S3Exports(const std::string& org);
  Result<std::string> PutS3Export(const Actor& a, std::string_view body);
  Result<std::string> DeleteS3Export(const Actor& a, std::string_view body);

 private:
  // Passes a write's result through, telling `hook` of the organization when it succeeded.
  Result<std::string> Then(Result<std::string> r, const std::function<void(const std::string&)>& hook,
                           const std::string& org) const;

  store::Store& store_;
  identity::IdentityService& identity_;
  const PageTokenCodec& tokens_;
  AgentDirectory& agents_;
  const Clock& clock_;
  TelemetryHooks hooks_;
};

}  // namespace rampart::telemetry
