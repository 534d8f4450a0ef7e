#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <array>
#include <list>
#include <string>
#include <unordered_map>
#include <mutex>
#include <tuple>

#include "http/deadlines.hpp"
#include "http/framing.hpp"
#include "http/message_io.hpp"

namespace rampart::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// A live connection, as seen by Stop(): closed from its own strand when it is idle.
struct SessionCtl {
  asio::any_io_executor strand;
  std::function<void()> close;  // only touched on `strand`
  bool busy = false;            // only touched on `strand`
};

struct Server::State {
  asio::io_context& ioc;
  ExecutorPicker pick;
  ServerLimits limits;
  Admitter admit;
  ErrorRenderer errors;
  const bool tls_on;
  std::shared_ptr<asio::ssl::context> tls;  // guarded by `mu`
  std::shared_ptr<asio::ssl::context> Tls() {
    std::lock_guard lock(mu);
    return tls;
  }
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> active{0};
  std::mutex mu;
  std::list<std::shared_ptr<SessionCtl>> sessions;
  std::unordered_map<std::string, size_t> per_client;  // guarded by mu
  IdleWaits idle;                 // kept connections between requests
  asio::steady_timer idle_sweep;  // on the acceptor's executor

  State(asio::io_context& io, ExecutorPicker p, ServerLimits l, Admitter a, ErrorRenderer e, std::shared_ptr<asio::ssl::context> t)
      : ioc(io), pick(std::move(p)), limits(l), admit(std::move(a)), errors(std::move(e)), tls_on(t != nullptr), tls(std::move(t)), acceptor(io), idle_sweep(io) {}
};

namespace {

using namespace message_io;  // the message reading and answering helpers


// A failed read: 408 when a request had started and time ran out, 400/413/431 for a bad one;
// nothing when the client just went away.
template <class Stream>
asio::awaitable<void> ReportReadError(Server::State& st, Stream& stream, beast::error_code ec, bool timed_out,
                                      bool partial, std::optional<std::string_view> target) {
  if (timed_out && partial) {
    Response err = st.errors(ReadError(beast::error::timeout), target);
    co_await WriteAndClose(stream, std::move(err));
    co_return;
  }
  const bool quiet = timed_out || ec == beast_http::error::end_of_stream || ec == asio::error::operation_aborted ||
                     ec == asio::error::connection_reset || ec == asio::error::eof;
  if (!quiet) {
    Response err = st.errors(ReadError(ec), target);  // named: GCC 12 mishandles temporaries in co_await
    co_await WriteAndClose(stream, std::move(err));
  }
}

// Between two requests on a kept connection: waits for the next one's first bytes, read into the
// buffer, for at most the keep-alive timeout (IdleWaits). The head and read deadlines then run
// from them, and are not armed at all for what has already arrived whole. The buffer is kept
// (4 KiB after a small request): freeing and re-allocating it per request cost more CPU (glibc
// consolidates its free lists on every such allocation) than 10,000 idle connections' 40 MB.
// False: the client left, the time ran out, or Stop() closed it.
template <class Stream>
asio::awaitable<bool> AwaitNextRequest(Server::State& st, Watch& watch, Stream& stream, beast::flat_buffer& buffer) {
  watch.timed_out = false;
  ++watch.generation;
  st.idle.Begin(watch, std::chrono::steady_clock::now());
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
  buffer.commit(n);
  st.idle.End(watch);
  co_return !ec && !watch.timed_out && !st.stopping.load();
}

// Whether `buffer` holds a whole request head (its blank line).
bool HeadInBuffer(const beast::flat_buffer& buffer) {
  return std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()).find("\r\n\r\n") !=
         std::string_view::npos;
}

std::chrono::milliseconds Remaining(std::chrono::steady_clock::time_point since, std::chrono::milliseconds limit) {
  const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since);
  return std::max(limit - spent, std::chrono::milliseconds(1));
}

