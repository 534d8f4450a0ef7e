#pragma once
// RAII over sqlite3 handles: Db (connection), Stmt (prepared statement), Txn (rolls back unless
// committed). Errors come back as Result; nothing throws.
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"

namespace rampart::store::sqlite {

Error SqliteError(sqlite3* db, std::string_view what);

// A failed statement's error: a foreign key violation is kInUse (a delete of a row others name;
// an insert naming a missing row is the caller's to re-word), a unique or primary key violation
// kConflict, any other constraint kInvalid, everything else kUnavailable.

class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Result<void> Open(const std::string& path, int busy_timeout_ms);
  Result<void> Exec(const char* sql);
  sqlite3* get() const { return db_; }

  // Prepared statements are kept per connection, by SQL text, and reused: parsing and planning
  // a statement costs more than running most of ours. Take() hands one out (prepared now if none
  // is kept; null when it does not prepare) and Return() resets it and keeps it (at most
  // kMaxKept; SQL built at run time may vary without bound). Same thread rules as the connection.
  sqlite3_stmt* Take(const char* sql);
  void Return(const char* sql, sqlite3_stmt* stmt);

 private:
  static constexpr size_t kMaxKept = 256;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> kept_;
};

// A statement from the connection's cache (see Db::Take), given back reset when destroyed.
class Stmt {
 public:
  Stmt(Db& db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& Bind(int i, const std::optional<int64_t>& v);
  // Binds without copying: `v` must stay valid until the statement is handed back (or `i` is
  // bound again). For large values the caller holds anyway, such as a batch's event documents.
  Stmt& BindRef(int i, std::string_view v);
  // SQLITE_ROW -> true, SQLITE_DONE -> false, else error.
  Result<bool> Step();
  Result<void> Run();  // Step until done, for writes
  void Reset();

  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  int64_t Int(int col) const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  Db& db_;
  const char* sql_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Steps `s` to the end, appending read(s) for every row; room for `expected` rows (the query's
// LIMIT, say; at most 1024) is made up front.
template <class T, class Read>
Result<std::vector<T>> CollectRows(Stmt& s, Read read, int64_t expected = 0) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(std::clamp<int64_t>(expected, 0, 1024)));
  while (true) {
    auto row = s.Step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read(s));
  }
  s.Reset();
  return out;
}

// The first row of a query's rows, if any (lookups by key).
template <class T>
std::optional<T> FirstRow(std::vector<T> rows) {
  return rows.empty() ? std::optional<T>() : std::optional<T>(std::move(rows[0]));
}

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless Commit() succeeded.
class Txn {
 public:
  explicit Txn(Db& db);
  ~Txn();
  const Result<void>& begun() const { return begun_; }
  Result<void> Commit();

 private:
  Db& db_;
  Result<void> begun_;
  bool done_ = false;
};

}  // namespace rampart::store::sqlite
