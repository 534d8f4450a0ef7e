#pragma once
// Cursor tokens for v2 list endpoints: keyset position (createdAt, id) of the last item returned
// plus the query's filter state, so that a follow-up request sending only `?token=` continues
// the same query. Tamper-evident (HMAC under a server key). The encoded text is standard base64
// of characters drawn only from [0-9a-f,:.TZ-], which never yields '+' or '/': clients that paste
// the token into URLs unencoded keep working.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::telemetry {

struct PageCursor {
  std::string last_id;     // the id of the last item on the previous page
  int64_t last_created_ms = 0;
  std::string filter;      // opaque filter state (any bytes)
};

class PageTokenCodec {
 public:
  explicit PageTokenCodec(std::string key) : key_(std::move(key)) {}
  std::string Encode(const PageCursor& c) const;
  // nullopt for anything not produced by Encode with this key.
  std::optional<PageCursor> Decode(std::string_view token) const;

 private:
  std::string key_;
};

}  // namespace rampart::telemetry
