#pragma once
// JSON from untrusted bytes with the size of what is built bounded while parsing: an array or
// object past `max_items` members stops the parse at that member, so a body of 380,000 entries
// costs the memory of 32,001 before it is refused (a plain parse builds the whole tree first).
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string_view>
#include <system_error>

namespace rampart {

struct JsonLimits {
  size_t max_items = 32000;  // members of any one array or object
  size_t max_depth = 32;
};

// The parsed value, or a null value with `ec` set: a Boost.JSON parse error, or
// std::errc::value_too_large when a container passed `max_items` (see JsonTooLarge).
boost::json::value ParseBoundedJson(std::string_view text, const JsonLimits& limits, boost::system::error_code& ec,
                                    boost::json::storage_ptr sp = {});

inline bool JsonTooLarge(const boost::system::error_code& ec) {
  return ec == std::make_error_code(std::errc::value_too_large);
}

// Deep equality with Boost.JSON's meaning (1 == 1.0 is false, member order does not matter),
// without its cost: Boost 1.81's object comparison copies every member into the default
// allocator (14 allocations for a heartbeat's module health).
bool JsonEqual(const boost::json::value& a, const boost::json::value& b);
bool JsonEqual(const boost::json::object& a, const boost::json::object& b);

}  // namespace rampart
