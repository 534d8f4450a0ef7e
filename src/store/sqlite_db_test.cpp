// The connection's statement cache: reuse, nesting, and that a statement handed back carries no
// state (an unfinished read, old bindings) into its next use.
#include "store/sqlite/sqlite_db.hpp"

#include <gtest/gtest.h>

namespace rampart::store::sqlite {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.Open(":memory:", 1000));
    ASSERT_TRUE(db_.Exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);"));
  }
  Db db_;
};

TEST_F(StatementCacheTest, AStatementIsPreparedOnceAndReused) {
  const char* sql = "SELECT count(*) FROM t";
  sqlite3_stmt* first = nullptr;
  {
    Stmt s(db_, sql);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(*s.Step());
    EXPECT_EQ(s.Int(0), 3);
  }
  first = db_.Take(sql);
  ASSERT_NE(first, nullptr);
  sqlite3_stmt* again = db_.Take(sql);  // the kept one is out: a second is prepared
  EXPECT_NE(again, first);
  db_.Return(sql, again);
  db_.Return(sql, first);  // one is kept per text; the other is finalized
  sqlite3_stmt* kept = db_.Take(sql);
  EXPECT_EQ(kept, again);
  db_.Return(sql, kept);  // handed back, so the connection finalizes it when it closes
}

TEST_F(StatementCacheTest, NestedUsesOfTheSameSqlDoNotShareAStatement) {
  const char* sql = "SELECT v FROM t ORDER BY v";
  Stmt outer(db_, sql);
  ASSERT_TRUE(*outer.Step());
  {
    Stmt inner(db_, sql);
    ASSERT_TRUE(*inner.Step());
    ASSERT_TRUE(*inner.Step());
    EXPECT_EQ(inner.Int(0), 2);
  }
  EXPECT_EQ(outer.Int(0), 1);  // the inner walk did not move the outer one
  ASSERT_TRUE(*outer.Step());
  EXPECT_EQ(outer.Int(0), 2);
}

TEST_F(StatementCacheTest, AStatementStoppedMidReadComesBackResetWithoutBindings) {
  const char* sql = "SELECT v, ?1 FROM t ORDER BY v";
  {
    Stmt s(db_, sql);
    s.Bind(1, int64_t{42});
    ASSERT_TRUE(*s.Step());  // one row of three, then dropped
    EXPECT_EQ(s.Int(1), 42);
  }
  sqlite3_stmt* kept = db_.Take(sql);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(sqlite3_stmt_busy(kept), 0);  // no read left open
  db_.Return(sql, kept);
  Stmt s(db_, sql);
  ASSERT_TRUE(*s.Step());
  EXPECT_EQ(s.Int(0), 1);  // from the first row again
  EXPECT_EQ(s.OptInt(1), std::nullopt);  // the old binding is gone
}

TEST_F(StatementCacheTest, SqlThatDoesNotPrepareIsAnErrorNotACrash) {
  Stmt s(db_, "SELECT * FROM no_such_table");
  EXPECT_FALSE(s.ok());
  auto r = s.Step();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("no such table"), std::string::npos);
}

TEST_F(StatementCacheTest, TransactionsCommitAndRollBackThroughKeptStatements) {
  for (int i = 0; i < 3; ++i) {
    Txn txn(db_);
    ASSERT_TRUE(txn.begun());
    ASSERT_TRUE(Stmt(db_, "INSERT INTO t VALUES (10)").Run());
    if (i == 1) continue;  // rolled back by the destructor
    ASSERT_TRUE(txn.Commit());
  }
  Stmt s(db_, "SELECT count(*) FROM t WHERE v = 10");
  ASSERT_TRUE(*s.Step());
  EXPECT_EQ(s.Int(0), 2);
}

}  // namespace
}  // namespace rampart::store::sqlite
