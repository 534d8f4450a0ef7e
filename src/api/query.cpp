#include "api/query.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>

#include <charconv>

#include "base/strings.hpp"
#include "userlists/values.hpp"

namespace rampart::api {

std::optional<Error> CheckQuery(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    if (!boost::urls::make_pct_string_view(part)) {
      const std::string_view name = part.substr(0, part.find('='));
      return Error::Invalid("query parameter " + QuoteForDetail(name.substr(0, 64)) + " is not valid percent-encoding");
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  if (!boost::urls::parse_origin_form(target)) {
    return Error::Invalid("the request-target's query is malformed");
  }
  return std::nullopt;
}

std::optional<std::string> QueryParam(const http::Request& req, std::string_view name) {
  auto url = boost::urls::parse_origin_form(req.target());
  if (!url) return std::nullopt;
  auto params = url->params();
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

Result<int64_t> IntParam(const http::Request& req, std::string_view name, int64_t def, int64_t lo, int64_t hi) {
  auto v = QueryParam(req, name);
  if (!v) return def;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < lo || n > hi) {
    return Error::Invalid(std::string(name) + " must be an integer from " +
                                                               std::to_string(lo) + " to " + std::to_string(hi));
  }
  return n;
}

}  // namespace rampart::api
