// The NOTIFY sender against a UDP socket on 127.0.0.1 that records what arrives: unanswered, a
// NOTIFY is sent `notify_attempts` times with the wait doubling from `notify_first_timeout_ms`;
// an answer stops it. Waits are checked from below only (a timer never fires early), so a loaded
// machine cannot make the test fail.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <thread>

#include "rpz/zones.hpp"
#include "store/store.hpp"
#include "xfr/dns_server.hpp"

namespace rampart::xfr {
namespace {

namespace asio = boost::asio;
using Ms = std::chrono::milliseconds;

class NotifySender : public ::testing::Test {
 protected:
  void SetUp() override {
    // A plain blocking socket read with poll(): simpler to reason about than a second io_context.
    receiver_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(receiver_, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(receiver_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(receiver_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const uint16_t port = ntohs(addr.sin_port);
    spec_.notify.push_back({*net::IpAddress::Parse("127.0.0.1"), port});
    ASSERT_TRUE(zones_.Rebuild("a1", {spec_}, {}));
  }
  void TearDown() override {
    server_.Stop();
    work_.reset();
    ioc_.stop();
    if (runner_.joinable()) runner_.join();
    pool_.join();
    if (receiver_ >= 0) ::close(receiver_);
  }
  // Receives datagrams until `quiet` passes without one; answers the `answer_at`-th (1-based).
  std::vector<std::chrono::steady_clock::time_point> Collect(Ms quiet, int answer_at = 0) {
    std::vector<std::chrono::steady_clock::time_point> at;
    auto last = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - last < quiet) {
      pollfd p{receiver_, POLLIN, 0};
      if (::poll(&p, 1, 50) != 1) continue;
      std::array<uint8_t, 512> buf;
      sockaddr_in from{};
      socklen_t from_len = sizeof from;
      const ssize_t n = ::recvfrom(receiver_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n < 12) continue;
      last = std::chrono::steady_clock::now();
      at.push_back(last);
      EXPECT_EQ((buf[2] >> 3) & 0x0F, 4);  // opcode NOTIFY
      if (static_cast<int>(at.size()) == answer_at) {
        buf[2] |= 0x80;  // QR: the reply, same id
        ::sendto(receiver_, buf.data(), 12, 0, reinterpret_cast<sockaddr*>(&from), from_len);
      }
    }
    return at;
  }
  void Start() { runner_ = std::thread([this] { ioc_.run(); }); }

  std::unique_ptr<store::Store> db_ = std::move(*store::OpenSqliteStore({":memory:"}));
  FakeClock clock_{SysTime{std::chrono::seconds(1767225600)}};
  rpz::ZoneRegistry zones_{*db_, clock_, {"ns.test"}};
  rpz::ZoneSpec spec_{"z.rpz", "a1", "p1", {}};
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(ioc_);
  asio::thread_pool pool_{1};
  int receiver_ = -1;
  DnsOptions opts_ = [] {
    DnsOptions o;
    o.notify_first_timeout_ms = 40;
    return o;
  }();
  DnsServer server_{ioc_, pool_, zones_, clock_, nullptr, opts_};
  std::thread runner_;
};

TEST(NotifyDefaults, FiveAttemptsFromOneSecond) {
  const DnsOptions o;  // what docs/enforcement.md promises: 5 attempts, doubling from 1 s
  EXPECT_EQ(o.notify_attempts, 5);
  EXPECT_EQ(o.notify_first_timeout_ms, 1000);
}

TEST_F(NotifySender, UnansweredIsSentFiveTimesWithDoublingWaits) {
  Start();
  server_.Notify(zones_.Find("z.rpz"));
  auto at = Collect(Ms(1000));  // longer than any wait between attempts (the 4th is 320 ms)
  ASSERT_EQ(at.size(), 5u);
  // Receive times carry the scheduler's jitter (a packet read late makes the next gap look
  // short: 76.9 ms for 80 seen on a loaded machine), so each gap must be at least 3/4 of its
  // nominal wait: still a failure for waits that do not double.
  for (size_t i = 1; i < at.size(); ++i) {
    EXPECT_GE(at[i] - at[i - 1], Ms(30 << (i - 1))) << "wait before attempt " << i + 1;
  }
}

TEST_F(NotifySender, AnAnswerStopsTheRetries) {
  Start();
  server_.Notify(zones_.Find("z.rpz"));
  auto at = Collect(Ms(1000), 2);
  EXPECT_EQ(at.size(), 2u);
}

}  // namespace
}  // namespace rampart::xfr
