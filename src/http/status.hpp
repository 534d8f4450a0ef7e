#pragma once
#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::http {

// The one mapping from error class to HTTP status. Bodies are rendered per API in api/.
inline Status StatusFor(Errc c) {
  switch (c) {
    case Errc::kInvalidArgument: return Status::bad_request;
    case Errc::kUnauthenticated: return Status::unauthorized;
    case Errc::kForbidden: return Status::forbidden;
    case Errc::kNotFound: return Status::not_found;
    case Errc::kMethodNotAllowed: return Status::method_not_allowed;
    case Errc::kTimeout: return Status::request_timeout;
    case Errc::kPayloadTooLarge: return Status::payload_too_large;
    case Errc::kUnsupportedMediaType: return Status::unsupported_media_type;
    case Errc::kHeadersTooLarge: return Status::request_header_fields_too_large;
    case Errc::kUnavailable: return Status::service_unavailable;
    case Errc::kInternal: return Status::internal_server_error;
  }
  return Status::internal_server_error;
}

}  // namespace rampart::http
