#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include "app/app.hpp"
#include "app/config.hpp"
#include "common.hpp"
#include "commands.hpp"

namespace rampart::cli {
namespace {

struct ServeArgs {
  std::string config_file;
  std::map<std::string, std::string> flags;  // setting key -> value, only those given
};

// Start-up failures are configuration problems: exit status 2.
[[noreturn]] void Fail(const std::string& why) { cli::Fail(why, 2); }

// First start with create_demo: organization "demo" with sample telemetry, a v4.0 API key and an
// owner's Hawk credentials, printed once.
void PrintDemo(const app::Config& cfg, uint16_t bound_port) {
  auto demo = app::EnsureDemoOrganization(cfg);
  if (!demo) Fail(demo.error().detail);
  if (!*demo) return;
  const std::string host = cfg.ListenEndpoint()->first;
  const std::string& token = (*demo)->v4_token.Reveal();
  const identity::ClientCredentials& hawk = (*demo)->hawk;
  std::printf(
      "First start: created organization 'demo' (credentials shown once, store them now).\n"
      "ThreatSTOP API key (lists and policies, read/write):\n"
      "  %s\n"
      "Try:\n  curl -s -H 'Authorization: Bearer %s' http://%s:%u/v4.0/user_ip_lists\n"
      "Threat Stack (Hawk) credentials of its owner:\n"
      "  TS_USER_ID=%s TS_ORGANIZATION_ID=%s TS_API_KEY=%s\n"
      "Try (curl cannot sign Hawk; docs/api-v2.md has profiles for this):\n"
      "  RAMPART_URL=http://%s:%u RAMPART_ORG_ID=%s RAMPART_USER_ID=%s RAMPART_HAWK_KEY=%s rampart call GET /v2/agents\n",
      token.c_str(), token.c_str(), host.c_str(), bound_port, hawk.user_id.c_str(), hawk.org_id.c_str(),
      hawk.api_key.Reveal().c_str(), host.c_str(), bound_port, hawk.org_id.c_str(), hawk.user_id.c_str(),
      hawk.api_key.Reveal().c_str());
}

void Serve(const ServeArgs& args, char** envp) {
  app::Config cfg;
  if (!args.config_file.empty()) {
    if (auto r = app::ApplyTomlFile(cfg, args.config_file); !r) Fail(r.error().detail);
  }
  if (auto r = app::ApplyEnvironment(cfg, envp); !r) Fail(r.error().detail);
  if (auto r = app::ApplySettings(cfg, args.flags, "command line"); !r) Fail(r.error().detail);
  if (auto r = app::Validate(cfg); !r) Fail(r.error().detail);
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
  spdlog::set_default_logger(spdlog::stderr_logger_mt("rampart"));

  // Everything that can fail is checked before anything is created or any credential shown:
  // the database opens, the master key opens its secrets, TLS files load, the ports bind.
  auto app = app::App::Create(cfg);
  if (!app) Fail(app.error().detail);
  auto port = (*app)->Start();
  if (!port) Fail(port.error().detail);
  if (cfg.create_demo) PrintDemo(cfg, *port);
  auto [host, configured_port] = *cfg.ListenEndpoint();
  if ((*app)->dns_port() != 0) {
    std::string dns_host = cfg.dns_listen.substr(0, cfg.dns_listen.rfind(':'));
    std::printf("rampart dns listening on %s:%u\n", dns_host.c_str(), (*app)->dns_port());
  }
  if ((*app)->ingest_port() != 0) {  // before the line below: scripts stop reading at that one
    std::string ingest_host = (*cfg.IngestListenEndpoint())->first;
    std::printf("rampart ingest-only listener on %s://%s:%u\n", cfg.tls_cert.empty() ? "http" : "https",
                ingest_host.c_str(), (*app)->ingest_port());
  }
  std::printf("rampart listening on %s://%s:%u\n", cfg.tls_cert.empty() ? "http" : "https", host.c_str(), *port);
  std::fflush(stdout);
  (*app)->Run();
  std::exit(0);
}

}  // namespace

void AddServe(CLI::App& root, char** envp) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = root.add_subcommand("serve", "Run the API server (settings: flags > RAMPART_* env > --config file)");
  cmd->add_option("--config", args->config_file, "TOML file with settings (same keys, snake_case)")
      ->check(CLI::ExistingFile);
  for (const auto& s : app::ListSettings()) {
    std::string flag = "--" + s.key, env = "RAMPART_" + s.key;
    for (char& c : flag) c = c == '_' ? '-' : c;
    for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    cmd->add_option_function<std::string>(
        flag, [args, key = s.key](const std::string& v) { args->flags[key] = v; }, s.help + " [" + env + "]");
  }
  cmd->callback([args, envp] { Serve(*args, envp); });
}

}  // namespace rampart::cli
