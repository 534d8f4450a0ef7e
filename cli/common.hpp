#pragma once
// What every command shares: the one-line failure exit, unwrapping Results, and opening the
// data directory's store.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/result.hpp"
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

// Creates the data directory if needed and opens (and migrates) DATA_DIR/rampart.db.
inline std::unique_ptr<store::Store> OpenDataStore(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  return Must(store::OpenSqliteStore({(std::filesystem::path(data_dir) / "rampart.db").string()}));
}

}  // namespace rampart::cli
