#include "userlists/service.hpp"

#include <gtest/gtest.h>

#include "base/error_testing.hpp"
#include "store/forwarding_list_store_testing.hpp"

#include <boost/json.hpp>

#include "userlists/check_ioc.hpp"

namespace rampart::userlists {
namespace {

using namespace std::chrono_literals;

// Wraps a real store and fails Apply on demand: the write must then change nothing.
class FailingListStore final : public testing::ForwardingListStore {
 public:
  using ForwardingListStore::ForwardingListStore;
  bool fail_next_apply = false;
  Result<void> ApplyAll(std::span<const store::ListChange> c) override {
    if (fail_next_apply) {
      fail_next_apply = false;
      return Error::Unavailable("injected failure");
    }
    return ForwardingListStore::ApplyAll(c);
  }
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenSqliteStore({":memory:"});
    ASSERT_TRUE(s);
    db_ = std::move(*s);
    ASSERT_TRUE(db_->CreateOrg({"acct", "demo", 0}));
    ASSERT_TRUE(db_->CreateOrg({"other", "other", 0}));
    failing_ = std::make_unique<FailingListStore>(*db_);
    svc_ = std::make_unique<UserListService>(*failing_, clock_, ServiceOptions{});
  }
  ListInput Body(const char* json, BodyKind w, ListKind k = ListKind::kIp) {
    auto r = ParseListBody(boost::json::parse(json), k, w, svc_->CurrentParseOptions());
    EXPECT_TRUE(r) << (r ? "" : r.error().detail);
    return r ? *r : ListInput{};
  }
  ListPtr MakeList(const char* json, ListKind k = ListKind::kIp) {
    auto r = svc_->Create(actor_, k, Body(json, BodyKind::kCreate, k));
    EXPECT_TRUE(r) << (r ? "" : r.error().detail);
    return r ? *r : nullptr;
  }

  FakeClock clock_{SysTime(std::chrono::seconds(1795305600))};  // 2026-11-22T00:00:00Z
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<FailingListStore> failing_;
  std::unique_ptr<UserListService> svc_;
  Actor actor_{"acct", "tok1"};
};

TEST_F(ServiceTest, CreatePatchCountsAndPersists) {
  ListPtr l = MakeList(R"({"list_name":"bad","addresses":[{"value":"1.2.3.4"},{"value":"5.6.7.0/24"}]})");
  ASSERT_TRUE(l);
  Counts c = CountActive(*l, clock_.Now());
  EXPECT_EQ(c.records, 2u);
  EXPECT_EQ(static_cast<uint64_t>(c.addresses), 257u);
  auto p = svc_->Patch(actor_, ListKind::kIp, l->id,
                       Body(R"({"addresses":[{"value":"1.2.3.4","action":"remove"},{"value":"9.9.9.9","action":"add"},
                               {"value":"5.6.7.8/24","comments":"updated"}]})",
                            BodyKind::kPatch));
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_EQ((*p)->entries.size(), 2u);
  EXPECT_EQ((*p)->entries[0].comments, "updated");
  // A fresh service over the same store sees the same state.
  UserListService again(*db_, clock_, ServiceOptions{});
  auto loaded = again.Load("acct");
  ASSERT_TRUE(loaded);
  ASSERT_EQ((*loaded)->lists.size(), 1u);
  EXPECT_EQ((*loaded)->lists[0]->entries.size(), 2u);
  EXPECT_EQ((*loaded)->lists[0]->entries[1].parsed.value, "9.9.9.9");
}

TEST_F(ServiceTest, DuplicateNamesAndOtherAccounts) {
  ListPtr l = MakeList(R"({"list_name":"dup"})");
  auto dup = svc_->Create(actor_, ListKind::kIp, Body(R"({"list_name":"DUP"})", BodyKind::kCreate));
  ASSERT_FALSE(dup);
  EXPECT_EQ(testing::Of(dup), testing::kConflict);
  EXPECT_TRUE(MakeList(R"({"list_name":"dup"})", ListKind::kDomain));  // per list kind
  Actor stranger{"other", "tok2"};
  auto foreign = svc_->Patch(stranger, ListKind::kIp, l->id, Body(R"({"description":"x"})", BodyKind::kPatch));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(testing::Of(foreign), testing::kNotFound);
  EXPECT_FALSE(svc_->Delete(stranger, ListKind::kIp, l->id));
  EXPECT_FALSE(svc_->Patch(actor_, ListKind::kDomain, l->id, ListInput{}));  // wrong kind = not found
}

