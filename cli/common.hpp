#pragma once
// What every command shares: the one-line failure exit, unwrapping Results, and opening the
// data directory's store.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "store/open.hpp"
#include "store/store.hpp"

namespace rampart::cli {

// Prints "rampart: <why>" on stderr and exits: 1 for command failures, 2 for bad configuration.
[[noreturn]] inline void Fail(const std::string& why, int status = 1) {
  std::fprintf(stderr, "rampart: %s\n", why.c_str());
  std::exit(status);
}

template <class T>
T Must(Result<T> r) {
  if (!r) Fail(r.error().detail);
  return std::move(*r);
}

// Opens (and migrates) DATA_DIR/rampart.db. Only commands that make an organization or account
// `create` a missing one (directory 0700, database 0600): any other command on a mistyped
// --data-dir fails instead of leaving an empty database behind.
inline std::unique_ptr<store::Store> OpenDataStore(const std::string& data_dir, bool create = false) {
  return Must(store::Open({.data_dir = data_dir, .create = create, .allow_insecure_permissions = true}));
}

}  // namespace rampart::cli
