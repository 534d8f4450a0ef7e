#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace rampart::api {

// The percent-decoded value of ?name=… in the request target; nullopt when absent or when the
// target is not a valid origin-form.
std::optional<std::string> QueryParam(const http::Request& req, std::string_view name);

}  // namespace rampart::api
