#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace rampart::cli {

// "rampart <version> (commit <git commit>, <build type>)".
std::string VersionText();

// Each Add* registers a subcommand whose callback runs the command and exits the process with
// its status (0, or 1 with a one-line reason on stderr).
void AddServe(CLI::App& app, char** envp);
void AddAdmin(CLI::App& app);
void AddCall(CLI::App& app);
void AddSettings(CLI::App& app);
// Register their commands under `admin`: `org` (and `account`), `key` (and `token`), `user`.
void AddOrganizations(CLI::App* admin);
void AddApiKeys(CLI::App* admin);
void AddIdentity(CLI::App* admin);
void AddImport(CLI::App* admin);
void AddAgents(CLI::App* admin);
void AddVulnFeed(CLI::App* admin);

}  // namespace rampart::cli
