// A WAL left behind by a process that never closed the database is emptied when the store opens,
// and what it held is kept.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "store/open.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace rampart::store {
namespace {

TEST(LeftoverWal, IsCopiedIntoTheDatabaseAndEmptiedAtOpen) {
  const auto dir = std::filesystem::temp_directory_path() / ("rampart-wal-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(Open({.data_dir = dir.string(), .create = true}));  // creates, migrates, closes
  const std::string db = (dir / "rampart.db").string(), wal = db + "-wal";
  {
    // A writer that dies without checkpointing: no autocheckpoint, no checkpoint on close.
    sqlite::Db raw;
    ASSERT_TRUE(raw.Open(db, 1000));
    ASSERT_EQ(sqlite3_db_config(raw.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr), SQLITE_OK);
    ASSERT_TRUE(raw.Exec("PRAGMA wal_autocheckpoint = 0; CREATE TABLE leftover (v BLOB);"));
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(raw.Exec("INSERT INTO leftover VALUES (zeroblob(4000))"));
  }
  ASSERT_GT(std::filesystem::file_size(wal), 200u * 4000u);

  auto store = Open({.data_dir = dir.string()});
  ASSERT_TRUE(store) << store.error().detail;
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  sqlite::Db check;
  ASSERT_TRUE(check.Open(db, 1000));
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(check.get(), "SELECT count(*) FROM leftover", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 200);
  sqlite3_finalize(st);
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rampart::store
