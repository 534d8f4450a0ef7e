#include "api/errors.hpp"

#include <boost/json.hpp>

#include <optional>

#include "http/status.hpp"

namespace rampart::api {

namespace {
using S = http::Status;

std::optional<ThreatstopCode> ForReason(const Error& e) {
  switch (e.reason) {
    case Reason::kNone: return std::nullopt;
    case Reason::kMalformed: return ThreatstopCode{10003, http::StatusFor(e)};
    case Reason::kNoRoute: return ThreatstopCode{10000, S::not_found};
    case Reason::kIdInCollectionPost: return ThreatstopCode{10301, S::bad_request};
    case Reason::kCollectionDelete: return ThreatstopCode{10303, S::method_not_allowed};
    case Reason::kBadCredentials: return ThreatstopCode{11001, S::forbidden};
    case Reason::kExpiredCredentials: return ThreatstopCode{11002, S::forbidden};
    case Reason::kTooManyEntries: return ThreatstopCode{19011, S::bad_request};
    case Reason::kForbiddenNetwork: return ThreatstopCode{19012, S::bad_request};
    case Reason::kDomainTooLong: return ThreatstopCode{19013, S::bad_request};
    case Reason::kNotAnAddress: return ThreatstopCode{19050, S::bad_request};
    case Reason::kHeaderBlock: return ThreatstopCode{10003, S::request_header_fields_too_large};
  }
  return std::nullopt;
}

}  // namespace

ThreatstopCode ThreatstopCodeFor(const Error& e) {
  if (auto by_reason = ForReason(e)) return *by_reason;
  switch (e.code) {
    case Errc::kInvalid: return {11400, S::bad_request};
    case Errc::kUnauthorized: return {11000, S::unauthorized};
    case Errc::kForbidden: return {11011, S::forbidden};
    case Errc::kNotFound: return {10300, S::not_found};
    case Errc::kConflict: return {19000, S::bad_request};
    case Errc::kInUse: return {19060, S::bad_request};
    case Errc::kTooLarge: return {10003, S::payload_too_large};
    case Errc::kRateLimited: return {10100, S::too_many_requests};
    case Errc::kUnavailable: return {10100, S::service_unavailable};
    case Errc::kInternal: return {10100, S::internal_server_error};
    case Errc::kMethodNotAllowed: return {10001, S::method_not_allowed};
    case Errc::kTimeout: return {10003, S::request_timeout};
    case Errc::kUnsupportedMediaType: return {11401, S::unsupported_media_type};
  }
  return {};
}

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
    case 19060: return "Object in use";
    default: return "Error";
  }
}

http::Response RenderThreatstopError(const Error& e, unsigned http_version) {
  const auto [ext, status] = ThreatstopCodeFor(e);
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
