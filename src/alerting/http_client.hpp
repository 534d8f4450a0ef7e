#pragma once
// A small outbound HTTP(S) POST for alert delivery: resolve, refuse destinations rampart must not
// send to (net::RefusedDestination, checked on the resolved address so a name cannot point it at
// a metadata service), connect, send, read the status (the body is read up to 64 KiB and
// dropped), all within one deadline. HTTPS verifies the receiver's certificate and name against
// the system's trust store (or `ca_file`).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "net/ip_address.hpp"

namespace rampart::alerting {

struct PostPolicy {
  std::chrono::milliseconds timeout{10000};
  std::vector<net::IpNetwork> denied = {};  // webhook_denied_networks
  boost::asio::ssl::context* tls = nullptr;  // for https://
};

struct PostOutcome {
  int status = 0;     // the receiver's HTTP status; 0 when there was none
  std::string error;  // why not, when status is 0
};

boost::asio::awaitable<PostOutcome> PostJson(std::string url, std::string body,
                                             std::vector<std::pair<std::string, std::string>> headers,
                                             const PostPolicy& policy);

}  // namespace rampart::alerting
