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

// ThreatSTOP extended error codes used by the user lists API.
namespace code {
inline constexpr int kMethodNotAllowed = 10001;
inline constexpr int kBadRequest = 10003;
inline constexpr int kNotFound = 10300;
inline constexpr int kObjectIdInPost = 10301;
inline constexpr int kCollectionDelete = 10303;
inline constexpr int kNoToken = 11000;
inline constexpr int kInvalidToken = 11001;
inline constexpr int kExpiredToken = 11002;
inline constexpr int kPermissionDenied = 11011;
inline constexpr int kBadParameters = 11400;
inline constexpr int kContentType = 11401;
inline constexpr int kNameInUse = 19000;
inline constexpr int kTooManyRecords = 19011;
inline constexpr int kForbiddenNetwork = 19012;
inline constexpr int kDomainTooLong = 19013;
inline constexpr int kInvalidAddress = 19050;
// rampart's own: the object is used by another (a list by a policy, a policy by a device).
inline constexpr int kInUse = 19060;
}  // namespace code

struct EntryValue {
  std::string value;         // normalized text
  std::string address_type;  // ip | netmask | range | domain
  net::U128 size = 1;        // addresses covered
  std::optional<net::IpRange> span;  // IP entries only
};

// Detects the address type and normalizes. 19050 when the value is not an address of the
// list's kind, 19012 for forbidden networks, 19013 for domains longer than 200 characters.
Result<EntryValue> ParseEntryValue(ListKind kind, std::string_view raw);

// Why an IP span may not be listed (RFC 1918, special-purpose, too large), or nullopt.
std::optional<std::string> ForbiddenReason(const net::IpRange& r);

enum class DateOrder { kMdy, kDmy };

// YYYY-MM-DD, full ISO-8601 date-times (the UTC day of the instant), or slash dates: a first
// number above 12 means DD/MM/YYYY, otherwise `order` decides. 11400 when malformed.
Result<Date> ParseExpiryDate(std::string_view raw, DateOrder order);

}  // namespace rampart::userlists
