// rampart: the command-line entry point. `serve` runs the server; `admin` manages accounts,
// API tokens and reads the audit trail directly in the data directory.
#include "commands.hpp"

int main(int argc, char** argv, char** envp) {
  CLI::App app{"rampart: self-hosted threat-defense server (ThreatSTOP v4.0 user lists API)"};
  app.set_version_flag("--version", rampart::cli::VersionText());
  app.require_subcommand(1);
  rampart::cli::AddServe(app, envp);
  rampart::cli::AddAdmin(app);
  rampart::cli::AddCall(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
