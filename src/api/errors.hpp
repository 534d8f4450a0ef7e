#pragma once
// The ThreatSTOP v4.0 error shape, used for every error the v4.0 API and the server return:
// {"additional_info":{"detail":"…","error_code":N},"error_description":"…","status_code":S}
#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::api {

http::Response RenderThreatstopError(const Error& e, unsigned http_version = 11);
const char* DescribeCode(int ext);

}  // namespace rampart::api
