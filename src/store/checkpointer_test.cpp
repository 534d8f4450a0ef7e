// The WAL is checkpointed by the store's own thread, not by the commit that crosses the mark;
// and by the committing connection only when that thread has fallen far behind.
#include "store/sqlite/checkpointer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <unistd.h>

namespace rampart::store::sqlite {
namespace {

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rampart-ckpt-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    ASSERT_TRUE(writer_.Open(path_, 1000));
    ASSERT_TRUE(writer_.Exec("PRAGMA journal_mode = WAL; CREATE TABLE t (v BLOB);"));
    ASSERT_TRUE(writer_.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));  // the table's page in the file
    base_size_ = std::filesystem::file_size(path_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `n` commits of one 4 KB row each: a page or two of WAL apiece.
  void Commit(int n) {
    for (int i = 0; i < n; ++i) ASSERT_TRUE(writer_.Exec("INSERT INTO t VALUES (zeroblob(4000))"));
  }
  bool FileGrows() { return std::filesystem::file_size(path_) > base_size_ + 20 * 4096; }

  std::filesystem::path dir_;
  std::string path_;
  Db writer_;
  uintmax_t base_size_ = 0;
};

TEST_F(CheckpointerTest, PagesPastTheMarkReachTheFileFromTheStoresThread) {
  auto c = Checkpointer::Start(writer_, path_, 1000, {.start_pages = 10, .inline_pages = 1'000'000});
  ASSERT_TRUE(c);
  Commit(40);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!((*c)->checkpoints() > 0 && FileGrows()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT((*c)->checkpoints(), 0u);
  EXPECT_TRUE(FileGrows());
}

TEST_F(CheckpointerTest, TheCommitterCheckpointsItselfOnlyPastTheInlineMark) {
  auto c = Checkpointer::Start(writer_, path_, 1000, {.start_pages = 1'000'000, .inline_pages = 1'000'000});
  ASSERT_TRUE(c);
  Commit(40);
  EXPECT_FALSE(FileGrows());  // below both marks the pages stay in the WAL
  c->reset();
  auto inline_only = Checkpointer::Start(writer_, path_, 1000, {.start_pages = 1'000'000, .inline_pages = 20});
  ASSERT_TRUE(inline_only);
  Commit(40);
  EXPECT_TRUE(FileGrows());  // done inside the commits: nothing to wait for
  EXPECT_EQ((*inline_only)->checkpoints(), 0u);
}

}  // namespace
}  // namespace rampart::store::sqlite
