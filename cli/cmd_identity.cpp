// `rampart admin org …` and `rampart admin user …`: Threat Stack identity. Hawk keys are sealed
// under the master key (--master-key-file, default DATA_DIR/master.key, created 0600 if missing;
// or RAMPART_MASTER_KEY as base64).
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/app.hpp"
#include "common.hpp"
#include "commands.hpp"
#include "crypto/secretbox.hpp"
#include "identity/identity.hpp"

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
    std::printf("%s\n", json::serialize(json::object{{"api_key", k.api_key}, {"org_id", k.org_id},
                                                     {"user_id", k.user_id}}).c_str());
  } else {
    std::printf("API key:         %s\nOrganization id: %s\nUser id:         %s\n", k.api_key.c_str(),
                k.org_id.c_str(), k.user_id.c_str());
  }
  std::exit(0);
}

void AddCommon(CLI::App* cmd, Ctx& c) {
  cmd->add_option("--data-dir", c.data_dir, "data directory (holds rampart.db)");
  cmd->add_option("--master-key-file", c.master_key_file, "master key file (default DATA_DIR/master.key)");
  cmd->add_flag("--json", c.json_out, "machine-readable output");
}

}  // namespace

void AddIdentity(CLI::App* admin) {
  struct Args {
    Ctx c;
    std::string name, org, role, email, user;
    bool rotate = false;
    int64_t grace_s = 86400;
  };
  auto a = std::make_shared<Args>();
  CLI::App* org = admin->add_subcommand("org", "Threat Stack organizations")->require_subcommand(1);
  CLI::App* org_create = org->add_subcommand("create", "Create an organization");
  org_create->add_option("name", a->name, "organization name (unique)")->required();
  AddCommon(org_create, a->c);
  org_create->callback([a] {
    auto o = Open(a->c, /*create=*/true);
    auto rec = Must(o->svc->CreateOrg(a->name));
    std::printf("%s\n", a->c.json_out ? json::serialize(json::object{{"id", rec.id}, {"name", rec.name}}).c_str()
                                      : ("created organization " + rec.name + " (" + rec.id + ")").c_str());
    std::exit(0);
  });

  CLI::App* user = admin->add_subcommand("user", "Threat Stack users and their Hawk API keys")->require_subcommand(1);
  CLI::App* create = user->add_subcommand("create", "Create a user in an organization and issue its API key");
  create->add_option("--org", a->org, "organization id or name")->required();
  create->add_option("--role", a->role, "owner, user or reader")->required();
  create->add_option("--email", a->email, "the user's email (unique)")->required();
  AddCommon(create, a->c);
  create->callback([a] {
    auto o = Open(a->c);
    PrintCreds(a->c, Must(o->svc->CreateUser(a->org, RoleOf(a->role), a->email)));
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
    std::exit(0);
  });

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
