#include "api/errors.hpp"

#include <boost/json.hpp>

#include "http/status.hpp"

namespace rampart::api {

const char* DescribeCode(int ext) {
  switch (ext) {
    case 10000: return "Service not found";
    case 10001: return "Method not allowed";
    case 10003: return "Request not understood";
    case 10100: return "Internal error";
    case 10300: return "Object not found";
    case 10301: return "POST request with an Object ID";
    case 10303: return "Collection deletion error";
    case 11000: return "No auth token provided";
    case 11001: return "Invalid auth token";
    case 11002: return "Expired auth token";
    case 11011: return "Permission denied";
    case 11400: return "Bad parameters in request";
    case 11401: return "Content-Type not supported";
    case 19000: return "User List name already in use";
    case 19011: return "Exceed maximum number of addresses";
    case 19012: return "Request included forbidden network entry";
    case 19013: return "Domains exceeded the maximum length (200 char)";
    case 19050: return "Invalid address type in request";
    default: return "Error";
  }
}

http::Response RenderThreatstopError(const Error& e, unsigned http_version) {
  http::Status status = http::StatusFor(e.code);
  int ext = e.ext != 0 ? e.ext : 10100;
  // Internal details stay in the log; the client gets a generic text.
  std::string detail = e.code == Errc::kInternal ? "internal server error" : e.detail;
  if (e.code == Errc::kUnavailable) detail = "service temporarily unavailable";
  if (e.code == Errc::kUnavailable && e.detail == "too many connections") detail = e.detail;
  boost::json::object body{
      {"additional_info", boost::json::object{{"detail", detail}, {"error_code", ext}}},
      {"error_description", DescribeCode(ext)},
      {"status_code", static_cast<int>(status)},
  };
  http::Response res{status, http_version};
  res.set(http::beast_http::field::content_type, "application/json");
  res.body() = boost::json::serialize(body);
  return res;
}

}  // namespace rampart::api
