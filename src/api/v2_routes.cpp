// The v2 routes beyond agents and alert reads: alert dismissal, vulnerabilities and suppressions,
// rulesets/rules/tags, organization members and invites, audit logs. Handlers are plain functions
// of the request and the actor; every write leaves its audit record in the same commit.
#include <boost/json.hpp>

#include "api/query.hpp"
#include "api/v2.hpp"
#include "telemetry/alerts_dismiss.hpp"
#include "telemetry/integrations.hpp"
#include "telemetry/members.hpp"
#include "telemetry/rules.hpp"
#include "telemetry/vulns.hpp"

namespace rampart::api {
namespace {

using BodyFn = std::function<Result<std::string>(Call&)>;
using ActorFn = std::function<Result<std::string>(Call&, const telemetry::Actor&)>;

Reply Json(std::string body) { return Reply{http::Status::ok, nullptr, "application/json", std::move(body)}; }

std::string P(const Call& c, size_t i) { return std::string(c.params[i]); }

Result<telemetry::Actor> ActorOf(const Call& c, V2Deps& deps, bool owner_only) {
  const std::string& org = c.principal->org_id;
  const std::string& user_id = c.principal->id;
  if (owner_only && deps.identity.RoleIn(user_id, org) != identity::Role::kOwner) {
    return Error{Errc::kForbidden, Reason::kNone, "only owners of the organization can change its members"};
  }
  return deps.telemetry.ActorFor(org, user_id);
}

Route Read(const char* name, BodyFn fn) {
  return Route{.name = name, .access = Access::kRead, .runs = Runs::kReads, .fn = [fn](Call& c) -> Result<Reply> {
                 RAMPART_TRY(body, fn(c));
                 return Json(std::move(body));
               }};
}

Route Write(const char* name, V2Deps& deps, ActorFn fn, bool owner_only = false) {
  return Route{.name = name, .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [&deps, fn, owner_only](Call& c) -> Result<Reply> {
                 RAMPART_TRY(actor, ActorOf(c, deps, owner_only));
                 RAMPART_TRY(body, fn(c, actor));
                 return Json(std::move(body));
               }};
}

void AddDismissRoutes(http::Router<Route>& r, V2Deps& d) {
  r.Add(http::Verb::post, "/v2/alerts/dismiss", Write("v2.alerts.dismiss", d, [&d](Call& c, const telemetry::Actor& a) {
          return d.telemetry.Dismiss(a, c.req.body());
        }));
  r.Add(http::Verb::post, "/v2/alerts/undismiss", Write("v2.alerts.undismiss", d, [&d](Call& c, const telemetry::Actor& a) {
          return d.telemetry.Undismiss(a, c.req.body());
        }));
}

void AddVulnRoutes(http::Router<Route>& r, V2Deps& d) {
  auto params = [](Call& c) {
    return telemetry::VulnParams{QueryParam(c.req, "status"), QueryParam(c.req, "agentId"),
                                 QueryParam(c.req, "hasSecurityNotices"), QueryParam(c.req, "active"),
                                 QueryParam(c.req, "token"), QueryParam(c.req, "unfixed")};
  };
  r.Add(http::Verb::get, "/v2/vulnerabilities", Read("v2.vulns.list", [&d, params](Call& c) {
          return d.telemetry.Vulnerabilities(c.principal->org_id, params(c));
        }));
  r.Add(http::Verb::get, "/v2/vulnerabilities/suppressions", Read("v2.vulns.suppressions", [&d](Call& c) {
          return d.telemetry.Suppressions(c.principal->org_id);
        }));
  r.Add(http::Verb::post, "/v2/vulnerabilities/suppressions",
        Write("v2.vulns.suppressions.create", d, [&d](Call& c, const telemetry::Actor& a) {
          return d.telemetry.CreateSuppression(a, c.req.body());
        }));
  r.Add(http::Verb::delete_, "/v2/vulnerabilities/suppressions/{id}",
        Write("v2.vulns.suppressions.delete", d, [&d](Call& c, const telemetry::Actor& a) {
          return d.telemetry.DeleteSuppression(a, P(c, 0));
        }));
  r.Add(http::Verb::get, "/v2/vulnerabilities/package/{name}", Read("v2.vulns.package", [&d, params](Call& c) {
          return d.telemetry.Vulnerabilities(c.principal->org_id, params(c), P(c, 0));
        }));
  r.Add(http::Verb::get, "/v2/vulnerabilities/{cve}", Read("v2.vulns.get", [&d](Call& c) {
          return d.telemetry.Vulnerability(c.principal->org_id, P(c, 0));
        }));
  r.Add(http::Verb::get, "/v2/vulnerabilities/{cve}/servers", Read("v2.vulns.servers", [&d](Call& c) {
          return d.telemetry.VulnerabilityServers(c.principal->org_id, P(c, 0));
        }));
}

void AddRuleRoutes(http::Router<Route>& r, V2Deps& d) {
  using telemetry::Actor;
  r.Add(http::Verb::get, "/v2/rulesets", Read("v2.rulesets.list", [&d](Call& c) {
          return d.telemetry.Rulesets(c.principal->org_id);
        }));
  r.Add(http::Verb::post, "/v2/rulesets", Write("v2.rulesets.create", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.CreateRuleset(a, c.req.body());
        }));
  r.Add(http::Verb::get, "/v2/rulesets/{id}", Read("v2.rulesets.get", [&d](Call& c) {
          return d.telemetry.Ruleset(c.principal->org_id, P(c, 0));
        }));
  r.Add(http::Verb::put, "/v2/rulesets/{id}", Write("v2.rulesets.update", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.UpdateRuleset(a, P(c, 0), c.req.body());
        }));
  r.Add(http::Verb::delete_, "/v2/rulesets/{id}", Write("v2.rulesets.delete", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.DeleteRuleset(a, P(c, 0));
        }));
  r.Add(http::Verb::get, "/v2/rulesets/{id}/rules", Read("v2.rules.list", [&d](Call& c) {
          return d.telemetry.Rules(c.principal->org_id, P(c, 0));
        }));
  r.Add(http::Verb::post, "/v2/rulesets/{id}/rules", Write("v2.rules.create", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.CreateRule(a, P(c, 0), c.req.body());
        }));
  r.Add(http::Verb::get, "/v2/rulesets/{id}/rules/{rule}", Read("v2.rules.get", [&d](Call& c) {
          return d.telemetry.Rule(c.principal->org_id, P(c, 0), P(c, 1));
        }));
  r.Add(http::Verb::put, "/v2/rulesets/{id}/rules/{rule}", Write("v2.rules.update", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.UpdateRule(a, P(c, 0), P(c, 1), c.req.body());
        }));
  r.Add(http::Verb::delete_, "/v2/rulesets/{id}/rules/{rule}", Write("v2.rules.delete", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.DeleteRule(a, P(c, 0), P(c, 1));
        }));
  r.Add(http::Verb::get, "/v2/rules/{rule}/tags", Read("v2.rules.tags.get", [&d](Call& c) {
          return d.telemetry.RuleTags(c.principal->org_id, P(c, 0));
        }));
  r.Add(http::Verb::post, "/v2/rules/{rule}/tags", Write("v2.rules.tags.put", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.PutRuleTags(a, P(c, 0), c.req.body());
        }));
}

