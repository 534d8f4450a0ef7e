#pragma once
// Checkpoints the WAL off the writer's path. SQLite's own autocheckpoint runs inside the commit
// that crosses 1,000 WAL pages: that commit (and every writer queued behind it) waits while
// pages are copied into the database file and it is fsynced — 15 % of ingest's CPU, on the
// request path (docs/benchmarks.md). Here the commit only wakes a thread of this store, which
// checkpoints on its own connection (PASSIVE: it never blocks writers or readers) while the
// writer goes on. If that thread falls far behind (a long reader pins the WAL), the committing
// connection checkpoints itself past `inline_pages`, as SQLite would have, so the WAL stays
// bounded. Durability is unchanged: a commit is durable once its WAL frames are synced.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_db.hpp"

namespace rampart::store::sqlite {

class Checkpointer {
 public:
  struct Options {
    int start_pages = 1000;    // a commit leaving this many WAL pages wakes the thread
    int inline_pages = 16000;  // past this the committing connection checkpoints itself
  };
  // Takes over `writer`'s WAL hook (and so its autocheckpoint) until destroyed; `writer` must
  // outlive it.
  static Result<std::unique_ptr<Checkpointer>> Start(Db& writer, const std::string& path, int busy_timeout_ms,
                                                     Options o);
  ~Checkpointer();  // stops the thread, gives the writer back SQLite's autocheckpoint
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  uint64_t checkpoints() const;  // background checkpoints run so far (tests)

 private:
  Checkpointer(Db& writer, Options o) : writer_(writer), o_(o) {}
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages);
  void Run();

  Db& writer_;
  const Options o_;
  Db own_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false, stop_ = false;
  uint64_t runs_ = 0;
};

}  // namespace rampart::store::sqlite
