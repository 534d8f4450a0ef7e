#pragma once
#include "store/sqlite/sqlite_db.hpp"

namespace rampart::store::sqlite {

// Applies every migration newer than PRAGMA user_version, each in its own transaction.
// Fails if the database was written by a newer rampart (user_version above the latest known).
Result<void> Migrate(Db& db);
// Migrates only up to `target` (tests build databases of an older schema with it).
Result<void> MigrateTo(Db& db, int target);
int LatestSchemaVersion();

}  // namespace rampart::store::sqlite
