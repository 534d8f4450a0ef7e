#pragma once
// The one way to open a data directory's store, for `serve` and every `admin` command alike
// (implementations are chosen here: SQLite today).
#include <memory>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::store {

struct OpenOptions {
  std::string data_dir;
  // Make the directory (mode 0700) and the database (0600) when there is none; without it a
  // missing database is an error (a mistyped --data-dir must not create an empty one).
  bool create = false;
  // A database readable by group or others is refused unless this is set (serve's setting
  // `allow_insecure_permissions`; the admin commands set it, they only read what they are run on).
  bool allow_insecure_permissions = false;
};

// Opens (and migrates) DATA_DIR/rampart.db. An empty file is refused (it is a lost database, not a
// first start). Every error names the file and the cause.
Result<std::unique_ptr<Store>> Open(const OpenOptions& o);

}  // namespace rampart::store
