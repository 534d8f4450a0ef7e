#pragma once
// Reading and answering one HTTP/1.1 message on a stream, for the session loop in server.cpp:
// the head alone (bounded by the buffer), its framing check, the body of an admitted request, and
// the lingering close after an answer that leaves input unread. Coroutines over any Beast stream.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

#include "base/result.hpp"
#include "http/framing.hpp"
#include "http/types.hpp"

namespace rampart::http::message_io {
namespace asio = boost::asio;
namespace beast = boost::beast;
inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// The error a failed read is answered with (431, 413, 408, or 400).
inline Error ReadError(const beast::error_code& ec) {
  if (ec == beast_http::error::header_limit) return {Errc::kTooLarge, Reason::kHeaderBlock, "request headers too large"};
  if (ec == beast_http::error::body_limit) return {Errc::kTooLarge, Reason::kMalformed, "request body too large"};
  if (ec == beast::error::timeout) return {Errc::kTimeout, Reason::kMalformed, "request not received in time"};
  return {Errc::kInvalid, Reason::kMalformed, "malformed HTTP request: " + ec.message()};
}

// Answers and ends the connection. A lingering close: after the answer we stop sending and drain
// what the client had already sent (at most 1 MiB, for at most 2 s), because closing a socket with
// unread input resets the connection and the client could lose the answer before reading it.
template <class Stream>
asio::awaitable<void> WriteAndClose(Stream& stream, Response&& res) {
  res.keep_alive(false);
  res.prepare_payload();
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(std::chrono::seconds(10));
  auto [ec, n] = co_await beast_http::async_write(stream, res, kTuple);
  if (ec) co_return;
  beast::error_code ignored;
  lowest.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  lowest.expires_after(std::chrono::seconds(2));
  std::array<char, 16 * 1024> sink;
  for (size_t drained = 0; drained < (size_t{1} << 20);) {
    auto [rec, rn] = co_await lowest.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    drained += rn;
  }
  lowest.expires_never();
}

// Writes a prepared response (Content-Length and Connection set) as one gather write of its head
// and body, within `deadline`. Beast's serializer walks the fields through nested buffer views,
// which cost 5 % of a small request's CPU; the bytes are the same. On a plain TCP connection the
// bytes are first written at once, without waiting: a small answer fits the socket's send buffer
// whole, and then no write deadline is armed and nothing goes through the scheduler. What does
// not fit, and everything over TLS, is written asynchronously under the deadline.
template <class Stream>
asio::awaitable<std::tuple<beast::error_code, size_t>> WriteResponse(Stream& stream, const Response& res,
                                                                     std::chrono::milliseconds deadline) {
  std::string head;
  head.reserve(512);
  head += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(res.result_int());
  head += ' ';
  head += res.reason();
  head += "\r\n";
  for (const auto& field : res) {
    head += field.name_string();
    head += ": ";
    head += field.value();
    head += "\r\n";
  }
  head += "\r\n";
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(res.body().view())};
  beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(buffers);
  size_t written = 0;
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    auto& socket = stream.socket();
    beast::error_code ec;
    if (!socket.non_blocking()) socket.non_blocking(true, ec);  // would_block instead of waiting
    if (!ec) written = socket.write_some(buffers, ec);
    if (ec && ec != asio::error::would_block) co_return std::tuple{ec, size_t{0}};
    if (written == asio::buffer_size(buffers)) co_return std::tuple{beast::error_code{}, written};
    rest.consume(written);
  }
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(deadline);
  auto [ec, n] = co_await asio::async_write(stream, rest, kTuple);
  lowest.expires_never();
  co_return std::tuple{ec, written + n};
}

// Reads into `buffer` until it holds a whole request head (through the first blank line); returns
// the head's length. (asio::async_read_until would copy a beast::flat_buffer: hence this loop.)
template <class Stream>
asio::awaitable<std::tuple<beast::error_code, size_t>> ReadHead(Stream& stream, beast::flat_buffer& buffer) {
  size_t scanned = 0;
  for (;;) {
    std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
    const size_t at = data.find("\r\n\r\n", scanned > 3 ? scanned - 3 : 0);
    if (at != std::string_view::npos) co_return std::tuple{beast::error_code{}, at + 4};
    scanned = data.size();
    if (buffer.size() >= buffer.max_size()) co_return std::tuple{beast::error_code(beast_http::error::header_limit), 0};
    // Small reads while a head is short (most are under 4 KiB), 64 KiB ones once it is long.
    const size_t want = buffer.size() < 4096 ? 4096 : 64 * 1024;
    auto [ec, n] = co_await stream.async_read_some(
        buffer.prepare(std::min<size_t>(want, buffer.max_size() - buffer.size())), kTuple);
    if (ec) co_return std::tuple{ec, size_t{0}};
    buffer.commit(n);
  }
}

