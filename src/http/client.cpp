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

namespace rampart::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Transport::Tls {
  asio::ssl::context ctx{asio::ssl::context::tls_client};
};

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
asio::awaitable<Reply> Transport::Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
  beast::error_code ec;
  co_await bhttp::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return NoReply("send: " + ec.message());
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_reply_);
  co_await bhttp::async_read(stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return NoReply("reply: " + ec.message());
  auto& res = parser.get();
  Reply r;
  r.status = static_cast<int>(res.result_int());
  r.body = std::move(res.body());
  r.content_type = std::string(res[bhttp::field::content_type]);
  r.server_authorization = std::string(res["Server-Authorization"]);
  r.retry_after = std::string(res[bhttp::field::retry_after]);
  r.www_authenticate = std::string(res[bhttp::field::www_authenticate]);
  co_return r;
}

asio::awaitable<Reply> Transport::SendAsync(bhttp::request<bhttp::string_body>& req) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  beast::error_code ec;
  auto endpoints = co_await resolver.async_resolve(host_, port_, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return NoReply("resolve " + host_ + ": " + ec.message());
  if (!tls_) {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout_);
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return NoReply("connect: " + ec.message());
    Reply r = co_await Exchange(stream, req);
    co_return r;
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, ctx_->ctx);
  beast::get_lowest_layer(stream).expires_after(timeout_);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), host_.c_str())) co_return NoReply("cannot set SNI");
  stream.set_verify_callback(asio::ssl::host_name_verification(host_));
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return NoReply("connect: " + ec.message());
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return NoReply("TLS: " + ec.message());
  Reply r = co_await Exchange(stream, req);
  co_return r;
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
  asio::io_context io;
  Reply result = NoReply("no reply within the deadline");
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result = co_await SendAsync(req); }, asio::detached);
  // The streams' deadline ends every step; this bounds name resolution too.
  io.run_for(timeout_ + std::chrono::seconds(1));
  return result;
}

}  // namespace rampart::http