TEST_F(ServiceTest, UpdateOfAbsentEntryRejectsWholeRequest) {
  ListPtr l = MakeList(R"({"list_name":"a","addresses":[{"value":"1.2.3.4"}]})");
  auto r = svc_->Patch(actor_, ListKind::kIp, l->id,
                       Body(R"({"addresses":[{"value":"8.8.8.8","action":"add"},{"value":"7.7.7.7","comments":"x"}]})",
                            BodyKind::kPatch));
  ASSERT_FALSE(r);
  EXPECT_EQ(testing::Of(r), testing::kBadParameter);
  EXPECT_EQ((*svc_->Load("acct"))->lists[0]->entries.size(), 1u);
  EXPECT_EQ(*db_->CountAudit("acct", l->id), 1);
}

TEST_F(ServiceTest, StoreFailurePublishesNothing) {
  ListPtr l = MakeList(R"({"list_name":"a","addresses":[{"value":"1.2.3.4"}]})");
  failing_->fail_next_apply = true;
  auto r = svc_->Patch(actor_, ListKind::kIp, l->id, Body(R"({"addresses":[{"value":"8.8.8.8","action":"add"}]})",
                                                          BodyKind::kPatch));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnavailable);
  auto snap = svc_->Snapshot("acct");
  EXPECT_EQ(snap->lists[0]->entries.size(), 1u);
  EXPECT_EQ(snap->lists[0].get(), l.get());
}

TEST_F(ServiceTest, RecordLimit) {
  ListPtr l = MakeList(R"({"list_name":"big"})");
  std::string body = R"({"addresses":[)";
  for (int i = 0; i < 32001; ++i) {
    body += (i ? "," : "");
    body += "{\"value\":\"44." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) + "." +
            std::to_string(i % 256) + "\",\"action\":\"add\"}";
  }
  body += "]}";
  auto r = svc_->Patch(actor_, ListKind::kIp, l->id, Body(body.c_str(), BodyKind::kPatch));
  ASSERT_FALSE(r);
  EXPECT_EQ(testing::Of(r), testing::kTooManyEntries);
  EXPECT_TRUE((*svc_->Load("acct"))->lists[0]->entries.empty());
}

TEST_F(ServiceTest, ReplaceKeepsOmittedSettings) {
  ListPtr l = MakeList(R"({"list_name":"a","description":"keep me","list_type":"allow",
                          "addresses":[{"value":"1.2.3.4"},{"value":"2.2.2.2"}]})");
  auto r = svc_->Replace(actor_, ListKind::kIp, l->id, Body(R"({"addresses":[{"value":"3.3.3.3"}]})", BodyKind::kPut));
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->description, "keep me");
  EXPECT_EQ((*r)->list_type, "allow");
  ASSERT_EQ((*r)->entries.size(), 1u);
  EXPECT_EQ((*r)->entries[0].parsed.value, "3.3.3.3");
}

TEST_F(ServiceTest, ExpiryIsInclusiveThenSweptAndAudited) {
  ListPtr l = MakeList(R"({"list_name":"exp","addresses":[{"value":"1.2.3.4","expires":"2026-11-23"},
                          {"value":"5.5.5.5"}]})");
  clock_.Advance(47h + 59min);  // 2026-11-23T23:59
  EXPECT_EQ(*svc_->SweepExpired(), 0u);
  EXPECT_EQ(CountActive(*svc_->Snapshot("acct")->lists[0], clock_.Now()).records, 2u);
  clock_.Advance(1min);  // 2026-11-24T00:00: the expiry day has ended
  EXPECT_EQ(CountActive(*svc_->Snapshot("acct")->lists[0], clock_.Now()).records, 1u);
  auto ioc = ParseIoc("1.2.3.4");
  EXPECT_TRUE(CheckIoc(*svc_->Snapshot("acct"), *ioc, clock_.Now()).matches.empty());
  EXPECT_EQ(*svc_->SweepExpired(), 1u);
  EXPECT_EQ(svc_->Snapshot("acct")->lists[0]->entries.size(), 1u);
  auto history = svc_->History("acct", ListKind::kIp, l->id, 1, 10);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->records[0].action, "expire");
  EXPECT_EQ(history->records[0].actor, "system");
  EXPECT_EQ(history->total, 2);
}

TEST_F(ServiceTest, ListLevelExpiryIsTheDefault) {
  ListPtr l = MakeList(R"({"list_name":"d","expires":"2026-11-22","addresses":[{"value":"1.2.3.4"},
                          {"value":"6.6.6.6","expires":"2027-01-01"}]})");
  clock_.Advance(24h);
  EXPECT_EQ(*svc_->SweepExpired(), 1u);
  ListPtr after = svc_->Snapshot("acct")->lists[0];
  EXPECT_FALSE(after->expires);  // cleared so that new entries don't inherit a past date
  EXPECT_EQ(after->entries[0].parsed.value, "6.6.6.6");
}

}  // namespace
}  // namespace rampart::userlists
