#pragma once
#include <CLI/CLI.hpp>

namespace rampart::cli {

// Each Add* registers a subcommand whose callback runs the command and exits the process with
// its status (0, or 1 with a one-line reason on stderr).
void AddServe(CLI::App& app, char** envp);
void AddAdmin(CLI::App& app);
// Registers `org` and `user` under `admin`.
void AddIdentity(CLI::App* admin);
void AddImport(CLI::App* admin);

}  // namespace rampart::cli
