#pragma once
// The ThreatSTOP v4.0 error shape, used for every error the v4.0 API and the server return:
// {"additional_info":{"detail":"…","error_code":N},"error_description":"…","status_code":S}
// This is the only place rampart's error vocabulary (base/result.hpp) meets ThreatSTOP's numbers.
#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::api {

struct ThreatstopCode {
  int code = 10100;
  http::Status status = http::Status::internal_server_error;
};
// The code and status ThreatSTOP documents for the error (a reason first, else its class).
ThreatstopCode ThreatstopCodeFor(const Error& e);

http::Response RenderThreatstopError(const Error& e, unsigned http_version = 11);
const char* DescribeCode(int code);

}  // namespace rampart::api
