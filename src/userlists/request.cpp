#include "userlists/request.hpp"

#include <boost/json.hpp>

#include "base/strings.hpp"

namespace rampart::userlists {
namespace json = boost::json;
namespace {

Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

Result<std::string> String(const json::value& v, std::string_view field) {
  if (!v.is_string()) return Bad("field '" + std::string(field) + "' must be a string");
  return std::string(v.get_string());
}

Result<std::optional<Date>> Expiry(const json::value& v, std::string_view field, const ParseOptions& o) {
  if (v.is_null()) return std::optional<Date>();
  RAMPART_TRY(text, String(v, field));
  RAMPART_TRY(date, ParseExpiryDate(text, o.date_order));
  if (date < o.today) {
    return Bad("expiry date in the past " + QuoteForDetail(text) + " (" + date.ToString() + ")");
  }
  return std::optional<Date>(date);
}

bool ValidName(std::string_view n, size_t max_len) {
  if (n.empty() || n.size() > max_len) return false;
  for (char c : n) {
    if (!IsAsciiAlnum(c)) return false;
  }
  return true;
}

Result<EntryInput> ParseEntry(const json::value& v, size_t i, ListKind kind, BodyKind what,
                              const ParseOptions& o) {
  const std::string where = "addresses[" + std::to_string(i) + "]";
  if (!v.is_object()) return Bad(where + " must be an object");
  const json::object& obj = v.get_object();
  EntryInput in;
  const json::value* value = obj.if_contains("value");
  if (!value) return Bad(where + ": missing 'value'");
  if (!value->is_string()) return Error::Invalid(Reason::kNotAnAddress, where + ".value must be a string");
  for (const auto& [key, field] : obj) {
    if (key == "value" || key == "address_type") {  // address_type is detected; a sent one is ignored
      continue;
    } else if (key == "comments") {
      if (field.is_null()) {
        in.comments = "";
      } else {
        RAMPART_TRY(c, String(field, where + ".comments"));
        if (c.size() > kMaxComments) return Bad(where + ".comments longer than 1024 characters");
        in.comments = std::move(c);
      }
    } else if (key == "expires") {
      RAMPART_TRY(e, Expiry(field, where + ".expires", o));
      in.has_expires = true;
      in.expires = e;
    } else if (key == "action") {
      RAMPART_TRY(a, String(field, where + ".action"));
      std::string act = AsciiLower(a);
      if (act == "add") {
        in.action = Action::kAdd;
      } else if (act == "remove" && what == BodyKind::kPatch) {
        in.action = Action::kRemove;
      } else {
        return Bad(where + ": unsupported action " + QuoteForDetail(a));
      }
    } else {
      return Bad(where + ": unknown field " + QuoteForDetail(key));
    }
  }
  if (what != BodyKind::kPatch) in.action = Action::kAdd;
  auto parsed = ParseEntryValue(kind, value->get_string());
  if (!parsed) {
    Error e = parsed.error();
    e.detail = where + ": " + e.detail;
    return e;
  }
  in.value = std::move(*parsed);
  return in;
}

Result<void> ParseField(std::string_view key, const json::value& field, ListKind kind, BodyKind what,
                        const ParseOptions& o, ListInput& in) {
  if (key == "object_id") {
    if (what == BodyKind::kCreate) {
      return Error::Invalid(Reason::kIdInCollectionPost, "POST request with an object id");
    }
    RAMPART_TRY(id, String(field, key));
    in.object_id = std::move(id);
  } else if (key == "list_name") {
    RAMPART_TRY(name, String(field, key));
    if (!ValidName(name, o.max_name_length)) {
      return Bad("list_name must be 1-" + std::to_string(o.max_name_length) +
                 " alphanumeric characters: " + QuoteForDetail(name));
    }
    in.name = std::move(name);
  } else if (key == "list_type") {
    RAMPART_TRY(t, String(field, key));
    if (t != "block" && t != "allow") return Bad("list_type must be 'block' or 'allow': " + QuoteForDetail(t));
    in.list_type = std::move(t);
  } else if (key == "description") {
    if (field.is_null()) {
      in.description = "";
    } else {
      RAMPART_TRY(d, String(field, key));
      if (d.size() > kMaxDescription) return Bad("description longer than 1024 characters");
      in.description = std::move(d);
    }
  } else if (key == "shared") {
    if (!field.is_bool()) return Bad("field 'shared' must be a boolean");
    if (field.get_bool()) return Bad("shared=true: list sharing is not offered");
  } else if (key == "expires") {
    RAMPART_TRY(e, Expiry(field, key, o));
    in.has_expires = true;
    in.expires = e;
  } else if (key == "addresses") {
    if (!field.is_array()) return Bad("field 'addresses' must be an array");
    const json::array& arr = field.get_array();
    std::vector<EntryInput> entries;
    entries.reserve(arr.size());
    for (size_t i = 0; i < arr.size(); ++i) {
      RAMPART_TRY(e, ParseEntry(arr[i], i, kind, what, o));
      entries.push_back(std::move(e));
    }
    in.addresses = std::move(entries);
  } else {
    return Bad("unknown field " + QuoteForDetail(key));
  }
  return {};
}

}  // namespace

Result<ListInput> ParseListBody(const json::value& body, ListKind kind, BodyKind what,
                                const ParseOptions& opts) {
  if (!body.is_object()) return Bad("the request body must be a JSON object");
  ListInput in;
  const json::object& obj = body.get_object();
  if (what == BodyKind::kCreate && obj.contains("object_id")) {
    return Error::Invalid(Reason::kIdInCollectionPost, "POST request with an object id");
  }
  for (const auto& [key, field] : obj) {
    RAMPART_CHECK(ParseField(key, field, kind, what, opts, in));
  }
  if (what == BodyKind::kCreate && !in.name) return Bad("missing required field 'list_name'");
  if (what == BodyKind::kPut && !in.addresses) return Bad("PUT replaces the addresses: 'addresses' is required");
  return in;
}

}  // namespace rampart::userlists
