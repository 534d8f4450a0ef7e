#include "base/result.hpp"

#include <stdexcept>

namespace rampart {

const char* ErrcName(Errc c) {
  switch (c) {
    case Errc::kInvalid: return "invalid";
    case Errc::kUnauthorized: return "unauthorized";
    case Errc::kForbidden: return "forbidden";
    case Errc::kNotFound: return "not_found";
    case Errc::kConflict: return "conflict";
    case Errc::kInUse: return "in_use";
    case Errc::kTooLarge: return "too_large";
    case Errc::kRateLimited: return "rate_limited";
    case Errc::kUnavailable: return "unavailable";
    case Errc::kInternal: return "internal";
    case Errc::kMethodNotAllowed: return "method_not_allowed";
    case Errc::kTimeout: return "timeout";
    case Errc::kUnsupportedMediaType: return "unsupported_media_type";
  }
  return "internal";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::logic_error("unchecked Result error: " + e.detail);
}

}  // namespace rampart
