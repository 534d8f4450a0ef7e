#include "telemetry/v2_write.hpp"

#include "base/json.hpp"
#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace json = boost::json;

store::V2AuditRecord AuditFor(const Actor& a, const char* crud, const char* action, const std::string& description,
                              json::value context) {
  // Time-ordered: audit records written in the same millisecond still list newest first.
  std::string id = crypto::NewObjectId(a.now_ms / 1000);
  json::object doc{{"id", id},          {"userEmail", a.email}, {"userId", a.user_id}, {"organizationId", a.org_id},
                   {"result", "success"}, {"crud", crud},       {"action", action},    {"source", "api"},
                   {"description", description}, {"eventTime", FormatInstant(a.now_ms)}, {"context", std::move(context)}};
  return {a.org_id, id, a.now_ms, json::serialize(doc)};
}

Result<std::string> ListAuditBody(store::V2Store& store, const PageTokenCodec& codec, const std::string& org_id,
                                  const std::optional<std::string>& from, const std::optional<std::string>& until,
                                  const std::optional<std::string>& token) {
  store::TimePageQuery q{org_id, std::nullopt, std::nullopt, std::nullopt, kAuditPageSize + 1};
  auto bound = [](const std::optional<std::string>& text, const char* name) -> Result<std::optional<int64_t>> {
    if (!text) return std::optional<int64_t>();
    auto ms = ParseInstant(*text);
    if (!ms) return Error::Invalid(std::string(name) + " must be an ISO-8601 time (e.g. 2019-05-01T12:34:56Z)");
    return std::optional<int64_t>(*ms);
  };
  RAMPART_TRY(f, bound(from, "from"));
  RAMPART_TRY(u, bound(until, "until"));
  if (f && u && *f > *u) return Error::Invalid("from must not be after until");
  q.from_ms = f;
  q.until_ms = u;
  auto state = [](const store::TimePageQuery& x) {
    return (x.from_ms ? std::to_string(*x.from_ms) : "") + "\n" + (x.until_ms ? std::to_string(*x.until_ms) : "");
  };
  if (token) {
    auto cursor = codec.Decode(*token);
    if (!cursor) return Error::Invalid("invalid pagination token");
    if ((from || until) && state(q) != cursor->filter) {
      return Error::Invalid("query parameters do not match the pagination token");
    }
    const std::string& s = cursor->filter;
    const size_t nl = s.find('\n');
    if (nl == std::string::npos) return Error::Invalid("invalid pagination token");
    if (nl > 0) q.from_ms = std::stoll(s.substr(0, nl));
    if (nl + 1 < s.size()) q.until_ms = std::stoll(s.substr(nl + 1));
    q.after = std::make_pair(cursor->last_created_ms, cursor->last_id);
  }
  RAMPART_TRY(rows, store.ListV2Audit(q));
  return PageBody("recs", rows, kAuditPageSize, codec, state(q));
}

Result<json::object> BodyObject(std::string_view body, json::storage_ptr sp) {
  json::error_code ec;
  // One past the longest list a v2 body may carry (100,000 alert ids to dismiss), so the field's own
  // validation names it; a longer one stops the parse there, before its memory is spent.
  json::value v = ParseBoundedJson(body, {.max_items = 100001}, ec, std::move(sp));
  if (JsonTooLarge(ec)) return Error::Invalid("the request body has more than 100001 items in one array or object");
  if (ec || !v.is_object()) return Error::Invalid("the request body must be a JSON object");
  return std::move(v.as_object());
}

json::array JsonStrings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

Error InvalidField(const char* key, const std::string& why) {
  return Error::Invalid("Validation failed: body has invalid " + std::string(key) + " value.  " + why);
}

Result<std::optional<std::string>> OptString(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return InvalidField(key, "Must be a string.");
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<int64_t>> OptInt(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->get_int64());
  if (v->is_uint64() && v->get_uint64() <= INT64_MAX) return std::optional<int64_t>(static_cast<int64_t>(v->get_uint64()));
  return InvalidField(key, "Must be an integer.");
}

Result<std::optional<bool>> OptBool(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return InvalidField(key, "Must be a boolean.");
  return std::optional<bool>(v->get_bool());
}

Result<std::optional<std::vector<std::string>>> OptStrings(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return InvalidField(key, "Must be an array of strings.");
  std::vector<std::string> out;
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) return InvalidField(key, "Must be an array of strings.");
    out.emplace_back(e.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

std::string DocsBody(std::string_view collection, const std::vector<std::string>& docs, bool with_token) {
  std::string body = "{\"";
  body += collection;
  body += "\":[";
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i) body += ',';
    body += docs[i];
  }
  body += with_token ? "],\"token\":null}" : "]}";
  return body;
}

// Booleans in any case, and 1/0 (a public Python client sends str(True) = "True").
Result<std::optional<bool>> BoolParam(const std::optional<std::string>& v, const char* name) {
  if (!v) return std::optional<bool>();
  const std::string word = AsciiLower(*v);
  if (word == "true" || word == "1") return std::optional<bool>(true);
  if (word == "false" || word == "0") return std::optional<bool>(false);
  return Error::Invalid(std::string(name) + " must be true or false");
}

}  // namespace rampart::telemetry
