// IdleWaits: waits are cut oldest first, only past the cutoff, each on its own executor, and a
// cut meant for a wait that has ended never touches the connection's next one.
#include "http/deadlines.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace rampart::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

struct Conn {
  std::shared_ptr<Watch> watch = std::make_shared<Watch>();
  int cuts = 0;
  Conn(boost::asio::io_context& io) {
    watch->executor = io.get_executor();
    watch->cancel = [this] { ++cuts; };
  }
};

TEST(IdleWaitsTest, CutsTheWaitsThatBeganByTheCutoffOldestFirst) {
  boost::asio::io_context io;
  IdleWaits idle;
  Conn a(io), b(io), c(io);
  const Clock::time_point t0{};
  idle.Begin(*a.watch, t0);
  idle.Begin(*b.watch, t0 + seconds(1));
  idle.Begin(*c.watch, t0 + seconds(2));
  idle.End(*b.watch);  // a request came
  EXPECT_EQ(idle.size(), 2u);
  EXPECT_EQ(idle.Expire(t0 + seconds(1)), 1u);
  EXPECT_EQ(a.cuts, 0) << "cut on the connection's executor, not the caller's thread";
  io.run();
  EXPECT_EQ(a.cuts, 1);
  EXPECT_TRUE(a.watch->timed_out);
  EXPECT_EQ(b.cuts, 0);
  EXPECT_EQ(c.cuts, 0);
  EXPECT_EQ(idle.size(), 1u);
  idle.End(*a.watch);  // already out of the list: a no-op
  EXPECT_EQ(idle.Expire(t0 + seconds(5)), 1u);
  io.restart();
  io.run();
  EXPECT_EQ(c.cuts, 1);
  EXPECT_EQ(idle.size(), 0u);
}

TEST(IdleWaitsTest, ACutQueuedForAnEndedWaitLeavesTheNextWaitAlone) {
  boost::asio::io_context io;
  IdleWaits idle;
  Conn a(io);
  const Clock::time_point t0{};
  ++a.watch->generation;
  idle.Begin(*a.watch, t0);
  ASSERT_EQ(idle.Expire(t0), 1u);  // queued, not yet run
  idle.End(*a.watch);              // meanwhile the request came, and the next wait began
  ++a.watch->generation;
  idle.Begin(*a.watch, t0 + seconds(1));
  io.run();
  EXPECT_EQ(a.cuts, 0);
  EXPECT_FALSE(a.watch->timed_out);
  EXPECT_EQ(idle.size(), 1u);
  a.watch->cancel = nullptr;  // the connection's frame went: a cut does nothing
  ASSERT_EQ(idle.Expire(t0 + seconds(1)), 1u);
  io.restart();
  io.run();
  EXPECT_FALSE(a.watch->timed_out);
}

TEST(IdleWaitsTest, WaitsEndedInAnyOrderKeepTheListWhole) {
  boost::asio::io_context io;
  IdleWaits idle;
  std::vector<std::unique_ptr<Conn>> conns;
  for (int i = 0; i < 6; ++i) {
    conns.push_back(std::make_unique<Conn>(io));
    idle.Begin(*conns.back()->watch, Clock::time_point{} + seconds(i));
  }
  for (int i : {0, 5, 2}) idle.End(*conns[static_cast<size_t>(i)]->watch);  // head, tail, middle
  EXPECT_EQ(idle.size(), 3u);
  EXPECT_EQ(idle.Expire(Clock::time_point{} + seconds(10)), 3u);
  io.run();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(conns[static_cast<size_t>(i)]->cuts, i == 1 || i == 3 || i == 4) << i;
}

}  // namespace
}  // namespace rampart::http
