// The chain's contract (chain.hpp) with stages that record what they see: the order of the
// phases, where an answer stops the chain, what runs on the blocking pool, and the way out.
#include "api/chain.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "api/errors.hpp"
#include "api/middleware.hpp"
#include "api/threatstack_stages.hpp"

namespace rampart::api {
namespace {
namespace asio = boost::asio;

struct Trace {
  std::mutex mu;
  std::vector<std::string> events;
  void Add(std::string e) {
    std::lock_guard lock(mu);
    events.push_back(std::move(e));
  }
};

// Records each call; answers (or offloads) in the phase it is told to.
class Probe final : public Middleware {
 public:
  Probe(std::string name, Trace& t, Step head = Step::kNext, Step request = Step::kNext)
      : name_(std::move(name)), trace_(t), head_(head), request_(request) {}
  Step OnHead(const http::Request&, Exchange& ex) const override { return Did("head", head_, ex); }
  Step OnHeadBlocking(const http::Request&, Exchange& ex) const override {
    return Did("head-" + Where(), Step::kNext, ex);
  }
  Step OnRequest(const http::Request& req, Exchange& ex) const override {
    trace_.Add(name_ + ".body=" + req.body());
    return Did("request", request_, ex);
  }
  Step OnRequestBlocking(const http::Request&, Exchange& ex) const override {
    return Did("request-" + Where(), Step::kAnswer, ex);
  }
  void OnResponse(http::Response& res, const Exchange&) const override {
    trace_.Add(name_ + ".response");
    res.set("X-" + name_, "seen");
  }
  static inline std::thread::id io_thread;
  static inline std::thread::id read_thread;  // the read pool's one thread

 private:
  static std::string Where() {
    const auto id = std::this_thread::get_id();
    return id == io_thread ? "io" : id == read_thread ? "read" : "pool";
  }
  Step Did(const std::string& what, Step step, Exchange& ex) const {
    trace_.Add(name_ + "." + what);
    if (step == Step::kAnswer) {
      ex.reply = Reply{.status = http::Status::accepted, .text = name_, .headers = {{http::beast_http::field::location, "/x"}}};
    }
    return step;
  }
  std::string name_;
  Trace& trace_;
  Step head_, request_;
};

class ChainTest : public ::testing::Test {
 protected:
  http::Response Run(std::vector<std::unique_ptr<Middleware>> stages, std::string body, bool* admitted = nullptr) {
    Chain chain(std::move(stages), RenderThreatstopError, ChainDeps{pool_, read_pool_, metrics_, nullptr, nullptr});
    Probe::read_thread = asio::post(read_pool_, asio::use_future([] { return std::this_thread::get_id(); })).get();
    http::Request head{http::Verb::post, "/v4.0/x", 11};
    auto ex = std::make_shared<Exchange>();
    auto fut = asio::co_spawn(ioc_, [&]() -> asio::awaitable<http::Response> {
      Probe::io_thread = std::this_thread::get_id();
      http::Admission a = co_await chain.Admit(head, ex);
      if (admitted) *admitted = !a.answer;
      if (a.answer) co_return std::move(*a.answer);
      http::Request whole = head;
      whole.body() = body;
      co_return co_await a.handle(std::move(whole));
    }, asio::use_future);
    ioc_.run();
    ioc_.restart();
    return fut.get();
  }
  std::vector<std::unique_ptr<Middleware>> Stages(std::initializer_list<Probe*> ps) {
    std::vector<std::unique_ptr<Middleware>> out;
    for (Probe* p : ps) out.emplace_back(p);
    return out;
  }
  asio::io_context ioc_;
  asio::thread_pool pool_{1};
  asio::thread_pool read_pool_{1};
  http::Metrics metrics_;
  Trace t_;
};

TEST_F(ChainTest, HeadThenBodyThenResponsesInReverse) {
  bool admitted = false;
  auto res = Run(Stages({new Probe("a", t_), new Probe("b", t_, Step::kNext, Step::kAnswer), new Probe("c", t_)}),
                 "payload", &admitted);
  EXPECT_TRUE(admitted);
  EXPECT_EQ(t_.events, (std::vector<std::string>{"a.head", "b.head", "c.head", "a.body=payload", "a.request",
                                                 "b.body=payload", "b.request", "c.response", "b.response",
                                                 "a.response"}));
  EXPECT_EQ(res.result(), http::Status::accepted);
  EXPECT_EQ(res.body().view(), "b");
  EXPECT_EQ(res[http::beast_http::field::location], "/x");  // a Reply's headers reach the response
  EXPECT_EQ(res["X-a"], "seen");
}

TEST_F(ChainTest, AnAnswerOnTheHeadStopsTheChainBeforeTheBody) {
  bool admitted = true;
  auto res = Run(Stages({new Probe("a", t_), new Probe("b", t_, Step::kAnswer), new Probe("c", t_)}), "x", &admitted);
  EXPECT_FALSE(admitted);
  EXPECT_EQ(t_.events, (std::vector<std::string>{"a.head", "b.head", "c.response", "b.response", "a.response"}));
  EXPECT_EQ(res.body().view(), "b");
}

TEST_F(ChainTest, OffloadedStepsRunOnTheBlockingPool) {
  auto res = Run(Stages({new Probe("a", t_, Step::kOffload, Step::kOffload)}), "");
  EXPECT_EQ(t_.events, (std::vector<std::string>{"a.head", "a.head-pool", "a.body=", "a.request", "a.request-pool",
                                                 "a.response"}));
  EXPECT_EQ(res.result(), http::Status::accepted);
}

TEST_F(ChainTest, ReadOffloadsRunOnTheReadPool) {
  auto res = Run(Stages({new Probe("a", t_, Step::kOffloadRead, Step::kOffloadRead)}), "");
  EXPECT_EQ(t_.events, (std::vector<std::string>{"a.head", "a.head-read", "a.body=", "a.request", "a.request-read",
                                                 "a.response"}));
  EXPECT_EQ(res.result(), http::Status::accepted);
}

TEST_F(ChainTest, NoAnswerIsAnInternalErrorInTheSurfaceShape) {
  auto res = Run(Stages({new Probe("a", t_)}), "");
  EXPECT_EQ(res.result(), http::Status::internal_server_error);
  EXPECT_NE(res.body().view().find("\"status_code\":500"), std::string_view::npos);
}

// Waits on the I/O thread (as a shared limiter or nonce store would), then answers or goes on.
class Waiter final : public Middleware {
 public:
  Waiter(Trace& t, Step after) : trace_(t), after_(after) {}
  Step OnHead(const http::Request&, Exchange&) const override {
    trace_.Add("w.head");
    return Step::kAwait;
  }
  asio::awaitable<Step> OnHeadAsync(const http::Request&, Exchange& ex) const override {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);  // a real suspension
    trace_.Add(std::this_thread::get_id() == Probe::io_thread ? "w.async-io" : "w.async-elsewhere");
    if (after_ == Step::kAnswer) ex.reply = Reply{.status = http::Status::accepted, .text = "w"};
    co_return after_;
  }

