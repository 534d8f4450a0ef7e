// `rampart admin user …`: users, their roles per organization, passwords, and their Hawk API keys
// (the vendor's Settings -> Application Keys). Hawk keys are sealed under the master key (--master-key-file, default DATA_DIR/master.key, created 0600 if missing;
// or RAMPART_MASTER_KEY as base64).
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/app.hpp"
#include "common.hpp"
#include "commands.hpp"
#include "crypto/secretbox.hpp"
#include "identity/identity.hpp"
#include "identity/orgs.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

struct Ctx {
  std::string data_dir = "data";
  std::string master_key_file;
  bool json_out = false;
};


struct Opened {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<crypto::SecretBox> box;
  SystemClock clock;
  std::unique_ptr<identity::IdentityService> svc;
};

// `create`: only `org create` may make the data directory and its database.
std::unique_ptr<Opened> Open(const Ctx& c, bool create = false) {
  auto o = std::make_unique<Opened>();
  o->store = OpenDataStore(c.data_dir, create);
  // A key is made only for a database with nothing sealed yet: a lost key is reported, not replaced
  // (keys sealed under a new one would leave the old secrets unreadable and the server refusing to start).
  const bool sealed = Must(o->store->AnySealedKey()).has_value();
  o->box = std::make_unique<crypto::SecretBox>(Must(app::LoadMasterKey(c.data_dir, c.master_key_file, !sealed)));
  o->svc = std::make_unique<identity::IdentityService>(*o->store, *o->box, o->clock);
  return o;
}

identity::Role RoleOf(const std::string& s) {
  auto r = identity::ParseRole(s);
  if (!r) Fail("--role must be owner, user or reader");
  return *r;
}

void PrintCreds(const Ctx& c, const identity::ClientCredentials& k) {
  if (c.json_out) {
    std::printf("%s\n", json::serialize(json::object{{"api_key", k.api_key.Reveal()}, {"org_id", k.org_id},
                                                     {"user_id", k.user_id}}).c_str());
  } else {
    std::printf("API key:         %s\nOrganization id: %s\nUser id:         %s\n", k.api_key.Reveal().c_str(),
                k.org_id.c_str(), k.user_id.c_str());
  }
  Exit(0);
}

void AddCommon(CLI::App* cmd, Ctx& c) {
  cmd->add_option("--data-dir", c.data_dir, "data directory (holds rampart.db)");
  cmd->add_option("--master-key-file", c.master_key_file, "master key file (default DATA_DIR/master.key)");
  cmd->add_flag("--json", c.json_out, "machine-readable output");
}

json::object UserJson(const store::MemberRecord& m) {
  return {{"id", m.user.id},
          {"email", m.user.email},
          {"display_name", m.user.display_name},
          {"org_id", m.membership.org_id},
          {"role", m.membership.role},
          {"has_password", m.user.password_hash.has_value()},
          {"disabled", m.user.disabled_at_ms.has_value()}};
}

