// Server behaviour over real loopback sockets (port 0): ordering, limits, shutdown.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <thread>

#include "http/client.hpp"
#include "http/status.hpp"

namespace rampart::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerLimits limits) {
    server_ = std::make_unique<Server>(
        ioc_, [this] { return boost::asio::any_io_executor(boost::asio::make_strand(ioc_)); }, limits,
        AdmitAll([](Request&& req, const ConnectionInfo&) -> asio::awaitable<Response> {
          Response res{Status::ok, req.version()};
          if (req.target().starts_with("/big/")) {  // an answer of that many bytes
            res.body() = std::string(std::stoul(std::string(req.target().substr(5))), 'x');
            co_return res;
          }
          res.body() = std::string(req.target()) + "|" + std::to_string(req.body().size());
          co_return res;
        }),
        [](const Error& e, std::optional<std::string_view>) {
          Response res{StatusFor(e), 11};
          res.body() = std::string("error ") + ErrcName(e.code);
          return res;
        },
        nullptr);
    auto port = server_->Listen({asio::ip::make_address("127.0.0.1"), 0});
    ASSERT_TRUE(port);
    port_ = *port;
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    server_->Stop();
    work_.reset();
    ioc_.stop();
    thread_.join();
  }
  // Sends raw bytes, then reads until the server closes or `until` occurrences of "HTTP/1.1".
  std::string Exchange(const std::string& bytes, int until) {
    asio::io_context cio;
    tcp::socket s(cio);
    s.connect({asio::ip::make_address("127.0.0.1"), port_});
    asio::write(s, asio::buffer(bytes));
    std::string got;
    char buf[4096];
    boost::system::error_code ec;
    while (true) {
      size_t n = s.read_some(asio::buffer(buf), ec);
      if (ec) break;
      got.append(buf, n);
      size_t count = 0;
      for (size_t p = got.find("HTTP/1.1 "); p != std::string::npos; p = got.find("HTTP/1.1 ", p + 1)) ++count;
      if (static_cast<int>(count) >= until && got.find("\r\n\r\n", got.rfind("HTTP/1.1 ")) != std::string::npos &&
          got.back() != '\n' && got.size() > got.rfind("\r\n\r\n") + 4)
        break;
    }
    return got;
  }

  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{ioc_.get_executor()};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

