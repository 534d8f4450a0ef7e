#pragma once
// Who a request acts as, on either surface: a v4.0 API key of an organization, or a user (Hawk)
// in the organization the request names.
#include <string>

#include "auth/bearer.hpp"

namespace rampart::identity {

struct Principal {
  enum class Kind { kApiKey, kUser };
  Kind kind = Kind::kApiKey;
  std::string org_id;
  std::string id;  // the key's id, or the user's
  // What it may do per service: a key's own permissions; a user's follow its role (a reader
  // reads, an owner or user writes).
  auth::Permissions perms = {};

  // As audit records name it: "key:<id>" or "user:<id>".
  std::string Actor() const { return (kind == Kind::kApiKey ? "key:" : "user:") + id; }
};

}  // namespace rampart::identity
