#pragma once
// Threat Stack `from`/`until` values: ISO-8601 as clients really send them — a date, date+hour,
// +minutes, +seconds, any fraction, `Z` or a ±HH:MM / ±HHMM offset; no zone means UTC.
// (Percent-decoding happens before, with the rest of the query.)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::telemetry {

// Unix milliseconds, or nullopt when the text is not one of the accepted forms.
std::optional<int64_t> ParseInstant(std::string_view text);
// "2019-05-26T15:54:28.452Z"
std::string FormatInstant(int64_t unix_ms);

}  // namespace rampart::telemetry
