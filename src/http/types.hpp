#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

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

}  // namespace rampart::http
