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
  if (db_) sqlite3_close_v2(db_);
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

Stmt::Stmt(Db& db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    stmt_ = nullptr;
  }
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
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

Txn::Txn(Db& db) : db_(db), begun_(db.Exec("BEGIN IMMEDIATE")) {}

Txn::~Txn() {
  if (begun_ && !done_) db_.Exec("ROLLBACK");
}

Result<void> Txn::Commit() {
  if (!begun_) return begun_.error();
  auto r = db_.Exec("COMMIT");
  if (r) done_ = true;
  return r;
}

}  // namespace rampart::store::sqlite
