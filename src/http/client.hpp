#pragma once
// rampart's outbound HTTP(S) client, for rampart-agent and `rampart call`: one request at a time,
// every step (name, connect, handshake, write, read) under one deadline. The connection is kept
// between requests (an agent heartbeats every 30 s: a new TCP and TLS handshake each time would
// cost the server more than the heartbeat), and a kept one the server closed meanwhile is
// replaced: a request that failed on a reused connection before any reply byte came is sent once
// more on a new one, so callers' requests must bear a repeat (the agent's do: batches are
// deduplicated by sequence, heartbeats and inventories restate state). HTTPS verifies the
// server's certificate and name against the system trust store or `ca_file`; plain HTTP only to
// this host (keys and bodies would cross the network in the clear). Replies are read up to
// `max_reply`. Thread-safe (one request at a time).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace rampart::http {

struct Reply {
  int status = 0;     // 0: no reply (see error)
  std::string error;  // why there was none
  std::string body, content_type, server_authorization, retry_after, www_authenticate;
};

// A Reply that never came, and why.
inline Reply NoReply(std::string why) {
  Reply r;
  r.error = std::move(why);
  return r;
}

struct Outgoing {
  std::string method = "GET";  // any verb
  std::string target;  // path and query
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::string content_type = {};
  std::string body = {};
};

class Transport {
 public:
  // Invalid for a URL that is not http:// or https:// with a host; Unavailable when `ca_file`
  // cannot be read.
  static Result<std::unique_ptr<Transport>> Create(const std::string& base_url, const std::string& ca_file,
                                                   std::chrono::milliseconds timeout, std::string user_agent);
  void set_max_reply(size_t bytes) { max_reply_ = bytes; }  // 1 MiB unless set
  ~Transport();
  Reply Send(const Outgoing& out);
  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }
  // Connections opened so far (tests: a kept connection is reused).
  size_t connections_opened() const { return opened_; }

 private:
  struct Tls;
  struct Conn;
  struct Exchanged;
  Transport();
  boost::asio::awaitable<Reply> SendAsync(boost::beast::http::request<boost::beast::http::string_body>& req);
  boost::asio::awaitable<std::string> Connect();  // empty, or why not
  template <class Stream>
  boost::asio::awaitable<Exchanged> Exchange(Stream& stream, boost::beast::http::request<boost::beast::http::string_body>& req);
  boost::asio::awaitable<Exchanged> ExchangeOnConn(boost::beast::http::request<boost::beast::http::string_body>& req);
  std::mutex mu_;
  std::unique_ptr<boost::asio::io_context> io_;
  std::unique_ptr<Conn> conn_;  // the kept connection, if any
  size_t opened_ = 0;
  std::string host_, port_, base_path_;
  bool tls_ = false;
  std::chrono::milliseconds timeout_{10000};
  std::string user_agent_;
  size_t max_reply_ = 1 << 20;
  std::unique_ptr<Tls> ctx_;
};

}  // namespace rampart::http
