#pragma once
// The store contract's fixture: every test of the suite runs against every backend in Backends()
// (SQLite file and SQLite in-memory now). A second backend joins by adding one line there; the
// tests use the interfaces of store/store.hpp only.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>

#include "store/store.hpp"

namespace rampart::store {

struct Backend {
  std::string name;
  bool persistent;  // survives closing and reopening
  std::function<Result<std::unique_ptr<Store>>(const std::filesystem::path& dir)> open;
};

inline std::vector<Backend> Backends() {
  return {
      {"sqlite_file", true, [](const auto& dir) { return OpenSqliteStore({(dir / "db.sqlite").string()}); }},
      {"sqlite_memory", false, [](const auto&) { return OpenSqliteStore({":memory:"}); }},
  };
}

inline constexpr const char* kOrg = "0123456789abcdef01234567";
inline constexpr const char* kOtherOrg = "0123456789abcdef01234568";

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rampart-store-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    store_ = Open();
    ASSERT_TRUE(store_->CreateOrg({kOrg, "Acme", 1}));
    ASSERT_TRUE(store_->CreateOrg({kOtherOrg, "Other", 2}));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Store> Open() {
    auto s = GetParam().open(dir_);
    EXPECT_TRUE(s) << (s ? "" : s.error().detail);
    return std::move(*s);
  }
  static ListChange Create(const std::string& id, const std::string& name, const std::string& org = kOrg) {
    ListChange c;
    c.op = ListChange::Op::kCreate;
    c.list = {id, org, "ip", name, "block", "", std::nullopt, 1, {}};
    c.upserts = {{"1.2.3.4", "ip", "c1", std::nullopt, 1}, {"5.6.7.0/24", "netmask", "", "2030-01-01", 2}};
    c.audit = {0, org, id, "ip", name, "key:tok", "create", 10, "{}"};
    return c;
  }
  static AuditRecord Aud(const std::string& id, const std::string& action = "update") {
    return {0, kOrg, id, "policy", "corp", "key:tok", action, 5, "{}"};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace rampart::store
