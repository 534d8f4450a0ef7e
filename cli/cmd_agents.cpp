// `rampart admin deploy-key …` and `rampart admin agent …`: the keys that enroll agents into an
// organization (secrets shown once: at creation and rotation) and the enrolled agents. Straight in
// the data directory; a running server sees a revoked agent within change_poll_ms (change log).
#include <memory>

#include "common.hpp"
#include "commands.hpp"
#include "identity/orgs.hpp"
#include "alerting/webhooks.hpp"
#include "app/app.hpp"
#include "ingest/deploy_keys.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

struct Args {
  Common c;
  std::string org, id, description, url;
};

json::value Parsed(const std::string& text) { return json::parse(text); }

void PrintKey(const Args& a, const ingest::IssuedDeployKey& k) {
  Print(a.c.json_out, Parsed(ingest::DeployKeyJson(k.record, &k.token)), k.token.Reveal());
}

void AddDeployKeys(CLI::App* admin) {
  CLI::App* dk = admin->add_subcommand("deploy-key", "Keys that enroll agents into an organization")->require_subcommand(1);
  auto a = std::make_shared<Args>();
  CLI::App* create = dk->add_subcommand("create", "Create a deploy key (its secret is shown once)");
  create->add_option("--org", a->org, "organization id or name")->required();
  create->add_option("--description", a->description, "what the key is for");
  AddCommon(create, a->c);
  create->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    SystemClock clock;
    ingest::DeployKeyService keys(*s, clock);
    PrintKey(*a, Must(keys.Create(Must(identity::FindOrg(*s, a->org)).id, a->description)));
  });
  CLI::App* list = dk->add_subcommand("list", "List deploy keys with their last use (never their secrets)");
  list->add_option("--org", a->org, "organization id or name")->required();
  AddCommon(list, a->c);
  list->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    json::array arr;
    std::string text;
    for (const auto& k : Must(s->ListDeployKeys(Must(identity::FindOrg(*s, a->org)).id))) {
      arr.push_back(Parsed(ingest::DeployKeyJson(k)));
      text += k.id + (k.revoked_at_ms ? "  revoked" : "") +
              (k.last_used_host.empty() ? "  never used" : "  last used by " + k.last_used_host) + "  " + k.description + "\n";
    }
    if (!text.empty()) text.pop_back();
    Print(a->c.json_out, arr, text);
  });
  CLI::App* rotate = dk->add_subcommand("rotate", "Give a deploy key a new secret (the old one stops enrolling at once)");
  rotate->add_option("--org", a->org, "organization id or name")->required();
  rotate->add_option("id", a->id, "key id (the 16 hex characters after rdk_)")->required();
  AddCommon(rotate, a->c);
  rotate->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    SystemClock clock;
    ingest::DeployKeyService keys(*s, clock);
    PrintKey(*a, Must(keys.Rotate(Must(identity::FindOrg(*s, a->org)).id, a->id)));
  });
  CLI::App* revoke = dk->add_subcommand("revoke", "Revoke a deploy key (enrolled agents keep working)");
  revoke->add_option("--org", a->org, "organization id or name")->required();
  revoke->add_option("id", a->id, "key id")->required();
  AddCommon(revoke, a->c);
  revoke->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    SystemClock clock;
    ingest::DeployKeyService keys(*s, clock);
    Must(keys.Revoke(Must(identity::FindOrg(*s, a->org)).id, a->id));
    Print(a->c.json_out, json::object{{"id", a->id}, {"revoked", true}}, "revoked " + a->id);
  });
}

void AddAgentCommands(CLI::App* admin) {
  CLI::App* agent = admin->add_subcommand("agent", "Enrolled agents")->require_subcommand(1);
  auto a = std::make_shared<Args>();
  CLI::App* revoke = agent->add_subcommand("revoke", "Stop an agent's key (it cannot re-enroll)");
  revoke->add_option("--org", a->org, "organization id or name")->required();
  revoke->add_option("id", a->id, "agent id")->required();
  AddCommon(revoke, a->c);
  revoke->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    const std::string org = Must(identity::FindOrg(*s, a->org)).id;
    const int64_t now = UnixMillis(SystemClock().Now());
    auto audit = telemetry::AuditFor({org, "admin", "", now}, "update", "agent.revoke", "revoked agent " + a->id,
                                     json::object{{"agentId", a->id}});
    if (!Must(s->RevokeAgent(org, a->id, now, audit))) Fail("no such enrolled agent (or it was revoked): " + a->id);
    Print(a->c.json_out, json::object{{"id", a->id}, {"revoked", true}}, "revoked agent " + a->id);
  });
}

// Webhooks need the master key (their secrets are sealed), so these open it from the data directory.
void AddWebhooks(CLI::App* admin) {
  CLI::App* wh = admin->add_subcommand("webhook", "Where an organization's new alerts are POSTed")->require_subcommand(1);
  auto a = std::make_shared<Args>();
  CLI::App* create = wh->add_subcommand("create", "Add a webhook (its signing secret is shown once)");
  create->add_option("--org", a->org, "organization id or name")->required();
  create->add_option("--url", a->url, "http:// or https:// URL")->required();
  create->add_option("--description", a->description, "what receives it");
  AddCommon(create, a->c);
  create->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    SystemClock clock;
    const crypto::SecretBox box = Must(app::LoadMasterKey(a->c.data_dir));
    alerting::WebhookService hooks(*s, box, clock);
    auto made = Must(hooks.Create(Must(identity::FindOrg(*s, a->org)).id, a->url, a->description));
    Print(a->c.json_out, Parsed(alerting::WebhookJson(made.record, &made.secret)), made.secret.Reveal());
  });
  CLI::App* list = wh->add_subcommand("list", "List webhooks (never their secrets)");
  list->add_option("--org", a->org, "organization id or name")->required();
  AddCommon(list, a->c);
  list->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    json::array arr;
    std::string text;
    for (const auto& w : Must(s->ListWebhooks(Must(identity::FindOrg(*s, a->org)).id))) {
      arr.push_back(Parsed(alerting::WebhookJson(w)));
      text += w.id + "  " + w.url + "  " + w.description + "\n";
    }
    if (!text.empty()) text.pop_back();
    Print(a->c.json_out, arr, text);
  });
  CLI::App* del = wh->add_subcommand("delete", "Delete a webhook and its pending deliveries");
  del->add_option("--org", a->org, "organization id or name")->required();
  del->add_option("id", a->id, "webhook id")->required();
  AddCommon(del, a->c);
  del->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    if (!Must(s->DeleteWebhook(Must(identity::FindOrg(*s, a->org)).id, a->id))) Fail("no such webhook: " + a->id);
    Print(a->c.json_out, json::object{{"id", a->id}, {"deleted", true}}, "deleted webhook " + a->id);
  });
}

}  // namespace

void AddAgents(CLI::App* admin) {
  AddDeployKeys(admin);
  AddAgentCommands(admin);
  AddWebhooks(admin);
}

}  // namespace rampart::cli
