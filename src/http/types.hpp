#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "http/text_body.hpp"

namespace rampart::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<TextBody>;
using Status = beast_http::status;
using Verb = beast_http::verb;

struct ConnectionInfo {
  std::string remote_address;
  bool tls = false;
};

// What the application decides on a request's head, before any body byte is read: refuse it
// (`answer`; a body it announced is never read, and the connection is closed after the answer),
// or admit it (`handle` runs on the whole request once the body is in).
struct Admission {
  std::optional<Response> answer;
  uint64_t body_limit = 0;  // admitted: the body limit when smaller than the server's (0: the server's)
  std::function<boost::asio::awaitable<Response>(Request&&)> handle;
};
// `head` is the request with its head parsed and an empty body.
using Admitter = std::function<boost::asio::awaitable<Admission>(const Request& head, const ConnectionInfo&)>;

}  // namespace rampart::http