// The request-target of the request line at the start of `buffer`, once that line has ended.
inline std::optional<std::string_view> LineTarget(const beast::flat_buffer& buffer) {
  std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
  while (data.starts_with("\r\n")) data.remove_prefix(2);
  const size_t eol = data.find("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;
  std::string_view line = data.substr(0, eol);
  const size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 <= sp1) return std::nullopt;
  return line.substr(sp1 + 1, sp2 - sp1 - 1);
}

struct ReadResult {
  beast::error_code ec;
  std::optional<std::string> framing;  // set: the head is ambiguous (400, close); no body was read
  std::optional<std::string> target;   // the request line's target, once that line was read
};

// Reads one request head, whole, and checks its framing (framing.hpp); no body byte is read.
template <class Stream>
asio::awaitable<ReadResult> ReadRequest(Stream& stream, beast::flat_buffer& buffer,
                                        beast_http::request_parser<beast_http::string_body>& parser) {
  auto [uec, head_end] = co_await ReadHead(stream, buffer);
  // Kept before Beast consumes the head: an error past the request line is rendered for its path.
  std::optional<std::string> target;
  if (auto t = LineTarget(buffer)) target = std::string(*t);
  if (uec) co_return ReadResult{uec, {}, std::move(target)};
  std::string_view raw(static_cast<const char*>(buffer.data().data()), head_end);
  if (auto bad = RawHeadError(raw)) co_return ReadResult{{}, std::move(bad), std::move(target)};
  // The whole head is in the buffer: parsed in place (the stream's read would go through the
  // scheduler to find what is already here). Leading blank lines can leave Beast wanting more.
  beast::error_code ec;
  parser.eager(false);
  buffer.consume(parser.put(asio::buffer(buffer.data().data(), head_end), ec));
  if (ec == beast_http::error::need_more) std::tie(ec, std::ignore) = co_await beast_http::async_read_header(stream, buffer, parser, kTuple);
  if (ec) co_return ReadResult{ec, {}, std::move(target)};
  if (auto bad = FramingError(parser.get().base())) co_return ReadResult{{}, std::move(bad), std::move(target)};
  co_return ReadResult{{}, {}, std::move(target)};
}

// Feeds the body bytes already in `buffer` to `parser` (no read): a body that came with its head
// is parsed in place. An error only for a bad or too large body; done or not, the caller checks.
inline beast::error_code FeedBuffered(beast::flat_buffer& buffer, beast_http::request_parser<beast_http::string_body>& parser) {
  parser.eager(true);
  while (buffer.size() > 0 && !parser.is_done()) {
    beast::error_code ec;
    const size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == beast_http::error::need_more || (!ec && used == 0)) break;
    if (ec) return ec;
  }
  return {};
}

// Reads the rest of the body of an admitted request whose head `parser` holds, once FeedBuffered
// has parsed what already arrived. Honours "Expect: 100-continue" (curl sends it for bodies over
// 1 MiB and otherwise waits a second before sending the body).
template <class Stream>
asio::awaitable<beast::error_code> ReadBody(Stream& stream, beast::flat_buffer& buffer,
                                            beast_http::request_parser<beast_http::string_body>& parser) {
  if (parser.is_done()) co_return beast::error_code{};
  const auto& req = parser.get();
  if (req.version() >= 11 && beast::iequals(req[beast_http::field::expect], "100-continue")) {
    beast_http::response<beast_http::empty_body> cont{Status::continue_, 11};
    auto [wec, wn] = co_await beast_http::async_write(stream, cont, kTuple);
    if (wec) co_return wec;
  }
  auto [bec, bn] = co_await beast_http::async_read(stream, buffer, parser, kTuple);
  co_return bec;
}

}  // namespace rampart::http::message_io
