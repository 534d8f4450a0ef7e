#include "telemetry/v2_time.hpp"

#include <cstdio>

#include "base/date.hpp"

namespace rampart::telemetry {
namespace {

std::optional<int> Digits(std::string_view s, size_t n) {
  if (s.size() < n) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<int64_t> ParseInstant(std::string_view t) {
  auto day = ParseIsoDate(t.substr(0, 10));
  if (!day) return std::nullopt;
  int64_t ms = day->days() * 86400000;
  std::string_view rest = t.substr(10);
  if (!rest.empty() && (rest[0] == 'T' || rest[0] == 't' || rest[0] == ' ')) {
    rest.remove_prefix(1);
    auto hh = Digits(rest, 2);
    if (!hh || *hh > 23) return std::nullopt;
    ms += *hh * 3600000LL;
    rest.remove_prefix(2);
    if (!rest.empty() && rest[0] == ':') {
      auto mm = Digits(rest.substr(1), 2);
      if (!mm || *mm > 59) return std::nullopt;
      ms += *mm * 60000LL;
      rest.remove_prefix(3);
      if (!rest.empty() && rest[0] == ':') {
        auto ss = Digits(rest.substr(1), 2);
        if (!ss || *ss > 60) return std::nullopt;
        ms += *ss * 1000LL;
        rest.remove_prefix(3);
        if (!rest.empty() && (rest[0] == '.' || rest[0] == ',')) {
          size_t i = 1;
          int64_t frac_ms = 0, scale = 100;
          while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
            frac_ms += (rest[i] - '0') * scale;  // digits past milliseconds are truncated
            scale /= 10;
            ++i;
          }
          if (i == 1) return std::nullopt;
          ms += frac_ms;
          rest.remove_prefix(i);
        }
      }
    }
  }
  if (rest.empty()) return ms;  // no zone: UTC
  if (rest == "Z" || rest == "z") return ms;
  // A space where the sign belongs is a '+' that a URL query decoded (the official CLI puts
  // "+01:00" into URLs unencoded). Only reached after a time, so it is not the date/time space.
  if (rest[0] != '+' && rest[0] != '-' && rest[0] != ' ') return std::nullopt;
  const int sign = rest[0] == '-' ? -1 : 1;
  rest.remove_prefix(1);
  auto oh = Digits(rest, 2);
  if (!oh || *oh > 23) return std::nullopt;
  rest.remove_prefix(2);
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
  std::optional<int> om = rest.empty() ? std::optional<int>(0) : Digits(rest, 2);
  if (!om || *om > 59 || (rest.size() != 0 && rest.size() != 2)) return std::nullopt;
  return ms - sign * (*oh * 3600000LL + *om * 60000LL);
}

std::string FormatInstant(int64_t unix_ms) {
  int64_t days = unix_ms >= 0 ? unix_ms / 86400000 : -((-unix_ms + 86399999) / 86400000);
  int64_t in_day = unix_ms - days * 86400000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", Date::FromDays(days).ToString().c_str(),
                static_cast<int>(in_day / 3600000), static_cast<int>(in_day / 60000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return buf;
}

}  // namespace rampart::telemetry
