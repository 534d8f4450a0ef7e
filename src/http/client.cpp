#include "http/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <optional>

namespace rampart::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Transport::Tls {
  asio::ssl::context ctx{asio::ssl::context::tls_client};
};

// The kept connection: exactly one of the streams is set.
struct Transport::Conn {
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*secure); }
};

// One request's outcome: the reply, whether any reply byte came, whether the connection may carry
// another request.
struct Transport::Exchanged {
  Reply reply;
  bool got_bytes = false;
  bool reusable = false;
};

Transport::Transport() : io_(std::make_unique<asio::io_context>()) {}
Transport::~Transport() = default;

Result<std::unique_ptr<Transport>> Transport::Create(const std::string& base_url, const std::string& ca_file,
                                                     std::chrono::milliseconds timeout, std::string user_agent) {
  auto url = boost::urls::parse_absolute_uri(base_url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
    return Error::Invalid("the server must be an http:// or https:// URL, not " + base_url.substr(0, 200));
  }
  std::unique_ptr<Transport> t(new Transport());
  t->tls_ = url->scheme() == "https";
  t->host_ = url->host_address();
  // Signed as the server will read it (Hawk lower-cases the host).
  for (char& c : t->host_) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // Plain HTTP carries keys and bodies in the clear: loopback only, judged on the parsed address
  // (a name such as 127.attacker.example is not this host).
  const bool loopback = (url->host_type() == boost::urls::host_type::ipv4 && url->host_ipv4_address().is_loopback()) ||
                        (url->host_type() == boost::urls::host_type::ipv6 && url->host_ipv6_address().is_loopback()) ||
                        (url->host_type() == boost::urls::host_type::name && t->host_ == "localhost");
  if (!t->tls_ && !loopback) {
    return Error::Invalid("plain http:// is for a server on this host only; use https:// (" + base_url.substr(0, 200) + ")");
  }
  t->port_ = url->has_port() ? std::to_string(url->port_number()) : (t->tls_ ? "443" : "80");
  if (t->port_ == "0") return Error::Invalid("the server's port must be 1 to 65535");
  t->base_path_ = std::string(url->encoded_path());
  while (!t->base_path_.empty() && t->base_path_.back() == '/') t->base_path_.pop_back();
  t->timeout_ = timeout;
  t->user_agent_ = std::move(user_agent);
  if (t->tls_) {
    t->ctx_ = std::make_unique<Tls>();
    boost::system::error_code ec;
    t->ctx_->ctx.set_verify_mode(asio::ssl::verify_peer, ec);
    if (ca_file.empty()) {
      t->ctx_->ctx.set_default_verify_paths(ec);
    } else {
      t->ctx_->ctx.load_verify_file(ca_file, ec);
    }
    if (ec) return Error::Unavailable("cannot load trust anchors: " + ec.message());
  }
  return t;
}

// Every step is asynchronous so that the stream's deadline (expires_after) bounds it: Beast's
// synchronous calls ignore it, and a peer that accepts and never answers would hold the agent.
template <class Stream>
asio::awaitable<Transport::Exchanged> Transport::Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
  Exchanged x;
  beast::error_code ec;
  beast::get_lowest_layer(stream).expires_after(timeout_);
  co_await bhttp::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    x.reply = NoReply("send: " + ec.message());
    co_return x;
  }
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_reply_);
  co_await bhttp::async_read(stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
  x.got_bytes = buf.size() > 0 || parser.got_some();
  if (ec) {
    x.reply = NoReply("reply: " + ec.message());
    co_return x;
  }
  beast::get_lowest_layer(stream).expires_never();
  auto& res = parser.get();
  x.reusable = res.keep_alive() && buf.size() == 0;  // nothing unexpected after the reply
  x.reply.status = static_cast<int>(res.result_int());
  x.reply.body = std::move(res.body());
  x.reply.content_type = std::string(res[bhttp::field::content_type]);
  x.reply.server_authorization = std::string(res["Server-Authorization"]);
  x.reply.retry_after = std::string(res[bhttp::field::retry_after]);
  x.reply.www_authenticate = std::string(res[bhttp::field::www_authenticate]);
  co_return x;
}

asio::awaitable<std::string> Transport::Connect() {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  beast::error_code ec;
  auto endpoints = co_await resolver.async_resolve(host_, port_, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return "resolve " + host_ + ": " + ec.message();
  auto conn = std::make_unique<Conn>();
  if (!tls_) {
    conn->plain.emplace(executor);
  } else {
    conn->secure.emplace(executor, ctx_->ctx);
    if (!SSL_set_tlsext_host_name(conn->secure->native_handle(), host_.c_str())) co_return std::string("cannot set SNI");
    conn->secure->set_verify_callback(asio::ssl::host_name_verification(host_));
  }
  conn->lowest().expires_after(timeout_);
  co_await conn->lowest().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return "connect: " + ec.message();
  if (tls_) {
    co_await conn->secure->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return "TLS: " + ec.message();
  }
  conn->lowest().expires_never();
  conn_ = std::move(conn);
  ++opened_;
  co_return std::string();
}

asio::awaitable<Transport::Exchanged> Transport::ExchangeOnConn(bhttp::request<bhttp::string_body>& req) {
  if (conn_->plain) co_return co_await Exchange(*conn_->plain, req);
  co_return co_await Exchange(*conn_->secure, req);
}

asio::awaitable<Reply> Transport::SendAsync(bhttp::request<bhttp::string_body>& req) {
  for (int attempt = 0;; ++attempt) {
    const bool reused = conn_ != nullptr;
    if (!reused) {
      std::string failed = co_await Connect();
      if (!failed.empty()) co_return NoReply(failed);
    }
    Exchanged x = co_await ExchangeOnConn(req);
    if (!x.reusable) conn_.reset();  // TLS: no close_notify; the server reads the close as the end
    // A kept connection the server had closed fails before any reply byte: once more, anew.
    if (x.reply.status == 0 && reused && !x.got_bytes && attempt == 0) continue;
    co_return std::move(x.reply);
  }
}

Reply Transport::Send(const Outgoing& out) {
  const bhttp::verb verb = bhttp::string_to_verb(out.method);
  // HEAD is not offered: its reply's Content-Length has no body to read.
  if (verb == bhttp::verb::unknown || verb == bhttp::verb::head) return NoReply("unsupported method " + out.method.substr(0, 20));
  bhttp::request<bhttp::string_body> req{verb, base_path_ + out.target, 11};
  bool default_port = port_ == (tls_ ? "443" : "80");
  std::string host_header = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  req.set(bhttp::field::host, default_port ? host_header : host_header + ":" + port_);
  req.set(bhttp::field::user_agent, user_agent_);
  for (const auto& [k, v] : out.headers) req.set(k, v);
  if (!out.content_type.empty()) req.set(bhttp::field::content_type, out.content_type);
  req.body() = out.body;
  req.prepare_payload();
  std::lock_guard lock(mu_);
  Reply result = NoReply("no reply within the deadline");
  bool done = false;
  io_->restart();
  asio::co_spawn(
      *io_,
      [&]() -> asio::awaitable<void> {
        result = co_await SendAsync(req);
        done = true;
      },
      asio::detached);
  // The streams' deadline ends every step but name resolution, which this bounds (a retry on a
  // new connection may take two deadlines).
  io_->run_for(2 * timeout_ + std::chrono::seconds(1));
  if (!done) {  // abandoned mid-way: the connection first, then everything still queued
    conn_.reset();
    io_ = std::make_unique<asio::io_context>();
  }
  return result;
}

}  // namespace rampart::http
