// The store contract: one suite, run against every backend (SQLite file and SQLite in-memory now;
// PostgreSQL joins by adding a factory to kBackends).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <random>

#include "store/store.hpp"

namespace rampart::store {
namespace {

namespace fs = std::filesystem;

struct Backend {
  std::string name;
  bool persistent;
};

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rampart-store-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    store_ = Open();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::unique_ptr<Store> Open() {
    std::string path = GetParam().persistent ? (dir_ / "db.sqlite").string() : ":memory:";
    auto s = OpenSqliteStore({path});
    EXPECT_TRUE(s) << (s ? "" : s.error().detail);
    return std::move(*s);
  }
  ListChange Create(const std::string& id, const std::string& name) {
    ListChange c;
    c.op = ListChange::Op::kCreate;
    c.list = {id, "acct1", "ip", name, "block", "", std::nullopt, 1, {}};
    c.upserts = {{"1.2.3.4", "ip", "c1", std::nullopt, 1}, {"5.6.7.0/24", "netmask", "", "2030-01-01", 2}};
    c.audit = {0, "acct1", id, "ip", name, "tok", "create", 10, "{}"};
    return c;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, AccountsAndDuplicateNames) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "Demo", 1}));
  auto dup = store_->CreateAccount({"acct2", "demo", 2});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().ext, 19000);
  auto found = store_->FindAccount("Demo");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, "acct1");
  EXPECT_EQ(store_->ListAccounts()->size(), 1u);
}

TEST_P(StoreContract, TokensRevokeOnce) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->CreateToken({"t1", "acct1", "ab", "userlists:read", "d", 5, 99, std::nullopt}));
  auto t = store_->FindToken("t1");
  ASSERT_TRUE(t && *t);
  EXPECT_EQ((*t)->expires_at_ms, 99);
  EXPECT_TRUE(*store_->RevokeToken("t1", 7));
  EXPECT_FALSE(*store_->RevokeToken("t1", 8));
  EXPECT_EQ((*store_->FindToken("t1"))->revoked_at_ms, 7);
  EXPECT_FALSE(*store_->FindToken("nope"));
}

TEST_P(StoreContract, ListLifecycle) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ListChange upd;
  upd.op = ListChange::Op::kUpdate;
  upd.list = {"L1", "acct1", "ip", "uno", "allow", "d", std::nullopt, 1, {}};
  upd.removals = {"1.2.3.4"};
  upd.upserts = {{"5.6.7.0/24", "netmask", "changed", std::nullopt, 2}, {"9.9.9.9", "ip", "", std::nullopt, 3}};
  upd.audit = {0, "acct1", "L1", "ip", "uno", "tok", "update", 11, "{}"};
  ASSERT_TRUE(store_->Apply(upd));
  auto lists = store_->LoadLists("acct1");
  ASSERT_TRUE(lists);
  ASSERT_EQ(lists->size(), 1u);
  const ListRecord& l = (*lists)[0];
  EXPECT_EQ(l.name, "uno");
  EXPECT_EQ(l.list_type, "allow");
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[0].value, "5.6.7.0/24");
  EXPECT_EQ(l.entries[0].comments, "changed");
  EXPECT_EQ(l.entries[1].value, "9.9.9.9");
  auto audit = store_->ReadAudit("acct1", "L1", 0, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "update");  // newest first
  EXPECT_EQ(*store_->CountAudit("acct1", ""), 2);
  EXPECT_EQ(store_->ReadAudit("acct1", "", 1, 10)->size(), 1u);
}

TEST_P(StoreContract, DuplicateListNameIsRejectedPerKindIgnoringCase) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  auto dup = store_->Apply(Create("L2", "ONE"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().ext, 19000);
  ListChange other = Create("L3", "one");
  other.list.kind = "domain";
  other.upserts = {};
  EXPECT_TRUE(store_->Apply(other));
}

TEST_P(StoreContract, FailedChangeLeavesNothingBehind) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ListChange upd = Create("missing", "x");
  upd.op = ListChange::Op::kUpdate;  // the list does not exist: the whole change must roll back
  EXPECT_FALSE(store_->Apply(upd));
  EXPECT_EQ(*store_->CountAudit("acct1", ""), 0);
  EXPECT_TRUE(store_->LoadLists("acct1")->empty());
}

TEST_P(StoreContract, ReplaceAndDeleteCascade) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ListChange put = Create("L1", "one");
  put.op = ListChange::Op::kUpdate;
  put.replace_entries = true;
  put.upserts = {{"8.8.8.8", "ip", "", std::nullopt, 3}};
  ASSERT_TRUE(store_->Apply(put));
  EXPECT_EQ((*store_->LoadLists("acct1"))[0].entries.size(), 1u);
  ListChange del = Create("L1", "one");
  del.op = ListChange::Op::kDelete;
  del.upserts = {};
  ASSERT_TRUE(store_->Apply(del));
  EXPECT_TRUE(store_->LoadLists("acct1")->empty());
  EXPECT_EQ(*store_->CountAudit("acct1", "L1"), 3);
}

