#include "xfr/dns_server.hpp"

#include <chrono>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "base/blocking.hpp"
#include "ratelimit/keyed_limiter.hpp"
#include "xfr/responses.hpp"

namespace rampart::xfr {
namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using namespace asio::experimental::awaitable_operators;
namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
}

struct DnsServer::State {
  asio::io_context& ioc;
  asio::thread_pool& pool;
  const rpz::ZoneRegistry& zones;
  const Clock& clock;
  std::shared_ptr<spdlog::logger> log;
  DnsOptions opts;
  udp::socket udp_socket;
  tcp::acceptor acceptor;
  std::atomic<bool> stopped{false};
  ratelimit::KeyedLimiter notify_limit;      // NOTIFY rounds per organization
  ratelimit::KeyedLimiter notify_log_limit;  // one "skipped" line per organization per minute

  State(asio::io_context& io, asio::thread_pool& p, const rpz::ZoneRegistry& z, const Clock& c,
        std::shared_ptr<spdlog::logger> l, DnsOptions o)
      : ioc(io), pool(p), zones(z), clock(c), log(std::move(l)), opts(o), udp_socket(io), acceptor(io),
        notify_limit({o.notify_per_org_per_min, std::chrono::minutes(1)}, c, 100000),
        notify_log_limit({1, std::chrono::minutes(1)}, c, 100000) {}
  uint64_t NowSeconds() const { return static_cast<uint64_t>(UnixMillis(clock.Now()) / 1000); }

  // `t0`: when the request was read; the time logged covers building and writing the answer.
  // `sent`: messages and bytes written.
  void Log(const Outcome& o, const std::string& client, bool tcp, std::chrono::steady_clock::time_point t0,
           std::pair<size_t, size_t> sent) const {
    if (!log || o.kind.empty()) return;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    log->info("dns {} zone={} serial={}->{} client={} tcp={} messages={} bytes={} us={}{}{}", o.kind, EscapeForLog(o.zone),
              o.from_serial, o.serial, client, tcp ? 1 : 0, sent.first, sent.second, us,
              o.reason.empty() ? "" : " reason=", o.reason.empty() ? "" : "\"" + o.reason + "\"");
  }
};

namespace {

// How much of a transfer is made at a time on the blocking pool before it is written.
constexpr size_t kBatchBytes = 1 << 20;

net::IpAddress ClientIp(const asio::ip::address& a) {
  auto v = a.is_v6() && a.to_v6().is_v4_mapped() ? asio::ip::address(asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6())) : a;
  return net::IpAddress::Parse(v.to_string()).value_or(net::IpAddress{});
}

asio::awaitable<void> ServeUdp(std::shared_ptr<DnsServer::State> st) {
  std::array<uint8_t, 4096> buf;
  for (;;) {
    udp::endpoint from;
    auto [ec, n] = co_await st->udp_socket.async_receive_from(asio::buffer(buf), from, kTuple);
    if (ec) {
      if (st->stopped || ec == asio::error::operation_aborted) co_return;
      continue;
    }
    const auto t0 = std::chrono::steady_clock::now();
    Outcome o = Answer(std::span<const uint8_t>(buf.data(), n), ClientIp(from.address()), false, st->zones,
                       st->NowSeconds());
    std::pair<size_t, size_t> sent{0, 0};
    for (const auto& m : o.messages) {  // never `more` over UDP: transfers are TCP only
      auto [wec, wn] = co_await st->udp_socket.async_send_to(asio::buffer(m), from, kTuple);
      if (!wec) sent.first++, sent.second += m.size();
    }
    st->Log(o, from.address().to_string(), false, t0, sent);
  }
}

