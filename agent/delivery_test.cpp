// Delivery from the agent's side: the outbox's numbering and splitting of refused batches, and
// the ingest client against a loopback fake server that checks requests with the server's own
// Hawk Verify — a host clock an hour off is corrected by the server's signed time, and a refusal
// without the server's signature is not acted on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <functional>
#include <thread>

#include "agent/batcher.hpp"
#include "agent/client.hpp"
#include "agent/outbox.hpp"
#include "agent/test_util.hpp"
#include "auth/hawk.hpp"

namespace rampart::agent {
namespace {
namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

std::string Lines(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += "{\"n\":" + std::to_string(i) + "}\n";
  return out;
}

TEST(AgentOutbox, NumbersAreSavedBeforeUseAndARefusedBatchSplitsDownToItsBadEvent) {
  TempDir t;
  State s{"http://127.0.0.1:1", "", "agent-1", "key", 0, 30};
  ASSERT_TRUE(SaveState(t.path.string(), s));
  {
    auto spool = Spool::Open((t.path / "spool").string(), 1 << 20);
    ASSERT_TRUE(spool);
    Outbox box(t.path.string(), s, std::move(*spool));
    ASSERT_TRUE(box.Add(Gzip(Lines(0, 5))));
    EXPECT_EQ(LoadState(t.path.string())->next_seq, Outbox::kSeqBlock);  // reserved before batch 0 was spooled
    auto first = box.Oldest();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->first, 0);
    // Refused: halves under new numbers, the original gone.
    ASSERT_TRUE(*box.Split(first->first, first->second));
    EXPECT_EQ(box.size(), 2u);
    auto a = box.Oldest();
    EXPECT_EQ(a->first, 1);
    EXPECT_EQ(Gunzip(a->second), Lines(0, 2));
    box.Acked(1);
    auto b = box.Oldest();
    EXPECT_EQ(b->first, 2);
    EXPECT_EQ(Gunzip(b->second), Lines(2, 5));
    ASSERT_TRUE(*box.Split(b->first, b->second));  // 1 + 2
    box.Acked(3);
    auto c = box.Oldest();
    ASSERT_TRUE(*box.Split(c->first, c->second));  // 1 + 1
    auto one = box.Oldest();
    EXPECT_EQ(Gunzip(one->second), Lines(3, 4));
    EXPECT_FALSE(*box.Split(one->first, one->second));  // one event: dropped
    EXPECT_EQ(box.size(), 1u);
    EXPECT_EQ(Gunzip(box.Oldest()->second), Lines(4, 5));
  }
  // A restart continues above every number used.
  auto spool = Spool::Open((t.path / "spool").string(), 1 << 20);
  Outbox again(t.path.string(), *LoadState(t.path.string()), std::move(*spool));
  ASSERT_TRUE(again.Add(Gzip(Lines(9, 10))));
  EXPECT_EQ(again.size(), 2u);
  again.Acked(6);
  EXPECT_EQ(again.Oldest()->first, Outbox::kSeqBlock);
}

// Answers each request with `respond(verified or failure)`; Hawk checked by the server's Verify
// at the server's own time.
class FakeIngest {
 public:
  using Respond = std::function<http::response<http::string_body>(const auth::hawk::Outcome<auth::hawk::Verified>&)>;
  FakeIngest(int64_t server_now_ms, Respond respond) : now_ms_(server_now_ms), respond_(std::move(respond)) {
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeIngest() {
    stopping_ = true;
    boost::system::error_code ec;
    asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  int requests = 0;

 private:
  void Serve() {
    while (true) {
      asio::ip::tcp::socket sock(io_);
      acceptor_.accept(sock);
      if (stopping_) return;
      beast::flat_buffer buf;
      http::request<http::string_body> req;
      boost::system::error_code ec;
      http::read(sock, buf, req, ec);
      if (ec) continue;
      ++requests;
      auto lookup = [](std::string_view id) -> std::optional<auth::hawk::Credentials> {
        if (id != "agent-1") return std::nullopt;
        return auth::hawk::Credentials{"agent-1", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn", "sha256", "agent"};
      };
      std::string port = std::to_string(acceptor_.local_endpoint().port());
      auth::hawk::RequestView view{req.method_string(), req.target(), req[http::field::authorization],
                                   req[http::field::content_type], std::string_view(req.body()), {"127.0.0.1", port}};
      auto v = auth::hawk::Verify(view, lookup, {.skew_ms = 60000, .payload = auth::hawk::PayloadPolicy::kRequired},
                                  now_ms_, nullptr);
      auto res = respond_(v);
      res.prepare_payload();
      http::write(sock, res, ec);
    }
  }
  int64_t now_ms_;
  Respond respond_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_{io_};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

http::response<http::string_body> Respond(int status, const auth::hawk::Outcome<auth::hawk::Verified>& v, bool sign) {
  http::response<http::string_body> res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json");
  res.body() = status == 200 ? "{\"ack\":1,\"accepted\":1}" : "{\"errors\":[\"line 1: unknown key 'x'\"]}";
  if (!v) {
    res.result(static_cast<http::status>(v.failure.status));
    res.set(http::field::www_authenticate, v.failure.www_authenticate);
  } else if (sign) {
    res.set("Server-Authorization",
            auth::hawk::ServerAuthorization(*v, auth::hawk::PayloadHash(v->alg, "application/json", res.body()), std::nullopt));
  }
  return res;
}

constexpr int64_t kServerNow = 1'700'000'000'000;
const auth::hawk::ClientCredentials kCreds{"agent-1", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn"};

TEST(AgentClient, AHostClockAnHourBehindIsCorrectedByTheServersSignedTime) {
  FakeIngest server(kServerNow, [](const auto& v) { return Respond(200, v, true); });
  FakeClock clock;
  clock.Set(SysTime(std::chrono::milliseconds(kServerNow) - 1h));
  auto t = Transport::Create(server.url(), "", 5s, "rampart-agent/test");
  ASSERT_TRUE(t);
  IngestClient client(**t, kCreds, clock);
  EXPECT_EQ(client.SendBatch(1, Gzip(Lines(0, 1))).status, 200);
  EXPECT_EQ(server.requests, 2);  // refused as stale once, then signed with the server's time
  EXPECT_EQ(client.SendBatch(2, Gzip(Lines(0, 1))).status, 200);
  EXPECT_EQ(server.requests, 3);  // the offset is kept
}

TEST(AgentClient, ARefusalIsActedOnOnlyWhenTheServerSignedIt) {
  FakeClock clock;
  clock.Set(SysTime(std::chrono::milliseconds(kServerNow)));
  {
    FakeIngest server(kServerNow, [](const auto& v) { return Respond(400, v, true); });
    auto t = Transport::Create(server.url(), "", 5s, "rampart-agent/test");
    IngestClient client(**t, kCreds, clock);
    Reply r = client.SendBatch(1, Gzip(Lines(0, 1)));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(ErrorOf(r), "HTTP 400: line 1: unknown key 'x'");
  }
  FakeIngest forged(kServerNow, [](const auto& v) { return Respond(400, v, false); });
  auto t = Transport::Create(forged.url(), "", 5s, "rampart-agent/test");
  IngestClient client(**t, kCreds, clock);
  Reply r = client.SendBatch(1, Gzip(Lines(0, 1)));
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("no valid Server-Authorization"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace rampart::agent
