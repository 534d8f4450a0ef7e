// RunInRounds: what is ready runs in one round, what arrives during the wait runs together in the
// next, a round that used its window does not wait, and a stop ends it. Time is a fake clock; a
// work guard stands for the server's (an io_context without work counts as stopped).
#include "http/rounds.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <deque>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "base/blocking.hpp"

namespace rampart::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

struct FakeTime {
  explicit FakeTime(boost::asio::io_context& io) : guard(boost::asio::make_work_guard(io)) {}
  std::chrono::steady_clock::time_point t{};
  std::atomic<int> reads{0};
  std::vector<nanoseconds> sleeps;
  std::deque<std::function<void()>> during_sleep;  // what "arrives" during each wait, in turn
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  RoundTiming timing() {
    return {[this] {
              ++reads;
              return t;
            },
            [this](nanoseconds d) {
              sleeps.push_back(d);
              t += d;
              if (during_sleep.empty()) {
                guard.reset();  // nothing more will arrive: let the runner return
              } else {
                during_sleep.front()();
                during_sleep.pop_front();
              }
            }};
  }
};

TEST(RunInRoundsTest, WhatArrivesDuringTheWaitRunsTogetherInTheNextRound) {
  boost::asio::io_context io;
  FakeTime time(io);
  std::vector<std::pair<int, size_t>> ran;  // (request, the number of waits before it ran)
  auto request = [&](int i) { boost::asio::post(io, [&, i] { ran.emplace_back(i, time.sleeps.size()); }); };
  request(1);
  request(2);
  time.during_sleep.push_back([&] {
    for (int i = 3; i <= 6; ++i) request(i);
  });
  RunInRounds(io, milliseconds(20), time.timing());
  ASSERT_EQ(ran.size(), 6u);
  EXPECT_EQ(ran[0], std::make_pair(1, size_t{0}));
  EXPECT_EQ(ran[1], std::make_pair(2, size_t{0}));
  for (size_t k = 2; k < 6; ++k) EXPECT_EQ(ran[k].second, 1u) << "request " << ran[k].first << " ran in the second round";
  ASSERT_EQ(time.sleeps.size(), 2u);  // once after each round
  EXPECT_EQ(time.sleeps[0], milliseconds(20));
}

// (A round's clock starts when its first handler has run: the wake-up is not visible apart from
// it. Each round here starts with an instant one.)
TEST(RunInRoundsTest, APartRoundWaitsOutTheRestOfItsWindow) {
  boost::asio::io_context io;
  FakeTime time(io);
  boost::asio::post(io, [] {});
  boost::asio::post(io, [&] { time.t += milliseconds(5); });
  boost::asio::post(io, [&] { time.t += milliseconds(3); });
  RunInRounds(io, milliseconds(20), time.timing());
  ASSERT_EQ(time.sleeps.size(), 1u);
  EXPECT_EQ(time.sleeps[0], milliseconds(12));  // the round's own time counts against the window
}

TEST(RunInRoundsTest, ARoundThatUsedItsWindowGoesStraightOn) {
  boost::asio::io_context io;
  FakeTime time(io);
  boost::asio::post(io, [] {});
  boost::asio::post(io, [&] { time.t += milliseconds(25); });
  // Once that round has read the clock at its end, the next "request" ends the run: the runner
  // is then back in the reactor, not asleep.
  std::thread next([&] {
    while (time.reads.load() < 2) std::this_thread::yield();
    boost::asio::post(io, [&] { time.guard.reset(); });
  });
  RunInRounds(io, milliseconds(20), time.timing());
  next.join();
  EXPECT_TRUE(time.sleeps.empty());
}

TEST(RunInRoundsTest, ARoundDoesNotWaitWhileTheBlockingPoolHasAnAnswerToGive) {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(1);
  FakeTime time(io);
  std::promise<void> go;
  int got = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        got = co_await RunBlocking(pool, [&] {
          go.get_future().wait();
          return 7;
        });
        time.guard.reset();
      },
      boost::asio::detached);
  // The pool answers once the first round is over: the runner must be back in the reactor for it.
  std::thread release([&] {
    while (time.reads.load() < 2) std::this_thread::yield();
    go.set_value();
  });
  RunInRounds(io, milliseconds(20), time.timing());
  release.join();
  EXPECT_EQ(got, 7);
  EXPECT_TRUE(time.sleeps.empty());
  EXPECT_EQ(BlockingInFlightOnThisThread(), 0);
  pool.join();
}

TEST(RunInRoundsTest, AStopEndsItAndWhatIsLeftWaitsForTheNextRun) {
  boost::asio::io_context io;
  FakeTime time(io);
  int after = 0;
  boost::asio::post(io, [&] { io.stop(); });
  boost::asio::post(io, [&] { ++after; });
  RunInRounds(io, milliseconds(20), time.timing());
  EXPECT_EQ(after, 0);
  EXPECT_TRUE(time.sleeps.empty());
  io.restart();
  RunInRounds(io, milliseconds(20), time.timing());
  EXPECT_EQ(after, 1);
}

TEST(RunInRoundsTest, AZeroWindowIsThePlainLoop) {
  boost::asio::io_context io;
  FakeTime time(io);
  int n = 0;
  for (int i = 0; i < 3; ++i) boost::asio::post(io, [&] { ++n; });
  boost::asio::post(io, [&] { time.guard.reset(); });
  RunInRounds(io, nanoseconds::zero(), time.timing());
  EXPECT_EQ(n, 3);
  EXPECT_TRUE(time.sleeps.empty());
}

}  // namespace
}  // namespace rampart::http
