#include "alerting/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

namespace rampart::alerting {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

template <class Stream>
asio::awaitable<PostOutcome> Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
  const auto written = co_await bhttp::async_write(stream, req, kTuple);
  const beast::error_code werr = std::get<0>(written);
  if (werr) co_return PostOutcome{0, "sending: " + werr.message()};
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  const auto read = co_await bhttp::async_read(stream, buf, parser, kTuple);
  const beast::error_code rerr = std::get<0>(read);
  if (rerr && rerr != bhttp::error::body_limit) co_return PostOutcome{0, "reading the reply: " + rerr.message()};
  co_return PostOutcome{static_cast<int>(parser.get().result_int()), ""};
}

}  // namespace

asio::awaitable<PostOutcome> PostJson(std::string url, std::string body,
                                      std::vector<std::pair<std::string, std::string>> headers,
                                      const PostPolicy& policy) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) co_return PostOutcome{0, "not a URL"};
  const bool https = u->scheme() == "https";
  if (https && !policy.tls) co_return PostOutcome{0, "https is not configured"};
  const std::string host(u->encoded_host());
  std::string host_bare = host;
  if (host_bare.size() > 2 && host_bare.front() == '[') host_bare = host_bare.substr(1, host_bare.size() - 2);
  const std::string port = u->has_port() ? std::string(u->port()) : (https ? "443" : "80");
  std::string target(u->encoded_path());
  if (target.empty()) target = "/";
  if (u->has_query()) target += "?" + std::string(u->encoded_query());

  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  const auto resolved = co_await resolver.async_resolve(host_bare, port, kTuple);
  if (std::get<0>(resolved)) co_return PostOutcome{0, "resolving " + host_bare + ": " + std::get<0>(resolved).message()};
  const tcp::resolver::results_type& results = std::get<1>(resolved);
  std::vector<tcp::endpoint> allowed;
  std::string refused;
  for (const auto& r : results) {
    auto a = net::IpAddress::Parse(r.endpoint().address().to_string());
    auto why = a ? net::RefusedDestination(*a, policy.denied, "webhook_denied_networks") : std::optional<std::string>("unparsable");
    if (why) refused = r.endpoint().address().to_string() + " is " + *why;
    else allowed.push_back(r.endpoint());
  }
  if (allowed.empty()) co_return PostOutcome{0, "refused destination: " + refused};

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "rampart-webhooks/1");
  req.set(bhttp::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();

  beast::tcp_stream tcp_stream(ex);
  tcp_stream.expires_after(policy.timeout);
  const auto connected = co_await tcp_stream.async_connect(allowed, kTuple);
  if (std::get<0>(connected)) co_return PostOutcome{0, "connecting: " + std::get<0>(connected).message()};
  if (!https) {
    PostOutcome out = co_await Exchange(tcp_stream, req);
    beast::error_code ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return out;
  }
  beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp_stream), *policy.tls);
  tls.set_verify_mode(asio::ssl::verify_peer);
  tls.set_verify_callback(asio::ssl::host_name_verification(host_bare));
  if (!SSL_set_tlsext_host_name(tls.native_handle(), host_bare.c_str())) co_return PostOutcome{0, "TLS: bad SNI name"};
  const auto shaken = co_await tls.async_handshake(asio::ssl::stream_base::client, kTuple);
  if (std::get<0>(shaken)) co_return PostOutcome{0, "TLS: " + std::get<0>(shaken).message()};
  co_return co_await Exchange(tls, req);
}

}  // namespace rampart::alerting
