// rampart: the command-line entry point. `serve` runs the server; `admin` works on the data
// directory directly (organizations, users, keys, audit, imports, agents, feeds); `call` makes
// Hawk-signed v2 requests to a running server; `settings` prints every setting and its default.
#include "commands.hpp"

int main(int argc, char** argv, char** envp) {
  CLI::App app{"rampart: self-hosted threat-defense server (the ThreatSTOP v4.0 and Threat Stack v2 APIs, RPZ and firewall enforcement, agents)"};
  app.set_version_flag("--version", rampart::cli::VersionText());
  app.require_subcommand(1);
  rampart::cli::AddServe(app, envp);
  rampart::cli::AddAdmin(app);
  rampart::cli::AddCall(app);
  rampart::cli::AddSettings(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
