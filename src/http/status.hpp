#pragma once
#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::http {

// The HTTP status an error class has unless a surface says otherwise (api/errors.cpp: ThreatSTOP
// answers a taken name with 400/19000, for one). The server uses it for its own protocol errors.
inline Status StatusFor(const Error& e) {
  switch (e.code) {
    case Errc::kInvalid: return Status::bad_request;
    case Errc::kUnauthorized: return Status::unauthorized;
    case Errc::kForbidden: return Status::forbidden;
    case Errc::kNotFound: return Status::not_found;
    case Errc::kConflict: return Status::conflict;
    case Errc::kInUse: return Status::conflict;
    case Errc::kTooLarge:
      return e.reason == Reason::kHeaderBlock ? Status::request_header_fields_too_large : Status::payload_too_large;
    case Errc::kRateLimited: return Status::too_many_requests;
    case Errc::kUnavailable: return Status::service_unavailable;
    case Errc::kInternal: return Status::internal_server_error;
    case Errc::kMethodNotAllowed: return Status::method_not_allowed;
    case Errc::kTimeout: return Status::request_timeout;
    case Errc::kUnsupportedMediaType: return Status::unsupported_media_type;
  }
  return Status::internal_server_error;
}

}  // namespace rampart::http
