#pragma once
// Error values for the request path, in a vocabulary of rampart's own: no backend's codes (SQLite's
// constraint numbers) and no API's (ThreatSTOP's 1xxxx, Threat Stack's messages) below api/.
// Everything below the HTTP layer returns Result<T>; api/errors.cpp alone turns an Error into a
// surface's status and body.
#include <boost/system/result.hpp>

#include <string>
#include <utility>

namespace rampart {

// What went wrong, as a client would act on it.
enum class Errc {
  kInvalid,               // the request, or a value in it, is not acceptable
  kUnauthorized,          // no credentials
  kForbidden,             // credentials refused, or not allowed to do this
  kNotFound,              // no such object (or route)
  kConflict,              // a unique name or key is taken
  kInUse,                 // the object is used by another and cannot go
  kTooLarge,              // a body, a header block or a collection is past its limit
  kRateLimited,           // too many requests: retry later
  kUnavailable,           // transient (the store, a slot, a connection cap): retry
  kInternal,              // a bug or a broken invariant: logged, never detailed to the client
  kMethodNotAllowed,      // HTTP: the route exists, the method does not
  kTimeout,               // HTTP: the request did not arrive in time
  kUnsupportedMediaType,  // HTTP: the body's Content-Type
};

// Finer detail a surface may need to pick its own code (api/errors.cpp maps it), named for what
// happened, not for any API's number.
enum class Reason {
  kNone,
  kMalformed,           // the body or the message cannot be parsed at all
  kNoRoute,             // no such service (as opposed to no such object)
  kIdInCollectionPost,  // POST with an object id in the URL
  kCollectionDelete,    // DELETE on a collection
  kBadCredentials,      // unknown, malformed or revoked credentials, or a client network not allowed
  kExpiredCredentials,
  kTooManyEntries,      // a list past its entry or address limit
  kForbiddenNetwork,    // a private or special-purpose network, or a span too large
  kDomainTooLong,
  kNotAnAddress,        // a value that is not an address of the list's kind
  kHeaderBlock,         // the request's header block is too large
};

// `detail` names the offending value; it must never contain a secret.
struct Error {
  Errc code = Errc::kInternal;
  Reason reason = Reason::kNone;
  std::string detail;

  static Error Invalid(std::string detail) { return {Errc::kInvalid, Reason::kNone, std::move(detail)}; }
  static Error Invalid(Reason r, std::string detail) { return {Errc::kInvalid, r, std::move(detail)}; }
  static Error NotFound(std::string detail) { return {Errc::kNotFound, Reason::kNone, std::move(detail)}; }
  static Error Conflict(std::string detail) { return {Errc::kConflict, Reason::kNone, std::move(detail)}; }
  static Error InUse(std::string detail) { return {Errc::kInUse, Reason::kNone, std::move(detail)}; }
  static Error TooLarge(Reason r, std::string detail) { return {Errc::kTooLarge, r, std::move(detail)}; }
  static Error Forbidden(std::string detail) { return {Errc::kForbidden, Reason::kNone, std::move(detail)}; }
  static Error Internal(std::string detail) { return {Errc::kInternal, Reason::kNone, std::move(detail)}; }
  static Error Unavailable(std::string detail) { return {Errc::kUnavailable, Reason::kNone, std::move(detail)}; }
};

// "invalid", "not_found", …: the class as logs name it.
const char* ErrcName(Errc c);

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
