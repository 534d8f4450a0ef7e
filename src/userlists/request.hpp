#pragma once
// ThreatSTOP v4.0 list request bodies (POST/PATCH/PUT) decoded into typed input. Decoding never
// throws; the first problem found is returned with its extended code and the offending value.
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "userlists/values.hpp"

namespace rampart::userlists {

enum class Action { kAdd, kRemove, kUpdate };  // kUpdate: an entry without "action"
enum class BodyKind { kCreate, kPatch, kPut };

struct EntryInput {
  EntryValue value;
  Action action = Action::kUpdate;
  std::optional<std::string> comments;
  bool has_expires = false;
  std::optional<Date> expires;  // null when has_expires clears it
};

struct ListInput {
  std::optional<std::string> object_id;
  std::optional<std::string> name;
  std::optional<std::string> list_type;
  std::optional<std::string> description;
  bool has_expires = false;
  std::optional<Date> expires;
  std::optional<std::vector<EntryInput>> addresses;
};

struct ParseOptions {
  DateOrder date_order = DateOrder::kMdy;
  Date today;  // dates before it are "in the past"
  // The documented limit is 8; the vendor's own Python example uses 9 and 10 (see docs/api-v4.md).
  size_t max_name_length = 16;
};

inline constexpr size_t kMaxDescription = 1024;
inline constexpr size_t kMaxComments = 1024;

Result<ListInput> ParseListBody(const boost::json::value& body, ListKind kind, BodyKind what,
                                const ParseOptions& opts);

}  // namespace rampart::userlists
