#pragma once
#include "store/sqlite/sqlite_db.hpp"

namespace rampart::store::sqlite {

// Applies every migration newer than PRAGMA user_version, each in its own transaction.
// Fails if the database was written by a newer rampart (user_version above the latest known).
Result<void> Migrate(Db& db);
int LatestSchemaVersion();

}  // namespace rampart::store::sqlite