 private:
  Trace& trace_;
  Step after_;
};

TEST_F(ChainTest, AwaitedStepsResumeOnTheIoThreadAndMayAnswer) {
  std::vector<std::unique_ptr<Middleware>> stages;
  stages.emplace_back(new Waiter(t_, Step::kNext));
  stages.emplace_back(new Probe("a", t_, Step::kNext, Step::kAnswer));
  auto res = Run(std::move(stages), "");
  EXPECT_EQ(t_.events, (std::vector<std::string>{"w.head", "w.async-io", "a.head", "a.body=", "a.request",
                                                 "a.response"}));
  EXPECT_EQ(res.result(), http::Status::accepted);
  t_.events.clear();
  std::vector<std::unique_ptr<Middleware>> answering;
  answering.emplace_back(new Waiter(t_, Step::kAnswer));
  answering.emplace_back(new Probe("a", t_));
  bool admitted = true;
  res = Run(std::move(answering), "", &admitted);
  EXPECT_FALSE(admitted);
  EXPECT_EQ(t_.events, (std::vector<std::string>{"w.head", "w.async-io", "a.response"}));
  EXPECT_EQ(res.body().view(), "w");
}

// A limiter whose counts live elsewhere: it never decides without waiting.
class RemoteLimiter final : public ratelimit::Limiter {
 public:
  std::optional<ratelimit::Decision> TryTake(std::string_view) override { return std::nullopt; }
  asio::awaitable<ratelimit::Decision> TakeAsync(std::string key) override {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    keys.push_back(key);
    co_return ratelimit::Decision{.allowed = keys.size() < 2, .limit = 1, .remaining = 0, .reset_ms = 1500};
  }
  std::vector<std::string> keys;
};

TEST_F(ChainTest, ASharedLimiterIsAwaitedAndRefusesWith429) {
  RemoteLimiter limiter;
  TrustedProxies none;
  for (int i = 0; i < 2; ++i) {
    std::vector<std::unique_ptr<Middleware>> stages;
    stages.emplace_back(new IpRateLimitStage(limiter, none));
    stages.emplace_back(new Probe("a", t_, Step::kNext, Step::kAnswer));
    auto res = Run(std::move(stages), "");
    EXPECT_EQ(res.result(), i == 0 ? http::Status::accepted : http::Status::too_many_requests);
    EXPECT_EQ(res["x-rate-limit-limit"], "1");
  }
  EXPECT_EQ(limiter.keys.size(), 2u);
}

TEST(LargeBodySlots, TakenUntilReleasedAndHalfAtMostPerHolder) {
  auto slots = std::make_unique<LargeBodySlots>(4);
  auto a1 = slots->TryTake("a");
  auto a2 = slots->TryTake("a");
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(slots->TryTake("a"));  // half of the slots per holder
  auto b1 = slots->TryTake("b");
  auto c1 = slots->TryTake("c");
  ASSERT_TRUE(b1 && c1);
  EXPECT_FALSE(slots->TryTake("d"));  // all four held
  a1.reset();
  auto d1 = slots->TryTake("d");
  EXPECT_TRUE(d1);
  slots.reset();  // a slot may be released after the slots are gone (ASan checks this)
  d1.reset();
  a2.reset();
}

}  // namespace
}  // namespace rampart::api
