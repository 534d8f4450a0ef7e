#pragma once
// What every command shares: the one-line failure exit, unwrapping Results, and opening the
// data directory's store.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <boost/json.hpp>

#include "base/result.hpp"
#include "store/open.hpp"
#include "store/store.hpp"

namespace rampart::cli {

// Ends the command with `status`. Thrown, not std::exit: what the command opened is destroyed on
// the way out, the store above all (its close checkpoints SQLite's WAL and removes it; an exit
// without it left an import's whole WAL for the next process to read through). main returns it.
[[noreturn]] inline void Exit(int status) { throw CLI::RuntimeError(status); }

// Prints "rampart: <why>" on stderr and exits: 1 for command failures, 2 for bad configuration.
[[noreturn]] inline void Fail(const std::string& why, int status = 1) {
  std::fprintf(stderr, "rampart: %s\n", why.c_str());
  Exit(status);
}

template <class T>
T Must(Result<T> r) {
  if (!r) Fail(r.error().detail);
  return std::move(*r);
}

inline void Must(Result<void> r) {
  if (!r) Fail(r.error().detail);
}

// Opens (and migrates) DATA_DIR/rampart.db. Only commands that make an organization or account
// `create` a missing one (directory 0700, database 0600): any other command on a mistyped
// --data-dir fails instead of leaving an empty database behind.
inline std::unique_ptr<store::Store> OpenDataStore(const std::string& data_dir, bool create = false) {
  return Must(store::Open({.data_dir = data_dir, .create = create, .allow_insecure_permissions = true}));
}

// What the plain admin commands take: where the data is, and whether to answer in JSON.
struct Common {
  std::string data_dir = "data";
  bool json_out = false;
};

inline void AddCommon(CLI::App* cmd, Common& c) {
  cmd->add_option("--data-dir", c.data_dir, "data directory (holds rampart.db)");
  cmd->add_flag("--json", c.json_out, "machine-readable output");
}

// Prints the answer (JSON with --json, else the text) and exits 0.
[[noreturn]] inline void Print(bool json_out, const boost::json::value& v, const std::string& text) {
  std::printf("%s\n", json_out ? boost::json::serialize(v).c_str() : text.c_str());
  Exit(0);
}

// An old spelling that still works for one release: says the new one on stderr.
inline void Renamed(const char* old_spelling, const char* new_spelling) {
  std::fprintf(stderr, "rampart: note: `rampart admin %s` is now `rampart admin %s`; the old spelling goes in the next release\n",
               old_spelling, new_spelling);
}

}  // namespace rampart::cli
