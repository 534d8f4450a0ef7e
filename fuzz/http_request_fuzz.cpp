// Untrusted HTTP request bytes: Beast's parser with rampart's limits, then everything rampart
// derives from the request before a handler runs (path segments, routing, bearer parsing).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>

#include "auth/bearer.hpp"
#include "http/router.hpp"

using namespace rampart;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  const auto& req = parser.get();
  static const http::Router<int> router = [] {
    http::Router<int> r;
    r.Add(http::Verb::get, "/v4.0/user_ip_lists", 1);
    r.Add(http::Verb::get, "/v4.0/user_ip_lists/{id}", 2);
    r.Add(http::Verb::get, "/v4.0/user_ip_lists/{id}/history", 3);
    return r;
  }();
  auto match = router.Find(req.method(), http::PathSegments(req.target()));
  if (match.value && *match.value == 2 && match.params.size() != 1) __builtin_trap();
  auto header = req[bhttp::field::authorization];
  if (header.size() > 7) (void)auth::SplitToken(header.substr(7));
  return 0;
}
