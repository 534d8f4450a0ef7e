#include "store/sqlite/checkpointer.hpp"

namespace rampart::store::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(Db& writer, const std::string& path, int busy_timeout_ms,
                                                          Options o) {
  std::unique_ptr<Checkpointer> c(new Checkpointer(writer, o));
  RAMPART_CHECK(c->own_.Open(path, busy_timeout_ms));
  RAMPART_CHECK(c->own_.Exec("PRAGMA synchronous = FULL"));  // the database file is synced after a checkpoint
  c->thread_ = std::thread([p = c.get()] { p->Run(); });
  sqlite3_wal_hook(writer.get(), &Checkpointer::OnCommit, c.get());
  return c;
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_autocheckpoint(writer_.get(), 1000);  // puts SQLite's own hook back
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

uint64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return runs_;
}

// Runs on the committing thread, after the commit, with the WAL's page count.
int Checkpointer::OnCommit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages >= c->o_.inline_pages) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= c->o_.start_pages) {
    {
      std::lock_guard lock(c->mu_);
      c->due_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return due_ || stop_; });
    if (stop_) return;
    due_ = false;
    lock.unlock();
    // A failure (busy, I/O) leaves the pages in the WAL: the next commit past the mark retries.
    sqlite3_wal_checkpoint_v2(own_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    ++runs_;
  }
}

}  // namespace rampart::store::sqlite
