// The master key, and what a first start makes for a newcomer (app.hpp).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "app/app.hpp"
#include "app/demo_data.hpp"
#include "identity/api_keys.hpp"
#include "identity/identity.hpp"
#include "store/open.hpp"
#include "telemetry/base_rule_set.hpp"
#include "telemetry/import.hpp"

namespace rampart::app {

Result<crypto::SecretBox> LoadMasterKey(const std::string& data_dir, const std::string& key_file, bool create) {
  if (const char* env = std::getenv("RAMPART_MASTER_KEY")) return crypto::SecretBox::FromBase64(env);
  return crypto::SecretBox::FromKeyFile(
      key_file.empty() ? (std::filesystem::path(data_dir) / "master.key").string() : key_file, create);
}

Result<std::optional<DemoCredentials>> EnsureDemoOrganization(const Config& cfg) {
  RAMPART_TRY(store, store::Open({.data_dir = cfg.data_dir, .create = true,
                                  .allow_insecure_permissions = cfg.allow_insecure_permissions}));
  RAMPART_TRY(existing, store->ListOrgs());
  if (!existing.empty()) return std::optional<DemoCredentials>();
  // The data first: a demo_data that cannot be read fails before anything is created (a retry then
  // starts over and still shows the credentials).
  std::string data(EmbeddedDemoData());
  if (!cfg.demo_data.empty()) {
    std::ifstream file(cfg.demo_data);
    if (!file) return Error::Invalid("demo_data " + cfg.demo_data + ": cannot be read");
    data.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  RAMPART_TRY(box, LoadMasterKey(cfg.data_dir));
  SystemClock clock;
  identity::IdentityService ids(*store, box, clock);
  RAMPART_TRY(org, ids.CreateOrg("demo"));
  RAMPART_CHECK(telemetry::AddBaseRuleSet(*store, org.id, UnixMillis(clock.Now())));
  RAMPART_TRY(creds, ids.CreateUser(org.id, identity::Role::kOwner, "demo@rampart.invalid", "Demo Owner"));
  identity::ApiKeyService keys(*store, clock, std::chrono::milliseconds(0));
  const auth::Permissions all{auth::Level::kWrite, auth::Level::kWrite};
  RAMPART_TRY(key, keys.Create(org.id, {.perms = all, .networks = {}, .description = "demo key (first start)",
                                        .expires = std::nullopt}));
  std::istringstream in{data};
  RAMPART_CHECK(telemetry::ImportJsonLines(in, org.id, *store, UnixMillis(clock.Now())));
  return std::optional<DemoCredentials>(DemoCredentials{std::move(key.token), std::move(creds)});
}

}  // namespace rampart::app
