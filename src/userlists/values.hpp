#pragma once
// Entry values and dates as ThreatSTOP clients send them, parsed once at the edge into typed,
// normalized values. Every rejection carries the documented extended code and names the value.
#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "net/ip_address.hpp"

namespace rampart::userlists {

enum class ListKind { kIp, kDomain };

inline const char* KindName(ListKind k) { return k == ListKind::kIp ? "ip" : "domain"; }

inline constexpr size_t kMaxDomainLength = 200;
inline constexpr size_t kMaxRecords = 32000;


struct EntryValue {
  std::string value;         // normalized text
  std::string address_type;  // ip | netmask | range | domain
  net::U128 size = 1;        // addresses covered
  std::optional<net::IpRange> span;  // IP entries only
};

// Detects the address type and normalizes. Invalid with Reason kNotAnAddress when the value is not
// an address of the list's kind, kForbiddenNetwork for forbidden networks, kDomainTooLong for
// domains longer than 200 characters.
Result<EntryValue> ParseEntryValue(ListKind kind, std::string_view raw);

// Why an IP span may not be listed (RFC 1918, special-purpose, too large), or nullopt.
std::optional<std::string> ForbiddenReason(const net::IpRange& r);

enum class DateOrder { kMdy, kDmy };

// YYYY-MM-DD, full ISO-8601 date-times (the UTC day of the instant), or slash dates: a first
// number above 12 means DD/MM/YYYY, otherwise `order` decides. Invalid when malformed.
Result<Date> ParseExpiryDate(std::string_view raw, DateOrder order);

}  // namespace rampart::userlists