// One connection: read a request, answer it, repeat. Responses go out in request order.
template <class Stream>
asio::awaitable<void> ServeRequests(std::shared_ptr<Server::State> st, std::shared_ptr<SessionCtl> ctl,
                                    Stream& stream, ConnectionInfo info) {
  // Bounded, so a head without its blank line stops at the header limit (plus one read's slack).
  beast::flat_buffer buffer(st->limits.header_bytes + 64 * 1024);
  asio::steady_timer deadline(co_await asio::this_coro::executor);       // a body on its way
  asio::steady_timer head_deadline(co_await asio::this_coro::executor);  // a slow head is cut sooner
  auto watch = std::make_shared<Watch>();
  watch->executor = co_await asio::this_coro::executor;
  watch->cancel = [&stream] {
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().cancel(ignored);
  };
  struct Clear {
    Server::State& st;
    std::shared_ptr<Watch> w;
    ~Clear() {
      st.idle.End(*w);
      w->cancel = nullptr;
    }
  } clear{*st, watch};
  for (bool first = true; !st->stopping.load(); first = false) {
    // The first request's deadlines run from the accept; a later one's from its first byte.
    if (!first && buffer.size() == 0 && !co_await AwaitNextRequest(*st, *watch, stream, buffer)) co_return;
    watch->timed_out = false;
    ++watch->generation;
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(st->limits.header_bytes));
    parser.body_limit(st->limits.body_bytes);
    // A head still on its way is cut at the head timeout; the rest of the request, if any is still
    // on its way, at the read timeout from here (timers cost a heap insert and a cancellation each).
    const auto started = std::chrono::steady_clock::now();
    const bool head_on_its_way = !HeadInBuffer(buffer);
    if (head_on_its_way) Arm(watch, head_deadline, std::min(st->limits.head_timeout, st->limits.read_timeout));
    ReadResult read = co_await ReadRequest(stream, buffer, parser);
    if (head_on_its_way) head_deadline.cancel();
    if (read.framing) {  // ambiguous framing: answer and close without reading further
      const std::optional<std::string_view> target = read.target;
      Response err = st->errors({Errc::kInvalid, Reason::kMalformed, "malformed HTTP request: " + *read.framing}, target);
      co_await WriteAndClose(stream, std::move(err));
      co_return;
    }
    if (read.ec) {
      const std::optional<std::string_view> target = read.target;
      co_await ReportReadError(*st, stream, read.ec, watch->timed_out, parser.got_some() || buffer.size() > 0, target);
      co_return;
    }
    ctl->busy = true;
    const bool keep_alive = parser.get().keep_alive();
    // Phase 1: the application decides on the head alone; no body byte has been read.
    Admission admission = co_await st->admit(parser.get(), info);
    Response res;
    bool body_left_unread = false;
    if (admission.answer) {
      res = std::move(*admission.answer);
      body_left_unread = !parser.is_done();
    } else {
      if (admission.body_limit && admission.body_limit < st->limits.body_bytes) parser.body_limit(admission.body_limit);
      beast::error_code bec = FeedBuffered(buffer, parser);  // what came with the head, parsed in place
      if (!bec && !parser.is_done()) {
        Arm(watch, deadline, Remaining(started, st->limits.read_timeout));
        bec = co_await ReadBody(stream, buffer, parser);
        deadline.cancel();
      }
      if (bec) {
        co_await ReportReadError(*st, stream, bec, watch->timed_out, true, std::string_view(parser.get().target()));
        co_return;
      }
      Response handled = co_await admission.handle(parser.release());
      res = std::move(handled);
    }
    if (body_left_unread) {  // the connection cannot be reused: the body is still on its way
      co_await WriteAndClose(stream, std::move(res));
      co_return;
    }
    res.keep_alive(keep_alive && !st->stopping.load());
    res.prepare_payload();
    auto [wec, wn] = co_await WriteResponse(stream, res, st->limits.read_timeout);
    ctl->busy = false;
    if (wec || !res.keep_alive()) co_return;
  }
}

// The key a client's connections are counted under: its IPv4 address, or its IPv6 /64 (one host
// can use a whole /64). IPv4-mapped IPv6 counts as IPv4.
std::string ClientKey(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ClientKey(asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()));
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return std::string(b.begin(), b.end());
  }
  auto b = a.to_v6().to_bytes();
  return std::string(b.begin(), b.begin() + 8);
}

// Counts a connection against its client while alive; `admitted` is false past the cap. It owns a
// reference to the state: a session frame may be destroyed with the io_context, after the server
// and in an order of its own.
class ClientSlot {
 public:
  ClientSlot(std::shared_ptr<Server::State> st, const asio::ip::address& a, bool known) : st_(std::move(st)) {
    const ServerLimits& limits = st_->limits;
    if (!known || limits.max_connections_per_client == 0 || (limits.exempt && limits.exempt(a))) return;
    key_ = ClientKey(a);
    std::lock_guard lock(st_->mu);
    counted_ = true;
    admitted_ = ++st_->per_client[key_] <= limits.max_connections_per_client;
  }
  ~ClientSlot() {
    if (!counted_) return;
    std::lock_guard lock(st_->mu);
    if (--st_->per_client[key_] == 0) st_->per_client.erase(key_);
  }
  bool admitted() const { return admitted_; }

 private:
  std::shared_ptr<Server::State> st_;
  std::string key_;
  bool counted_ = false, admitted_ = true;
};

template <class Stream>
void Track(const std::shared_ptr<SessionCtl>& ctl, Stream& stream) {
  ctl->close = [&stream] {
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().close(ignored);
  };
}

