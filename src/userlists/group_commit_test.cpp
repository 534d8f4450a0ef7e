// Group commit (service.hpp): updates queued while a group is being committed go to the store
// together, in order, each acknowledged only once its group is durable; a failed group fails
// every update built on it and publishes nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/forwarding_list_store_testing.hpp"
#include "userlists/service.hpp"

namespace rampart::userlists {
namespace {

// A real store behind a gate: while `hold` is set, ApplyAll waits for Release(). Records the
// size of every group it was given, and fails one on demand.
class GatedStore final : public testing::ForwardingListStore {
 public:
  using ForwardingListStore::ForwardingListStore;
  Result<void> ApplyAll(std::span<const store::ListChange> c) override {
    std::unique_lock lock(mu_);
    groups.push_back(c.size());
    ++waiting;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !hold; });
    --waiting;
    if (fail_next) {
      fail_next = false;
      return Error::Unavailable("injected failure");
    }
    return ForwardingListStore::ApplyAll(c);
  }

  void Hold() {
    std::lock_guard lock(mu_);
    hold = true;
  }
  void Release(bool fail) {
    std::lock_guard lock(mu_);
    hold = false;
    fail_next = fail;
    cv_.notify_all();
  }
  void WaitUntilWaiting(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return waiting == n; });
  }
  std::vector<size_t> Groups() {
    std::lock_guard lock(mu_);
    return groups;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool hold = false;
  bool fail_next = false;
  int waiting = 0;
  std::vector<size_t> groups;
};

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenSqliteStore({":memory:"});
    ASSERT_TRUE(s);
    db_ = std::move(*s);
    ASSERT_TRUE(db_->CreateOrg({"acct", "demo", 0}));
    gated_ = std::make_unique<GatedStore>(*db_);
    svc_ = std::make_unique<UserListService>(*gated_, clock_, ServiceOptions{});
    auto made = svc_->Create(actor_, ListKind::kIp, Body(R"({"list_name":"churn"})", BodyKind::kCreate));
    ASSERT_TRUE(made);
    list_ = (*made)->id;
  }
  ListInput Body(const std::string& json, BodyKind w) {
    auto r = ParseListBody(boost::json::parse(json), ListKind::kIp, w, svc_->CurrentParseOptions());
    EXPECT_TRUE(r) << (r ? "" : r.error().detail);
    return r ? *r : ListInput{};
  }
  // Adds `ip` to the list on a thread of its own; the outcome lands in `ok`.
  std::thread Add(const std::string& ip, bool& ok) {
    ListInput in = Body(R"({"addresses":[{"value":")" + ip + R"(","action":"add"}]})", BodyKind::kPatch);
    return std::thread([this, in, &ok] { ok = static_cast<bool>(svc_->Patch(actor_, ListKind::kIp, list_, in)); });
  }
  void WaitQueued(size_t n) {
    while (svc_->QueuedWrites("acct") != n) std::this_thread::yield();
  }
  size_t Entries() { return svc_->Snapshot("acct")->lists[0]->entries.size(); }

  FakeClock clock_{SysTime(std::chrono::seconds(1795305600))};
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<GatedStore> gated_;
  std::unique_ptr<UserListService> svc_;
  Actor actor_{"acct", "tok1"};
  std::string list_;
};

TEST_F(GroupCommitTest, UpdatesQueuedDuringACommitGoTogetherAndAreAllDurable) {
  gated_->Hold();
  bool a = false, b = false, c = false, d = false;
  std::thread ta = Add("198.51.100.1", a);
  gated_->WaitUntilWaiting(1);  // A's group is in the store, not yet durable
  EXPECT_EQ(Entries(), 0u);     // and not published
  std::thread tb = Add("198.51.100.2", b), tc = Add("198.51.100.3", c), td = Add("198.51.100.4", d);
  WaitQueued(3);
  gated_->Release(false);
  for (auto* t : {&ta, &tb, &tc, &td}) t->join();
  EXPECT_TRUE(a && b && c && d);
  EXPECT_EQ(gated_->Groups(), (std::vector<size_t>{1, 1, 3}));  // the create, A, then B+C+D at once
  EXPECT_EQ(Entries(), 4u);
  EXPECT_EQ(*db_->CountAudit("acct", list_), 5);  // one audit record per request
  UserListService again(*db_, clock_, ServiceOptions{});
  EXPECT_EQ((*again.Load("acct"))->lists[0]->entries.size(), 4u);
}

TEST_F(GroupCommitTest, AFailedGroupFailsTheUpdatesBuiltOnItAndPublishesNothing) {
  gated_->Hold();
  bool a = true, b = true, c = true;
  std::thread ta = Add("198.51.100.1", a);
  gated_->WaitUntilWaiting(1);
  std::thread tb = Add("198.51.100.2", b), tc = Add("198.51.100.3", c);
  WaitQueued(2);
  gated_->Release(true);  // A's group fails: B and C were built on A's state
  for (auto* t : {&ta, &tb, &tc}) t->join();
  EXPECT_FALSE(a || b || c);
  EXPECT_EQ(Entries(), 0u);
  EXPECT_EQ(*db_->CountAudit("acct", list_), 1);
  bool d = false;
  Add("198.51.100.4", d).join();  // the account works on
  EXPECT_TRUE(d);
  EXPECT_EQ(Entries(), 1u);
}

TEST_F(GroupCommitTest, ACreateWaitsForTheQueueAndCommitsAlone) {
  gated_->Hold();
  bool a = false, b = false;
  std::thread ta = Add("198.51.100.1", a);
  gated_->WaitUntilWaiting(1);
  std::thread tb = Add("198.51.100.2", b);
  WaitQueued(1);
  bool created = false;
  std::thread tc([&] {
    created = static_cast<bool>(svc_->Create(actor_, ListKind::kIp, Body(R"({"list_name":"second"})", BodyKind::kCreate)));
  });
  gated_->Release(false);
  for (auto* t : {&ta, &tb, &tc}) t->join();
  EXPECT_TRUE(a && b && created);
  EXPECT_EQ(gated_->Groups(), (std::vector<size_t>{1, 1, 1, 1}));
  EXPECT_EQ(svc_->Snapshot("acct")->lists.size(), 2u);
}

}  // namespace
}  // namespace rampart::userlists
