#pragma once
// HTTP/1.1 server: accepts connections (optionally TLS), reads requests with limits, hands each
// to the application handler and writes responses in request order (keep-alive and pipelining).
// It knows nothing about the APIs: protocol-level failures are rendered by `ErrorRenderer` so
// that they come out in the API's error shape.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::http {

struct ServerLimits {
  size_t header_bytes = 16 * 1024;
  size_t body_bytes = 16 * 1024 * 1024;
  std::chrono::milliseconds read_timeout{30000};  // the whole request, head and body
  size_t max_connections = 10000;
  // One client address (IPv6: its /64) may hold at most this many connections (0: no cap), so one
  // client cannot take every slot; addresses `exempt` says yes to (load balancers) are not counted.
  size_t max_connections_per_client = 256;
  std::function<bool(const boost::asio::ip::address&)> exempt;
  std::chrono::milliseconds head_timeout{10000};  // the request line and headers (408 past it)
  // How long a kept connection may wait for its next request; past it the server closes it
  // quietly. Longer than an agent's heartbeat interval (30 s), so agents keep their connections.
  std::chrono::milliseconds keepalive_timeout{75000};
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&&, const ConnectionInfo&)>;

// An Admitter that admits every request to `handler` (tests, and applications without auth).
Admitter AdmitAll(Handler handler);
// Renders a protocol error (408, 413, 431, 400, 503) for a request that never reached the
// application. `target` is the request-target once the request line has been read (the renderer
// picks that path's API error shape), nullopt before (at accept, or a line that never ended).
using ErrorRenderer = std::function<Response(const Error&, std::optional<std::string_view> target)>;

// Picks the executor a new connection runs on. With one io_context per thread (what app/ does)
// it hands them out round-robin and a connection never needs a strand; with a single
// multi-threaded io_context it must return a strand.
using ExecutorPicker = std::function<boost::asio::any_io_executor()>;

class Server {
 public:
  // `ioc` runs the acceptor.
  // `tls` null: plain HTTP; else TLS with this context until SetTls replaces it.
  Server(boost::asio::io_context& ioc, ExecutorPicker pick, ServerLimits limits, Admitter admit,
         ErrorRenderer errors, std::shared_ptr<boost::asio::ssl::context> tls);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting; returns the bound port (useful with port 0).
  Result<uint16_t> Listen(const boost::asio::ip::tcp::endpoint& ep);
  // Stops accepting; idle connections are closed, busy ones finish their current response.
  void Stop();
  // New TLS connections use `ctx` (re-read certificate files); connections already open keep
  // theirs. Only for a server built with TLS. Thread-safe.
  void SetTls(std::shared_ptr<boost::asio::ssl::context> ctx);
  size_t active_connections() const;

  struct State;  // shared with sessions (public for the session implementation in server.cpp)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace rampart::http
