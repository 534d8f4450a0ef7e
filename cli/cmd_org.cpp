// `rampart admin org …`: organizations, the one tenant of both APIs (`account …`, the ThreatSTOP
// spelling, stays for one release). Straight in the data directory (safe while the server runs:
// SQLite WAL with a busy timeout; a running server sees a new organization on its first request).
#include <memory>

#include "base/clock.hpp"
#include "common.hpp"
#include "commands.hpp"
#include "identity/orgs.hpp"
#include "net/domain_name.hpp"
#include "telemetry/base_rule_set.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

json::object OrgJson(const store::OrgRecord& o) {
  return {{"id", o.id}, {"name", o.name}, {"created_at_ms", o.created_at_ms}, {"zone_suffix", o.zone_suffix}};
}

void AddCreate(CLI::App* parent, const char* what, const char* old_spelling) {
  auto c = std::make_shared<Common>();
  auto name = std::make_shared<std::string>();
  CLI::App* create = parent->add_subcommand("create", std::string("Create an ") + what);
  create->add_option("name", *name, "name (unique, case-insensitively)")->required();
  AddCommon(create, *c);
  create->callback([c, name, old_spelling] {
    if (old_spelling) Renamed(old_spelling, "org create");
    auto s = OpenDataStore(c->data_dir, /*create=*/true);
    SystemClock clock;
    const store::OrgRecord o = Must(identity::CreateOrg(*s, clock, *name));
    Must(telemetry::AddBaseRuleSet(*s, o.id, UnixMillis(clock.Now())));
    Print(c->json_out, OrgJson(o), "created organization " + o.name + " (" + o.id + "), zone suffix " + o.zone_suffix);
  });
}

void AddList(CLI::App* parent, const char* old_spelling) {
  auto c = std::make_shared<Common>();
  CLI::App* list = parent->add_subcommand("list", "List organizations");
  AddCommon(list, *c);
  list->callback([c, old_spelling] {
    if (old_spelling) Renamed(old_spelling, "org list");
    auto s = OpenDataStore(c->data_dir);
    json::array arr;
    std::string text;
    for (const auto& o : Must(s->ListOrgs())) {
      arr.push_back(OrgJson(o));
      text += o.id + "  " + o.name + "  zones under " + o.zone_suffix + ".rpz.<server_name>\n";
    }
    if (!text.empty()) text.pop_back();
    Print(c->json_out, arr, text);
  });
}

// An operator's grant: the organization may name zones under this domain too (its own suffix always).
void AddGrant(CLI::App* parent, const char* option, const char* old_spelling) {
  auto c = std::make_shared<Common>();
  auto org = std::make_shared<std::string>();
  auto suffix = std::make_shared<std::string>();
  CLI::App* grant = parent->add_subcommand("grant-zone-suffix", "Let an organization name RPZ zones under a domain");
  grant->add_option(option, *org, "organization id or name")->required();
  grant->add_option("--suffix", *suffix, "a domain, e.g. rpz.example.com")->required();
  AddCommon(grant, *c);
  grant->callback([c, org, suffix, old_spelling] {
    if (old_spelling) Renamed(old_spelling, "org grant-zone-suffix --org");
    auto s = OpenDataStore(c->data_dir);
    const store::OrgRecord o = Must(identity::FindOrg(*s, *org));
    net::DomainParse d = net::NormalizeDomain(*suffix, 200);
    if (!d.ok) Fail("not a domain name: " + *suffix);
    if (auto r = s->GrantZoneSuffix(o.id, d.value); !r) {
      Fail(r.error().code == Errc::kConflict ? "suffix already granted: " + d.value : r.error().detail);
    }
    json::object out{{"org_id", o.id}, {"suffix", d.value}};
    if (old_spelling) out["account_id"] = o.id;  // what the old spelling printed
    Print(c->json_out, out, "granted " + d.value + " to " + o.name);
  });
}

void AddDelete(CLI::App* org) {
  auto c = std::make_shared<Common>();
  auto key = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  CLI::App* del = org->add_subcommand("delete", "Delete an organization (refused while it holds data, unless --force)");
  del->add_option("org", *key, "organization id or name")->required();
  del->add_flag("--force", *force, "delete its lists, keys, policies, members and telemetry too");
  AddCommon(del, *c);
  del->callback([c, key, force] {
    auto s = OpenDataStore(c->data_dir);
    SystemClock clock;
    const store::OrgRecord o = Must(identity::FindOrg(*s, *key));
    const store::OrgContents held = Must(identity::DeleteOrg(*s, clock, o.id, *force, "admin"));
    Print(c->json_out, json::object{{"id", o.id}, {"deleted", true}, {"objects_deleted", held.Total()}},
          "deleted organization " + o.name + " (" + o.id + ")" +
              (held.Total() > 0 ? " and the " + std::to_string(held.Total()) + " objects it held" : ""));
  });
}

}  // namespace

void AddOrganizations(CLI::App* admin) {
  CLI::App* org = admin->add_subcommand("org", "Organizations (the tenant of both APIs)")->require_subcommand(1);
  AddCreate(org, "organization", nullptr);
  AddList(org, nullptr);
  AddGrant(org, "--org", nullptr);
  AddDelete(org);
  CLI::App* account = admin->add_subcommand("account", "Old spelling of `org` (one more release)")->require_subcommand(1);
  AddCreate(account, "organization (old spelling of `org create`)", "account create");
  AddList(account, "account list");
  AddGrant(account, "--account", "account grant-zone-suffix");
}

}  // namespace rampart::cli
