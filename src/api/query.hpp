#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "http/types.hpp"

namespace rampart::api {

// Why the query of `target` cannot be read (a bad percent-escape, a character a query may not
// hold), naming the parameter; nullopt when it can. Checked once per request (RouteStage), so
// that a parameter never silently reads as absent and drops its filter.
std::optional<Error> CheckQuery(std::string_view target);

// The percent-decoded value of ?name=… in the request target ('+' reads as a space); nullopt when
// absent. The target has passed CheckQuery.
std::optional<std::string> QueryParam(const http::Request& req, std::string_view name);

// ?name= as an integer in [lo, hi] (`def` when absent); 400 naming the range otherwise.
Result<int64_t> IntParam(const http::Request& req, std::string_view name, int64_t def, int64_t lo, int64_t hi);

}  // namespace rampart::api