TEST_P(StoreContract, SurvivesReopen) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  store_.reset();
  store_ = Open();
  auto lists = store_->LoadLists("acct1");
  if (!GetParam().persistent) {  // documented: ":memory:" is private to the connection
    EXPECT_TRUE(lists->empty());
    return;
  }
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ((*lists)[0].entries.size(), 2u);
}

TEST_P(StoreContract, IdentityOrgsUsersMembershipsKeys) {
  ASSERT_TRUE(store_->CreateOrg({"0123456789abcdef01234567", "Acme", 1}));
  EXPECT_EQ(store_->CreateOrg({"0123456789abcdef01234568", "ACME", 1}).error().ext, 19000);
  ASSERT_TRUE(store_->CreateUser({"aaaaaaaaaaaaaaaaaaaaaaaa", "sec@acme.example", 1}));
  EXPECT_FALSE(store_->CreateUser({"bbbbbbbbbbbbbbbbbbbbbbbb", "SEC@acme.example", 1}));
  EXPECT_EQ((*store_->FindUser("sec@acme.example"))->id, "aaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ((*store_->FindOrg("acme"))->id, "0123456789abcdef01234567");
  ASSERT_TRUE(store_->PutMembership({"aaaaaaaaaaaaaaaaaaaaaaaa", "0123456789abcdef01234567", "reader"}));
  ASSERT_TRUE(store_->PutMembership({"aaaaaaaaaaaaaaaaaaaaaaaa", "0123456789abcdef01234567", "owner"}));
  auto ms = store_->MembershipsOfUser("aaaaaaaaaaaaaaaaaaaaaaaa");
  ASSERT_EQ(ms->size(), 1u);
  EXPECT_EQ((*ms)[0].role, "owner");
  EXPECT_FALSE(store_->PutMembership({"aaaaaaaaaaaaaaaaaaaaaaaa", "nosuchorg", "owner"}));  // foreign key
  ASSERT_TRUE(store_->AddHawkKey({0, "aaaaaaaaaaaaaaaaaaaaaaaa", "sealed-1", 10, std::nullopt}, std::nullopt));
  // Rotation: the old key keeps working until the grace period ends.
  ASSERT_TRUE(store_->AddHawkKey({0, "aaaaaaaaaaaaaaaaaaaaaaaa", "sealed-2", 20, std::nullopt}, int64_t{100}));
  auto keys = store_->ValidHawkKeys("aaaaaaaaaaaaaaaaaaaaaaaa", 50);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].sealed_key, "sealed-2");
  keys = store_->ValidHawkKeys("aaaaaaaaaaaaaaaaaaaaaaaa", 100);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].sealed_key, "sealed-2");
}

AuditRecord Aud(const std::string& id, const std::string& action = "update") {
  return {0, "acct1", id, "policy", "corp", "tok", action, 5, "{}"};
}

TEST_P(StoreContract, PolicyObjectsAndZoneVersions) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->PutPolicyObject({"acct1", "policy", "P1", "corp", 1, "{}"}, Aud("P1")));
  ASSERT_TRUE(store_->PutPolicyObject({"acct1", "policy", "P2", "lab", 2, "{}"}, Aud("P2")));
  EXPECT_EQ(store_->PutPolicyObject({"acct1", "policy", "P3", "corp", 3, "{}"}, Aud("P3")).error().ext, 19000);
  ASSERT_TRUE(store_->PutPolicyObject({"acct1", "policy", "P1", "corp2", 1, R"({"v":2})"}, Aud("P1")));  // by id
  auto all = store_->ListPolicyObjects("", "policy");
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "corp2");
  EXPECT_EQ((*all)[0].doc, R"({"v":2})");
  EXPECT_TRUE(store_->ListPolicyObjects("acct1", "device")->empty());
  EXPECT_EQ(store_->DeletePolicyObject("acct1", "policy", "nope", Aud("nope", "delete")).error().ext, 10300);
  ASSERT_TRUE(store_->DeletePolicyObject("acct1", "policy", "P2", Aud("P2", "delete")));
  EXPECT_EQ(store_->ListPolicyObjects("acct1", "policy")->size(), 1u);
  // Every change left its audit record; a refused one left none.
  EXPECT_EQ(*store_->CountAudit("acct1", "P1"), 2);
  EXPECT_EQ(*store_->CountAudit("acct1", "P2"), 2);  // put, delete
  EXPECT_EQ(*store_->CountAudit("acct1", "P3"), 0);
  EXPECT_EQ(*store_->CountAudit("acct1", "nope"), 0);
  // Versions: appended in order, trimmed to the newest `keep`.
  for (uint32_t s = 10; s < 15; ++s) {
    std::optional<uint32_t> from = s == 10 ? std::nullopt : std::optional<uint32_t>(s - 1);
    ASSERT_TRUE(store_->AppendZoneVersion({"z.rpz", s, from, "+a .", "h" + std::to_string(s), s}, 3));
  }
  auto v = store_->ZoneVersions("z.rpz");
  ASSERT_EQ(v->size(), 3u);
  EXPECT_EQ((*v)[0].serial, 12u);
  EXPECT_EQ((*v)[2].serial, 14u);
  EXPECT_EQ((*v)[2].from_serial, 13u);
  EXPECT_EQ((*v)[2].content_hash, "h14");
  EXPECT_TRUE(store_->ZoneVersions("other")->empty());
}

