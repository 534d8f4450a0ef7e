#pragma once
// A proleptic-Gregorian calendar date (UTC), stored as days since 1970-01-01.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"

namespace rampart {

class Date {
 public:
  Date() = default;
  // Returns nullopt unless y/m/d names a real day in years 1..9999.
  static std::optional<Date> FromYmd(int y, int m, int d);
  static Date FromDays(int64_t days) { return Date(days); }
  // The UTC calendar day containing t.
  static Date Of(SysTime t);
  // The UTC calendar day containing the Unix time `secs` (any int64, no overflow).
  static Date FromUnixSeconds(int64_t secs);

  int64_t days() const { return days_; }
  std::string ToString() const;  // YYYY-MM-DD
  // First instant of the next day; saturates at SysTime::max() for days past its range
  // (system_clock counts nanoseconds, so about year 2262).
  SysTime EndOfDay() const;

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  explicit Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

// Strict YYYY-MM-DD.
std::optional<Date> ParseIsoDate(std::string_view s);

}  // namespace rampart
