#pragma once
// Keyset paging bounds shared by every newest-first listing: the query reads one index range,
// `created_at_ms >= lower AND (created_at_ms, id) < upper`, so a deep page costs what the first does.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace rampart::store::sqlite {

inline constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max();  // open bounds: no stored
inline constexpr int64_t kMinMs = std::numeric_limits<int64_t>::min();  // time is this far out

// The exclusive upper bound: the tighter of the cursor and an inclusive `until` (as (until + 1, "")).
inline std::pair<int64_t, std::string> KeysetUpper(const std::optional<int64_t>& until_ms,
                                                   const std::optional<std::pair<int64_t, std::string>>& after) {
  std::pair<int64_t, std::string> upper{kMaxMs, ""};
  if (until_ms && *until_ms < kMaxMs) upper = {*until_ms + 1, ""};
  if (after && *after < upper) upper = *after;
  return upper;
}

}  // namespace rampart::store::sqlite
