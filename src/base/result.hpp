#pragma once
// Error values for the request path. Everything below the HTTP layer returns Result<T>;
// exactly one function (api/errors.cpp) maps an Error to an HTTP status and body.
#include <boost/system/result.hpp>

#include <string>
#include <utility>

namespace rampart {

// Error classes. The HTTP status is derived from the class, never chosen by a handler.
enum class Errc {
  kInvalidArgument,       // 400
  kUnauthenticated,       // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kTimeout,               // 408
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kHeadersTooLarge,       // 431
  kUnavailable,           // 503
  kInternal,              // 500
};

// `ext` is the API's extended error code (ThreatSTOP 1xxxx/19xxx), 0 when none applies.
// `detail` names the offending value; it must never contain a secret.
struct Error {
  Errc code = Errc::kInternal;
  int ext = 0;
  std::string detail;

  static Error Invalid(int ext, std::string detail) { return {Errc::kInvalidArgument, ext, std::move(detail)}; }
  static Error NotFound(int ext, std::string detail) { return {Errc::kNotFound, ext, std::move(detail)}; }
  static Error Internal(std::string detail) { return {Errc::kInternal, 10100, std::move(detail)}; }
  static Error Unavailable(std::string detail) { return {Errc::kUnavailable, 10100, std::move(detail)}; }
};

template <class T>
using Result = boost::system::result<T, Error>;

// Lets boost::system::result<T, Error>::value() throw when misused (a programming error).
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace rampart

// Propagates the error of a Result-returning expression; otherwise yields its value.
#define RAMPART_TRY(var, expr)                   \
  auto var##_result_ = (expr);                   \
  if (!var##_result_) return var##_result_.error(); \
  auto var = std::move(*var##_result_)

#define RAMPART_CHECK(expr)                    \
  do {                                         \
    auto _r = (expr);                          \
    if (!_r) return _r.error();                \
  } while (0)