// Writes each message with its two-byte length (RFC 1035 §4.2.2). False when the peer is gone or
// did not accept a message within `timeout`.
asio::awaitable<bool> WriteFramed(tcp::socket& sock, const std::vector<Message>& msgs, std::pair<size_t, size_t>& sent,
                                  std::chrono::milliseconds timeout) {
  asio::steady_timer timer(sock.get_executor());
  for (const auto& m : msgs) {
    std::array<uint8_t, 2> out_len{static_cast<uint8_t>(m.size() >> 8), static_cast<uint8_t>(m.size())};
    std::array<asio::const_buffer, 2> bufs{asio::buffer(out_len), asio::buffer(m)};
    timer.expires_after(timeout);
    auto r = co_await (asio::async_write(sock, bufs, kTuple) || timer.async_wait(kTuple));
    if (r.index() == 1) co_return false;  // timed out; the write was cancelled
    auto [wec, wn] = std::get<0>(r);
    if (wec) co_return false;
    sent.first++, sent.second += m.size();
  }
  co_return true;
}

asio::awaitable<void> ServeTcp(std::shared_ptr<DnsServer::State> st, tcp::socket sock) {
  boost::system::error_code ignored;
  auto peer = sock.remote_endpoint(ignored);
  const net::IpAddress client = ClientIp(peer.address());
  std::vector<uint8_t> msg;
  for (;;) {
    asio::steady_timer idle(sock.get_executor(), std::chrono::seconds(30));
    std::array<uint8_t, 2> len{};
    auto r = co_await (asio::async_read(sock, asio::buffer(len), kTuple) || idle.async_wait(kTuple));
    if (r.index() == 1) co_return;  // idle
    auto [ec, n] = std::get<0>(r);
    if (ec) co_return;
    msg.resize(static_cast<size_t>(len[0]) << 8 | len[1]);
    auto [rec, rn] = co_await asio::async_read(sock, asio::buffer(msg), kTuple);
    if (rec) co_return;
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t now = st->NowSeconds();
    Outcome o = co_await RunBlocking(st->pool, [&] { return Answer(msg, client, true, st->zones, now); });
    std::pair<size_t, size_t> sent{0, 0};
    if (o.messages.empty() && !o.more) {
      st->Log(o, peer.address().to_string(), true, t0, sent);
      co_return;
    }
    const std::chrono::milliseconds timeout(st->opts.write_timeout_ms);
    bool written = co_await WriteFramed(sock, o.messages, sent, timeout);
    while (written && o.more) {  // a transfer: the next batch is made on the pool, then written
      std::vector<Message> batch;
      const bool got = co_await RunBlocking(st->pool, [&] { return o.more->Next(batch, kBatchBytes); });
      if (!got) break;
      written = co_await WriteFramed(sock, batch, sent, timeout);
    }
    if (!written) o.kind += "-ABORTED";  // the client went away or stopped reading
    st->Log(o, peer.address().to_string(), true, t0, sent);
    if (!written) co_return;
  }
}

asio::awaitable<void> Accept(std::shared_ptr<DnsServer::State> st) {
  for (;;) {
    auto [ec, sock] = co_await st->acceptor.async_accept(kTuple);
    if (ec) {
      if (st->stopped || ec == asio::error::operation_aborted) co_return;
      continue;
    }
    if (st->opts.send_buffer_bytes > 0) {
      boost::system::error_code ignored;
      sock.set_option(asio::socket_base::send_buffer_size(st->opts.send_buffer_bytes), ignored);
    }
    asio::co_spawn(st->ioc, ServeTcp(st, std::move(sock)), asio::detached);
  }
}