// `slot` was taken in the accept loop, in accept order: sessions start on other threads, and a
// count taken there could let a later connection in before earlier ones were counted.
asio::awaitable<void> RunSession(std::shared_ptr<Server::State> st, tcp::socket socket,
                                 std::unique_ptr<ClientSlot> slot, std::string remote_address) {
  ConnectionInfo info;
  info.remote_address = std::move(remote_address);
  auto ctl = std::make_shared<SessionCtl>(SessionCtl{socket.get_executor(), [] {}, false});
  std::list<std::shared_ptr<SessionCtl>>::iterator pos;
  {
    std::lock_guard lock(st->mu);
    pos = st->sessions.insert(st->sessions.end(), ctl);
  }
  beast::tcp_stream tcp_stream(std::move(socket));
  if (st->active.fetch_add(1) >= st->limits.max_connections) {
    Response err = st->errors({Errc::kUnavailable, Reason::kNone, "too many connections"}, std::nullopt);
    co_await WriteAndClose(tcp_stream, std::move(err));
  } else if (!slot->admitted()) {
    Response err = st->errors({Errc::kUnavailable, Reason::kNone, "too many connections from this client"}, std::nullopt);
    co_await WriteAndClose(tcp_stream, std::move(err));
  } else if (st->tls_on) {
    info.tls = true;
    const std::shared_ptr<asio::ssl::context> ctx = st->Tls();  // held while the connection lives
    beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(tcp_stream), *ctx);
    Track(ctl, tls_stream);
    beast::get_lowest_layer(tls_stream).expires_after(st->limits.read_timeout);
    auto [hec] = co_await tls_stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    beast::get_lowest_layer(tls_stream).expires_never();
    if (!hec) {
      co_await ServeRequests(st, ctl, tls_stream, info);
      beast::get_lowest_layer(tls_stream).expires_after(std::chrono::seconds(5));
      co_await tls_stream.async_shutdown(kTuple);
    }
    ctl->close = [] {};
  } else {
    Track(ctl, tcp_stream);
    co_await ServeRequests(st, ctl, tcp_stream, info);
    beast::error_code ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    ctl->close = [] {};
  }
  {
    std::lock_guard lock(st->mu);
    st->sessions.erase(pos);
  }
  st->active.fetch_sub(1);
}

// Ends the kept connections' waits past the keep-alive timeout, a few times per timeout (at
// least once a second): a wait may run over by that much.
asio::awaitable<void> SweepIdle(std::shared_ptr<Server::State> st) {
  using std::chrono::milliseconds;
  const milliseconds period = std::clamp(st->limits.keepalive_timeout / 4, milliseconds(10), milliseconds(1000));
  while (!st->stopping.load()) {
    st->idle_sweep.expires_after(period);
    auto [ec] = co_await st->idle_sweep.async_wait(kTuple);
    if (ec || st->stopping.load()) co_return;
    st->idle.Expire(std::chrono::steady_clock::now() - st->limits.keepalive_timeout);
  }
}

asio::awaitable<void> Accept(std::shared_ptr<Server::State> st) {
  while (!st->stopping.load()) {
    auto [ec, socket] = co_await st->acceptor.async_accept(st->pick(), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !st->acceptor.is_open()) co_return;
      // E.g. EMFILE: keep serving the connections we have. The pending connection keeps the
      // listener readable, so retrying at once would spin: pause first.
      asio::steady_timer pause(st->ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    auto ex = socket.get_executor();
    beast::error_code rec;
    auto remote = socket.remote_endpoint(rec);
    auto slot = std::make_unique<ClientSlot>(st, remote.address(), !rec);
    std::string address = rec ? "" : remote.address().to_string();  // one getpeername per connection
    asio::co_spawn(ex, RunSession(st, std::move(socket), std::move(slot), std::move(address)), asio::detached);
  }
}

}  // namespace

Server::Server(asio::io_context& ioc, ExecutorPicker pick, ServerLimits limits, Admitter admit,
               ErrorRenderer errors, std::shared_ptr<asio::ssl::context> tls)
    : state_(std::make_shared<State>(ioc, std::move(pick), limits, std::move(admit), std::move(errors), std::move(tls))) {}

void Server::SetTls(std::shared_ptr<asio::ssl::context> ctx) {
  std::lock_guard lock(state_->mu);
  state_->tls = std::move(ctx);
}

Admitter AdmitAll(Handler handler) {
  return [handler = std::move(handler)](const Request&, const ConnectionInfo& conn) -> asio::awaitable<Admission> {
    Admission a;
    a.handle = [handler, conn](Request&& req) { return handler(std::move(req), conn); };
    co_return a;
  };
}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Listen(const tcp::endpoint& ep) {
  beast::error_code ec;
  auto& acc = state_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error::Unavailable("listen on " + ep.address().to_string() + ":" + std::to_string(ep.port()) +
                                    ": " + ec.message());
  asio::co_spawn(acc.get_executor(), Accept(state_), asio::detached);
  asio::co_spawn(acc.get_executor(), SweepIdle(state_), asio::detached);
  return acc.local_endpoint().port();
}

void Server::Stop() {
  if (state_->stopping.exchange(true)) return;
  asio::post(state_->acceptor.get_executor(), [st = state_] {
    beast::error_code ec;
    st->acceptor.close(ec);
    st->idle_sweep.cancel();
  });
  std::lock_guard lock(state_->mu);
  for (auto& ctl : state_->sessions) {
    asio::post(ctl->strand, [ctl] {
      if (!ctl->busy) ctl->close();
    });
  }
}

size_t Server::active_connections() const { return state_->active.load(); }

}  // namespace rampart::http
