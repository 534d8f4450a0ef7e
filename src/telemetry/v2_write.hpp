#pragma once
// What every v2 write shares: who makes it (the actor), the audit record it leaves, and the
// audit log listing `{"recs":[…],"token":…}` (50 per page, newest first, token-only follow-ups).
#include <boost/json.hpp>

#include <optional>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/page_token.hpp"

namespace rampart::telemetry {

inline constexpr int64_t kAuditPageSize = 50;

struct Actor {
  std::string org_id;
  std::string user_id;
  std::string email;
  int64_t now_ms = 0;
};

// The audit record of one successful write: `crud` create|update|delete, `action` a stable
// name ("ruleset.create"), `context` the ids and values involved.
store::V2AuditRecord AuditFor(const Actor& a, const char* crud, const char* action, const std::string& description,
                              boost::json::value context);

Result<std::string> ListAuditBody(store::V2Store& store, const PageTokenCodec& codec, const std::string& org_id,
                                  const std::optional<std::string>& from, const std::optional<std::string>& until,
                                  const std::optional<std::string>& token);

// Parses a JSON request body into an object (its memory from `sp`), or 400 with the v2 message.
Result<boost::json::object> BodyObject(std::string_view body, boost::json::storage_ptr sp = {});

// Field readers for request bodies: absent → nullopt; present with the wrong type → 400.
Result<std::optional<std::string>> OptString(const boost::json::object& o, const char* key);
Result<std::optional<int64_t>> OptInt(const boost::json::object& o, const char* key);
Result<std::optional<bool>> OptBool(const boost::json::object& o, const char* key);

// A boolean query parameter: true/false in any case, or 1/0; absent → nullopt; else 400 naming it.
Result<std::optional<bool>> BoolParam(const std::optional<std::string>& v, const char* name);
Result<std::optional<std::vector<std::string>>> OptStrings(const boost::json::object& o, const char* key);
// The other way: strings as a JSON array.
boost::json::array JsonStrings(const std::vector<std::string>& v);
// "Validation failed: body has invalid <key> value.  <why>" (the reference's wording, double space).
Error InvalidField(const char* key, const std::string& why);

// `{"<collection>":[doc,…]}` from stored documents, with `"token":null` when `with_token`.
std::string DocsBody(std::string_view collection, const std::vector<std::string>& docs, bool with_token);

}  // namespace rampart::telemetry
