// `rampart admin …`: the audit trail, the integrity check, and the registration of every admin
// command. Straight in the data directory (safe while the server runs: SQLite WAL with a busy
// timeout).
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "common.hpp"
#include "commands.hpp"
#include "identity/orgs.hpp"
#include "store/store.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

std::unique_ptr<store::Store> Open(const Common& c) { return OpenDataStore(c.data_dir); }

// An organization's id, by id or name; a deleted organization's trail is read by its id.
std::string AuditedOrgId(store::Store& s, const std::string& key) {
  auto org = identity::FindOrg(s, key);
  if (org) return org->id;
  const bool id_like = key.size() == 24 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!id_like) Fail(org.error().detail);
  return key;
}

void AddAuditCommand(CLI::App* admin) {
  auto c = std::make_shared<Common>();
  auto org = std::make_shared<std::string>();
  auto list = std::make_shared<std::string>();
  auto limit = std::make_shared<int64_t>(50);
  CLI::App* audit = admin->add_subcommand("audit", "Read the audit trail, newest first");
  audit->add_option("--org,--account", *org, "organization id or name")->required();
  audit->add_option("--list", *list, "only this list (object id)");
  audit->add_option("--limit", *limit, "how many records")->check(CLI::Range(1, 100000));
  AddCommon(audit, *c);
  audit->callback([c, org, list, limit] {
    auto s = Open(*c);
    json::array arr;
    std::string text;
    for (const auto& r : Must(s->ReadAudit(AuditedOrgId(*s, *org), *list, 0, *limit))) {
      json::error_code ec;
      json::value changes = json::parse(r.changes_json, ec);
      arr.push_back(json::object{{"id", r.id}, {"at_ms", r.at_ms}, {"action", r.action}, {"list_id", r.list_id},
                                 {"list_kind", r.list_kind}, {"list_name", r.list_name}, {"actor", r.actor},
                                 // as before organizations: the key's id, or the actor ("system")
                                 {"token_id", r.actor.rfind("key:", 0) == 0 ? r.actor.substr(4) : r.actor},
                                 {"changes", ec ? json::value(nullptr) : changes}});
      text += std::to_string(r.at_ms) + "  " + r.action + "  " + r.list_kind + "/" + r.list_name + "  by " +
              r.actor + "  " + r.changes_json + "\n";
    }
    if (!text.empty()) text.pop_back();
    Print(c->json_out, arr, text);
  });
}

// `rampart admin check`: the database's consistency check, explained. Exit 0 when sound, 1 when
// not (run it with the server stopped, or on a copy, after a crash or a restore).
void AddCheckCommand(CLI::App* admin) {
  auto c = std::make_shared<Common>();
  CLI::App* check = admin->add_subcommand("check", "Check the database's integrity (after a crash or a restore)");
  AddCommon(check, *c);
  check->callback([c] {
    auto s = Open(*c);
    const std::vector<std::string> lines = Must(s->CheckIntegrity());
    const bool ok = lines == std::vector<std::string>{"ok"};
    json::array problems;
    for (const auto& l : lines) {
      if (!ok) problems.push_back(json::value(l));
    }
    std::string text = ok ? "ok: the database is consistent (integrity_check and foreign_key_check found nothing)"
                          : "the database is damaged; restore it from a backup (docs/operations.md). Found:";
    for (const auto& l : problems) text += "\n  " + std::string(l.as_string());
    if (ok) Print(c->json_out, json::object{{"ok", true}, {"problems", problems}}, text);
    std::printf("%s\n", c->json_out ? json::serialize(json::object{{"ok", false}, {"problems", problems}}).c_str()
                                     : text.c_str());
    Exit(1);
  });
}

}  // namespace

void AddAdmin(CLI::App& root) {
  CLI::App* admin = root.add_subcommand("admin", "Manage the data directory: organizations, users and keys, audit, imports, agents and deploy keys, webhooks, vulnerability feeds")->require_subcommand(1);
  AddOrganizations(admin);
  AddApiKeys(admin);
  AddAuditCommand(admin);
  AddCheckCommand(admin);
  AddIdentity(admin);
  AddImport(admin);
  AddAgents(admin);
  AddVulnFeed(admin);
}

}  // namespace rampart::cli