TEST_F(ServerTest, PipelinedResponsesComeBackInOrder) {
  Start({});
  std::string got = Exchange(
      "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      3);
  size_t a = got.find("/first|0"), b = got.find("/second|3"), c = got.find("/third|0");
  ASSERT_NE(a, std::string::npos) << got;
  ASSERT_NE(b, std::string::npos) << got;
  ASSERT_NE(c, std::string::npos) << got;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST_F(ServerTest, LimitsAnswerInErrorShape) {
  ServerLimits limits;
  limits.header_bytes = 256;
  limits.body_bytes = 10;
  Start(limits);
  std::string big_header = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(400, 'a') + "\r\n\r\n";
  std::string got = Exchange(big_header, 1);
  EXPECT_EQ(got.rfind("HTTP/1.1 431", 0), 0u) << got;
  got = Exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world", 1);
  EXPECT_EQ(got.rfind("HTTP/1.1 413", 0), 0u) << got;
  EXPECT_NE(got.find("error too_large"), std::string::npos);
  got = Exchange("NOT HTTP AT ALL\r\n\r\n", 1);
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
}

TEST_F(ServerTest, ConnectionLimit) {
  ServerLimits limits;
  limits.max_connections = 1;
  Start(limits);
  asio::io_context cio;
  tcp::socket hold(cio);
  hold.connect({asio::ip::make_address("127.0.0.1"), port_});
  asio::write(hold, asio::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")));
  char buf[512];
  hold.read_some(asio::buffer(buf));  // the first connection is established and served
  std::string got = Exchange("GET /b HTTP/1.1\r\nHost: x\r\n\r\n", 1);
  EXPECT_EQ(got.rfind("HTTP/1.1 503", 0), 0u) << got;
}

TEST_F(ServerTest, StopClosesIdleKeepAliveConnections) {
  Start({});
  asio::io_context cio;
  tcp::socket s(cio);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  asio::write(s, asio::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")));
  char buf[512];
  s.read_some(asio::buffer(buf));
  server_->Stop();
  boost::system::error_code ec;
  s.read_some(asio::buffer(buf), ec);  // returns once the server closes the idle connection
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

// Between requests a kept connection waits for the keep-alive timeout, not the head timeout (an
// agent heartbeats every 30 s on one connection); past it the server closes it quietly.
TEST_F(ServerTest, AKeptConnectionWaitsForTheKeepAliveTimeoutNotTheHeadTimeout) {
  ServerLimits limits;
  limits.head_timeout = std::chrono::milliseconds(100);
  limits.keepalive_timeout = std::chrono::milliseconds(1500);
  Start(limits);
  asio::io_context cio;
  tcp::socket s(cio);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  char buf[512];
  asio::write(s, asio::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string first(buf, s.read_some(asio::buffer(buf)));
  EXPECT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first;
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // idle past the head timeout
  asio::write(s, asio::buffer(std::string("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string second(buf, s.read_some(asio::buffer(buf)));
  EXPECT_EQ(second.rfind("HTTP/1.1 200", 0), 0u) << second;
  EXPECT_NE(second.find("/b|0"), std::string::npos) << second;
  boost::system::error_code ec;
  const size_t n = s.read_some(asio::buffer(buf), ec);  // returns once the keep-alive timeout closes it
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_EQ(n, 0u) << "an idle connection is closed without an answer";
}

// A body that stops arriving is cut at the read timeout (408), also when its head came whole on a
// kept connection (the deadline is armed only for what is still on its way).
TEST_F(ServerTest, ABodyThatStopsArrivingIs408OnAFirstAndOnAKeptRequest) {
  ServerLimits limits;
  limits.read_timeout = std::chrono::milliseconds(300);
  Start(limits);
  for (bool kept : {false, true}) {
    asio::io_context cio;
    tcp::socket s(cio);
    s.connect({asio::ip::make_address("127.0.0.1"), port_});
    char buf[512];
    if (kept) {
      asio::write(s, asio::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")));
      std::string first(buf, s.read_some(asio::buffer(buf)));
      ASSERT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first;
    }
    asio::write(s, asio::buffer(std::string("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")));
    std::string got;
    boost::system::error_code ec;
    for (size_t n; (n = s.read_some(asio::buffer(buf), ec)) > 0 && !ec;) got.append(buf, n);
    EXPECT_EQ(got.rfind("HTTP/1.1 408", 0), 0u) << (kept ? "kept: " : "first: ") << got;
  }
}

// The client keeps its connection, and replaces one the server closed while it was kept.
TEST_F(ServerTest, TheClientReusesItsConnectionAndReplacesOneTheServerClosed) {
  ServerLimits limits;
  limits.keepalive_timeout = std::chrono::milliseconds(300);
  Start(limits);
  auto t = Transport::Create("http://127.0.0.1:" + std::to_string(port_), "", std::chrono::seconds(5), "test");
  ASSERT_TRUE(t);
  for (int i = 0; i < 3; ++i) {
    Reply r = (*t)->Send({.method = "POST", .target = "/n" + std::to_string(i), .body = "abc"});
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "/n" + std::to_string(i) + "|3");
  }
  EXPECT_EQ((*t)->connections_opened(), 1u);
  for (int waited = 0; server_->active_connections() > 0 && waited < 100; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(server_->active_connections(), 0u) << "the server closes the idle connection";
  Reply r = (*t)->Send({.target = "/after"});
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "/after|0");
  EXPECT_EQ((*t)->connections_opened(), 2u);
}

// An answer larger than the socket's send buffer is written in part at once and the rest as the
// client reads; the connection is then kept for the next request.
TEST_F(ServerTest, AnAnswerLargerThanTheSocketBufferArrivesWholeAndTheConnectionIsKept) {
  Start({});
  asio::io_context cio;
  tcp::socket s(cio);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  constexpr size_t kBig = 8 << 20;
  asio::write(s, asio::buffer(std::string("GET /big/" + std::to_string(kBig) + " HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server's buffers fill meanwhile
  asio::streambuf in;
  const size_t head = asio::read_until(s, in, "\r\n\r\n");
  const std::string head_text(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + static_cast<long>(head));
  ASSERT_NE(head_text.find("Content-Length: " + std::to_string(kBig)), std::string::npos) << head_text;
  in.consume(head);
  boost::system::error_code ec;
  if (in.size() < kBig) asio::read(s, in, asio::transfer_exactly(kBig - in.size()), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(in.size(), kBig);
  asio::write(s, asio::buffer(std::string("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")));
  char buf[512];
  std::string next(buf, s.read_some(asio::buffer(buf)));
  EXPECT_EQ(next.rfind("HTTP/1.1 200", 0), 0u) << next;
  EXPECT_NE(next.find("/next|0"), std::string::npos) << next;
}

// A client that stops reading an answer holds the connection only until the read timeout.
TEST_F(ServerTest, AnAnswerTheClientDoesNotReadIsCutAtTheReadTimeout) {
  ServerLimits limits;
  limits.read_timeout = std::chrono::milliseconds(300);
  Start(limits);
  asio::io_context cio;
  tcp::socket s(cio);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  constexpr size_t kBig = 64 << 20;
  asio::write(s, asio::buffer(std::string("GET /big/" + std::to_string(kBig) + " HTTP/1.1\r\nHost: x\r\n\r\n")));
  for (int waited = 0; server_->active_connections() == 0 && waited < 100; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(server_->active_connections(), 1u);
  for (int waited = 0; server_->active_connections() > 0 && waited < 100; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(server_->active_connections(), 0u) << "the write deadline ends the connection";
  size_t got = 0;
  boost::system::error_code ec;
  std::vector<char> buf(1 << 20);
  while (!ec) got += s.read_some(asio::buffer(buf), ec);
  EXPECT_LT(got, kBig) << "the answer was cut, not finished";
}

}  // namespace
}  // namespace rampart::http