asio::awaitable<void> SendNotify(std::shared_ptr<DnsServer::State> st, rpz::ZonePtr zone, rpz::NotifyTarget target) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(target.address.ToString(), ec);
  if (ec) co_return;
  udp::endpoint to(addr, target.port);
  udp::socket sock(st->ioc);
  sock.open(to.protocol(), ec);
  if (ec) co_return;
  int timeout_ms = st->opts.notify_first_timeout_ms;
  for (int attempt = 0; attempt < st->opts.notify_attempts && !st->stopped; ++attempt, timeout_ms *= 2) {
    std::array<uint8_t, 2> id_bytes{};
    crypto::RandomBytes(id_bytes);
    const uint16_t id = static_cast<uint16_t>(id_bytes[0] << 8 | id_bytes[1]);
    auto msg = NotifyMessage(id, *zone);
    co_await sock.async_send_to(asio::buffer(msg), to, kTuple);
    if (st->log) st->log->info("dns NOTIFY-SENT zone={} serial={} target={} attempt={}", zone->origin, zone->soa.serial, target.ToString(), attempt + 1);
    asio::steady_timer timer(st->ioc, std::chrono::milliseconds(timeout_ms));
    for (;;) {
      std::array<uint8_t, 512> buf;
      udp::endpoint from;
      auto r = co_await (sock.async_receive_from(asio::buffer(buf), from, kTuple) || timer.async_wait(kTuple));
      if (r.index() == 1) break;  // timed out: next attempt
      auto [rec, n] = std::get<0>(r);
      if (rec) break;
      if (n >= 4 && buf[0] == msg[0] && buf[1] == msg[1] && (buf[2] & 0x80)) {
        if (st->log) st->log->info("dns NOTIFY-ACK zone={} serial={} target={}", zone->origin, zone->soa.serial, target.ToString());
        co_return;
      }
    }
  }
  if (st->log) st->log->warn("dns NOTIFY unanswered zone={} target={}", zone->origin, target.ToString());
}

}  // namespace

DnsServer::DnsServer(asio::io_context& ioc, asio::thread_pool& pool, const rpz::ZoneRegistry& zones,
                     const Clock& clock, std::shared_ptr<spdlog::logger> log, DnsOptions opts)
    : state_(std::make_shared<State>(ioc, pool, zones, clock, std::move(log), opts)) {}

DnsServer::~DnsServer() { Stop(); }

Result<uint16_t> DnsServer::Listen(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec) return Error::Invalid("dns listen address: " + address);
  auto& acc = state_->acceptor;
  tcp::endpoint tep(addr, port);
  // A restart on the same port can find it held for a moment by the previous process's closing
  // transfer connections: a fixed port is tried again for up to 10 s before giving up.
  for (int attempt = 0;; ++attempt) {
    ec.clear();
    acc.open(tep.protocol(), ec);
    if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acc.bind(tep, ec);
    if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec || port == 0 || ec != asio::error::address_in_use || attempt == 100) break;
    boost::system::error_code ignored;
    acc.close(ignored);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (ec) return Error::Unavailable("dns tcp listen on " + address + ": " + ec.message());
  const uint16_t bound = acc.local_endpoint().port();
  udp::endpoint uep(addr, bound);
  state_->udp_socket.open(uep.protocol(), ec);
  if (!ec) state_->udp_socket.bind(uep, ec);
  if (ec) return Error::Unavailable("dns udp listen on " + address + ": " + ec.message());
  asio::co_spawn(state_->ioc, Accept(state_), asio::detached);
  asio::co_spawn(state_->ioc, ServeUdp(state_), asio::detached);
  return bound;
}

void DnsServer::Stop() {
  if (state_->stopped.exchange(true)) return;
  asio::post(state_->ioc, [st = state_] {
    boost::system::error_code ec;
    st->acceptor.close(ec);
    st->udp_socket.close(ec);
  });
}

void DnsServer::Notify(const rpz::ZonePtr& zone) {
  size_t skipped = 0;
  for (const auto& t : zone->notify) {
    if (!state_->notify_limit.Take(zone->org_id).allowed) {
      ++skipped;
      continue;
    }
    asio::co_spawn(state_->ioc, SendNotify(state_, zone, t), asio::detached);
  }
  if (skipped && state_->log && state_->notify_log_limit.Take(zone->org_id).allowed) {
    state_->log->warn("dns NOTIFY rate-limited: account={} zone={} skipped={} (notify_per_org_per_min={}; "
                      "further skips this minute are not logged)",
                      EscapeForLog(zone->org_id), EscapeForLog(zone->origin), skipped, state_->opts.notify_per_org_per_min);
  }
}

}  // namespace rampart::xfr
