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
#include <vector>

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

// `{"<collection>":[doc,…],"token":<string|null>}` for one page. `rows` holds up to page_size + 1
// records (newest first, each with `doc`, `id`, `created_at_ms`): the extra one only says that
// another page exists, and the token then points after the last row shown.
template <class Row>
std::string PageBody(std::string_view collection, std::vector<Row>& rows, size_t page_size,
                     const PageTokenCodec& codec, const std::string& filter) {
  const bool more = rows.size() > page_size;
  if (more) rows.resize(page_size);
  size_t bytes = collection.size() + 2 * filter.size() + 256;  // the frame and a token (base64 of more)
  for (const Row& r : rows) bytes += r.doc.size() + 1;
  std::string body;
  body.reserve(bytes);
  body += "{\"";
  body += collection;
  body += "\":[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) body += ',';
    body += rows[i].doc;
  }
  body += "],\"token\":";
  body += more ? '"' + codec.Encode({rows.back().id, rows.back().created_at_ms, filter}) + '"' : std::string("null");
  body += '}';
  return body;
}

}  // namespace rampart::telemetry
