#pragma once
// v4.0 API keys: "rpt_<16-hex id>_<43-char secret>", and the permissions one carries. Only
// SHA-256 of the secret is stored (the secret is 256 random bits, so a slow hash adds nothing);
// verification compares digests in constant time. Pure functions: the keys' store, cache and
// checks live in identity/api_keys.hpp.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/secret.hpp"

namespace rampart::auth {

// The services a v4.0 key is scoped to (the vendor's API Keys page): devices go with policies.
enum class Service { kUserlists, kPolicies };
enum class Level { kNone, kRead, kWrite };  // read: GET only; write: everything (reads included)

struct Permissions {
  Level userlists = Level::kNone;
  Level policies = Level::kNone;
  Level Of(Service s) const { return s == Service::kUserlists ? userlists : policies; }
  bool Allows(Service s, bool write) const {
    Level l = Of(s);
    return write ? l == Level::kWrite : l != Level::kNone;
  }
  bool operator==(const Permissions&) const = default;
};

// "userlists:read,policies:write" (any order, each service at most once, at least one).
// The single words "read" and "write" mean every service.
Result<Permissions> ParsePermissions(std::string_view text);
std::string FormatPermissions(const Permissions& p);  // canonical: "userlists:…,policies:…"

// A new key: the token shown once, its id and the hash to store.
struct NewKey {
  Secret token;
  std::string id;
  std::string secret_hash;
};
// `prefix`: four characters naming the kind of key ("rpt_" v4.0 API keys, "rdk_" deploy keys).
NewKey MakeKey(std::string_view prefix = "rpt_");

struct TokenParts {
  std::string id;
  Secret secret;
};
// The token of an "Authorization: Bearer <token>" header: nullopt when the header is missing or
// not Bearer; SplitToken then checks the token's shape.
std::optional<std::string_view> BearerValue(std::string_view authorization);
std::optional<TokenParts> SplitToken(std::string_view token, std::string_view prefix = "rpt_");
// Constant time in the secret.
bool SecretMatches(const Secret& secret, std::string_view stored_hash);

}  // namespace rampart::auth
