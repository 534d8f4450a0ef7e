#include "store/sqlite/sqlite_db.hpp"

namespace rampart::store::sqlite {

Error SqliteError(sqlite3* db, std::string_view what) {
  std::string msg(what);
  if (db) {
    msg += ": ";
    msg += sqlite3_errmsg(db);
  }
  return Error::Unavailable(std::move(msg));
}

Db::~Db() {
  for (auto& [sql, stmt] : kept_) sqlite3_finalize(stmt);
  if (db_) sqlite3_close_v2(db_);
}

sqlite3_stmt* Db::Take(const char* sql) {
  if (auto it = kept_.find(std::string_view(sql)); it != kept_.end()) {
    sqlite3_stmt* stmt = it->second;
    kept_.erase(it);  // a nested use of the same SQL prepares its own
    return stmt;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return nullptr;
  }
  return stmt;
}

void Db::Return(const char* sql, sqlite3_stmt* stmt) {
  if (!stmt) return;
  sqlite3_reset(stmt);  // ends its read, if it was stopped before the last row
  sqlite3_clear_bindings(stmt);
  if (kept_.size() >= kMaxKept || !kept_.emplace(sql, stmt).second) sqlite3_finalize(stmt);
}

Result<void> Db::Open(const std::string& path, int busy_timeout_ms) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    return SqliteError(db_, "open " + path);
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  sqlite3_extended_result_codes(db_, 1);
  return {};
}

Result<void> Db::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "exec failed";
    sqlite3_free(err);
    return Error::Unavailable(msg);
  }
  return {};
}

Stmt::Stmt(Db& db, const char* sql) : db_(db), sql_(sql), stmt_(db.Take(sql)) {}

Stmt::~Stmt() { db_.Return(sql_, stmt_); }

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindRef(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<std::string>& v) {
  if (v) return Bind(i, std::string_view(*v));
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<int64_t>& v) {
  if (v) return Bind(i, *v);
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  if (!stmt_) return SqliteError(db_.get(), "prepare");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = SqliteError(db_.get(), "step");
  const int ext = sqlite3_extended_errcode(db_.get());
  if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
    e = Error::InUse("foreign key: " + e.detail);
  } else if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    e = Error::Conflict("constraint: " + e.detail);
  } else if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    e = Error::Invalid("constraint: " + e.detail);
  }
  return e;
}

Result<void> Stmt::Run() {
  while (true) {
    auto r = Step();
    if (!r) {
      Reset();
      return r.error();
    }
    if (!*r) break;
  }
  Reset();
  return {};
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Stmt::Text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}
std::optional<std::string> Stmt::OptText(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return Text(col);
}
int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::optional<int64_t> Stmt::OptInt(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return Int(col);
}

namespace {
// BEGIN, COMMIT and ROLLBACK through the statement cache (sqlite3_exec parses them every time).
Result<void> RunCached(Db& db, const char* sql) {
  Stmt s(db, sql);
  auto r = s.Run();
  if (!r) return Error::Unavailable(r.error().detail);  // a failed BEGIN/COMMIT is not the caller's fault
  return r;
}
}  // namespace

Txn::Txn(Db& db) : db_(db), begun_(RunCached(db, "BEGIN IMMEDIATE")) {}

Txn::~Txn() {
  if (begun_ && !done_) RunCached(db_, "ROLLBACK");
}

Result<void> Txn::Commit() {
  if (!begun_) return begun_.error();
  auto r = RunCached(db_, "COMMIT");
  if (r) done_ = true;
  return r;
}

}  // namespace rampart::store::sqlite