// The commands that need no master key: they never touch a Hawk key.
void AddUserAdmin(CLI::App* user) {
  struct Args {
    Common c;
    std::string org, user, role;
  };
  auto a = std::make_shared<Args>();
  CLI::App* list = user->add_subcommand("list", "List users (one line per membership), never their keys");
  list->add_option("--org", a->org, "only this organization's members (id or name)");
  AddCommon(list, a->c);
  list->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    const std::string org_id = a->org.empty() ? "" : Must(identity::FindOrg(*s, a->org)).id;
    json::array arr;
    std::string text;
    for (const auto& m : Must(s->ListUsers(org_id))) {
      arr.push_back(UserJson(m));
      text += m.user.id + "  " + m.user.email + "  " + (m.membership.org_id.empty() ? "-" : m.membership.org_id) +
              "  " + (m.membership.role.empty() ? "-" : m.membership.role) +
              (m.user.disabled_at_ms ? "  disabled" : "") + "\n";
    }
    if (!text.empty()) text.pop_back();
    Print(a->c.json_out, arr, text);
  });
  CLI::App* role = user->add_subcommand("set-role", "Change a user's role in an organization");
  role->add_option("--user", a->user, "user id or email")->required();
  role->add_option("--org", a->org, "organization id or name")->required();
  role->add_option("--role", a->role, "owner, user or reader")->required();
  AddCommon(role, a->c);
  role->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    Must(identity::SetRole(*s, a->user, a->org, RoleOf(a->role)));
    Print(a->c.json_out, json::object{{"ok", true}}, "role saved");
  });
  CLI::App* pw = user->add_subcommand("set-password", "Set a user's password, read from standard input (one line)");
  pw->add_option("--user", a->user, "user id or email")->required();
  AddCommon(pw, a->c);
  pw->callback([a] {
    auto s = OpenDataStore(a->c.data_dir);
    std::string line;
    if (!std::getline(std::cin, line)) Fail("no password on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Must(identity::SetPassword(*s, a->user, Secret(std::move(line))));
    Print(a->c.json_out, json::object{{"ok", true}}, "password saved (argon2id)");
  });
  for (const bool disable : {true, false}) {
    CLI::App* cmd = user->add_subcommand(disable ? "disable" : "enable",
                                         disable ? "Disable a user: every key of the user stops working at once"
                                                 : "Enable a disabled user again");
    cmd->add_option("--user", a->user, "user id or email")->required();
    AddCommon(cmd, a->c);
    cmd->callback([a, disable] {
      auto s = OpenDataStore(a->c.data_dir);
      SystemClock clock;
      Must(identity::SetDisabled(*s, clock, a->user, disable));
      Print(a->c.json_out, json::object{{"ok", true}, {"disabled", disable}}, disable ? "user disabled" : "user enabled");
    });
  }
}

}  // namespace

void AddIdentity(CLI::App* admin) {
  struct Args {
    Ctx c;
    std::string name, org, role, email, user, display_name;
    bool rotate = false;
    int64_t grace_s = 86400;
  };
  auto a = std::make_shared<Args>();
  CLI::App* user = admin->add_subcommand("user", "Users, their roles and their Hawk API keys")->require_subcommand(1);
  CLI::App* create = user->add_subcommand("create", "Create a user in an organization and issue its API key");
  create->add_option("--org", a->org, "organization id or name")->required();
  create->add_option("--role", a->role, "owner, user or reader")->required();
  create->add_option("--email", a->email, "the user's email (unique)")->required();
  create->add_option("--name", a->display_name, "display name");
  AddCommon(create, a->c);
  create->callback([a] {
    auto o = Open(a->c);
    PrintCreds(a->c, Must(o->svc->CreateUser(a->org, RoleOf(a->role), a->email, a->display_name)));
  });

  CLI::App* add = user->add_subcommand("add-to-org", "Add a user to another organization (or change its role)");
  add->add_option("--user", a->user, "user id or email")->required();
  add->add_option("--org", a->org, "organization id or name")->required();
  add->add_option("--role", a->role, "owner, user or reader")->required();
  AddCommon(add, a->c);
  add->callback([a] {
    auto o = Open(a->c);
    if (auto r = o->svc->AddToOrg(a->user, a->org, RoleOf(a->role)); !r) Fail(r.error().detail);
    std::printf("%s\n", a->c.json_out ? "{\"ok\":true}" : "membership saved");
    Exit(0);
  });

  AddUserAdmin(user);

  CLI::App* key = user->add_subcommand("key", "Show the user's API key, or --rotate it");
  key->add_option("--user", a->user, "user id or email")->required();
  key->add_option("--org", a->org, "organization id or name to print (default: the user's first)");
  key->add_flag("--rotate", a->rotate, "issue a new key; the previous one stays valid for --grace");
  key->add_option("--grace", a->grace_s, "seconds the previous key keeps working after --rotate")
      ->check(CLI::Range(int64_t{0}, int64_t{30} * 86400));
  AddCommon(key, a->c);
  key->callback([a] {
    auto o = Open(a->c);
    PrintCreds(a->c, Must(o->svc->Key(a->user, a->org, a->rotate, std::chrono::seconds(a->grace_s))));
  });
}

}  // namespace rampart::cli