TEST_P(StoreContract, PolicyListReferencesAreKeptAtomically) {
  ASSERT_TRUE(store_->CreateAccount({"acct1", "a", 1}));
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ASSERT_TRUE(store_->Apply(Create("L2", "two")));
  // A policy naming a list that does not exist is refused whole.
  auto bad = store_->PutPolicyObject({"acct1", "policy", "P1", "corp", 1, "{}", {"L1", "gone"}}, Aud("P1"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().ext, 11400);
  EXPECT_TRUE(store_->ListPolicyObjects("acct1", "policy")->empty());
  ASSERT_TRUE(store_->PutPolicyObject({"acct1", "policy", "P1", "corp", 1, "{}", {"L1", "L2"}}, Aud("P1")));
  // A list a policy names cannot be deleted; the list and its entries stay.
  ListChange del = Create("L1", "one");
  del.op = ListChange::Op::kDelete;
  del.upserts.clear();
  auto refused = store_->Apply(del);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().ext, 19060);
  EXPECT_EQ(store_->LoadLists("acct1")->size(), 2u);
  // Re-putting the policy without L1 releases it; deleting the policy releases L2.
  ASSERT_TRUE(store_->PutPolicyObject({"acct1", "policy", "P1", "corp", 1, "{}", {"L2"}}, Aud("P1")));
  auto released = store_->Apply(del);
  ASSERT_TRUE(released) << released.error().detail;
  del.list.id = del.audit.list_id = "L2";
  EXPECT_EQ(store_->Apply(del).error().ext, 19060);
  ASSERT_TRUE(store_->DeletePolicyObject("acct1", "policy", "P1", Aud("P1", "delete")));
  ASSERT_TRUE(store_->Apply(del));
  EXPECT_TRUE(store_->LoadLists("acct1")->empty());
}

// A V6 database (policies, no reference table) gains its references from the policy documents.
TEST(StoreMigration, V7BackfillsPolicyListReferences) {
  fs::path dir = fs::temp_directory_path() / ("rampart_v7_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "db.sqlite").string();
  {
    auto st = OpenSqliteStore({path});
    ASSERT_TRUE(st);
    ASSERT_TRUE((*st)->CreateAccount({"acct1", "a", 1}));
    ListChange c;
    c.op = ListChange::Op::kCreate;
    c.list = {"L1", "acct1", "ip", "one", "block", "", std::nullopt, 1, {}};
    c.audit = {0, "acct1", "L1", "ip", "one", "tok", "create", 10, "{}"};
    ASSERT_TRUE((*st)->Apply(c));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* to_v6 =
      "DROP TABLE policy_list_refs; DROP TABLE zone_grants; DROP INDEX accounts_zone_suffix;"
      "ALTER TABLE accounts DROP COLUMN zone_suffix; PRAGMA user_version = 6;"
      "INSERT INTO policy_objects VALUES ('acct1', 'policy', 'P1', 'corp', 1,"
      " '{\"type\":\"dns\",\"zone_name\":\"z\",\"lists\":[{\"list_id\":\"L1\"},{\"list_id\":\"gone\"}]}')";
  ASSERT_EQ(sqlite3_exec(db, to_v6, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto st = OpenSqliteStore({path});
  ASSERT_TRUE(st) << st.error().detail;
  // Migrated through V8: SQLite's own check says ok (V7's shape made 3.40 report a NULL); V9 gave
  // the existing account its zone label.
  EXPECT_EQ(*(*st)->CheckIntegrity(), std::vector<std::string>{"ok"});
  EXPECT_EQ((*(*st)->FindAccount("acct1"))->zone_suffix.size(), 8u);
  ListChange del;
  del.op = ListChange::Op::kDelete;
  del.list = {"L1", "acct1", "ip", "one", "block", "", std::nullopt, 1, {}};
  del.audit = {0, "acct1", "L1", "ip", "one", "tok", "delete", 11, "{}"};
  EXPECT_EQ((*st)->Apply(del).error().ext, 19060);  // the backfilled reference holds
  ASSERT_TRUE((*st)->DeletePolicyObject("acct1", "policy", "P1", Aud("P1", "delete")));
  EXPECT_TRUE((*st)->Apply(del));
  st->reset();
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract,
                         ::testing::Values(Backend{"sqlite_file", true}, Backend{"sqlite_memory", false}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rampart::store