void AddOrganizationRoutes(http::Router<Route>& r, V2Deps& d) {
  using telemetry::Actor;
  r.Add(http::Verb::get, "/v2/organizations/members", Read("v2.members.list", [&d](Call& c) {
          return d.telemetry.Members(c.principal->org_id);
        }));
  r.Add(http::Verb::post, "/v2/organizations/members", Write("v2.members.add", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.AddMember(a, c.req.body());
        }, true));
  // 204 with no body, so not through Write().
  r.Add(http::Verb::delete_, "/v2/organizations/members/{id}",
        Route{.name = "v2.members.delete", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
                RAMPART_TRY(actor, ActorOf(c, d, true));
                RAMPART_CHECK(d.telemetry.RemoveMember(actor, P(c, 0)));
                return Reply{http::Status::no_content, nullptr, "application/json", {}};
              }});
  for (auto verb : {http::Verb::post, http::Verb::put}) {
    r.Add(verb, "/v2/organizations/invites", Write("v2.invites.create", d, [&d](Call& c, const Actor& a) {
            return d.telemetry.Invite(a, c.req.body());
          }, true));
  }
  r.Add(http::Verb::get, "/v2/auditlogs", Read("v2.auditlogs", [&d](Call& c) {
          return d.telemetry.AuditLog(c.principal->org_id, QueryParam(c.req, "from"), QueryParam(c.req, "until"),
                                      QueryParam(c.req, "token"));
        }));
}

// The EC2 servers known through agents, and the S3 data-portability settings (integrations.hpp).
void AddIntegrationRoutes(http::Router<Route>& r, V2Deps& d) {
  using telemetry::Actor;
  r.Add(http::Verb::get, "/v2/aws/ec2", Read("v2.aws.ec2", [&d](Call& c) -> Result<std::string> {
          return d.telemetry.Ec2Servers(c.principal->org_id, QueryParam(c.req, "monitored"), QueryParam(c.req, "token"));
        }));
  r.Add(http::Verb::get, "/v2/integrations/s3export", Read("v2.s3export.get", [&d](Call& c) {
          return d.telemetry.S3Exports(c.principal->org_id);
        }));
  r.Add(http::Verb::put, "/v2/integrations/s3export", Write("v2.s3export.put", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.PutS3Export(a, c.req.body());
        }));
  r.Add(http::Verb::delete_, "/v2/integrations/s3export", Write("v2.s3export.delete", d, [&d](Call& c, const Actor& a) {
          return d.telemetry.DeleteS3Export(a, c.req.body());
        }));
}

}  // namespace

void AddV2WriteRoutes(http::Router<Route>& r, V2Deps& deps) {
  AddIntegrationRoutes(r, deps);
  AddDismissRoutes(r, deps);
  AddVulnRoutes(r, deps);
  AddRuleRoutes(r, deps);
  AddOrganizationRoutes(r, deps);
}

}  // namespace rampart::api
