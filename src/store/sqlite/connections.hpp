#pragma once
// The connections of one SQLite database: one writer behind a mutex (SQLite has one writer at a
// time anyway) and several readers, so concurrent reads (one per blocking thread) do not queue
// and never wait for a commit (WAL readers see the last committed state).
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <utility>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace rampart::store::sqlite {

struct Connections {
  std::mutex write_mu;
  Db writer;

  // Opens the readers (not for ":memory:", where a second connection is another database).
  Result<void> OpenReaders(const std::string& path, int busy_timeout_ms, Result<void> (*configure)(Db&)) {
    for (auto& r : readers_) {
      r.db = std::make_unique<Db>();
      RAMPART_CHECK(r.db->Open(path, busy_timeout_ms));
      RAMPART_CHECK(configure(*r.db));
    }
    return {};
  }

  // A free reader if there is one, else the next in turn; the writer when there are no readers.
  std::pair<std::unique_lock<std::mutex>, Db&> Reader() {
    if (!readers_[0].db) return {std::unique_lock(write_mu), writer};
    const size_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (size_t i = 0; i < kReaders; ++i) {
      ReaderConn& r = readers_[(start + i) % kReaders];
      std::unique_lock lock(r.mu, std::try_to_lock);
      if (lock.owns_lock()) return {std::move(lock), *r.db};
    }
    ReaderConn& r = readers_[start % kReaders];
    return {std::unique_lock(r.mu), *r.db};
  }

 private:
  struct ReaderConn {
    std::mutex mu;
    std::unique_ptr<Db> db;
  };
  static constexpr size_t kReaders = kConcurrentReads;
  std::array<ReaderConn, kReaders> readers_;
  std::atomic<size_t> next_{0};
};

}  // namespace rampart::store::sqlite
