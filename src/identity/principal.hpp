#pragma once
// Who a request acts as: a v4.0 API key of an organization, a user (Hawk) in the organization
// the request names, or on the ingest surface an enrolled agent (Hawk) or a deploy key (enrolling).
#include <string>

#include "auth/bearer.hpp"

namespace rampart::identity {

struct Principal {
  enum class Kind { kApiKey, kUser, kAgent, kDeployKey };
  Kind kind = Kind::kApiKey;
  std::string org_id;
  std::string id;  // the key's id, or the user's
  // What it may do per service: a key's own permissions; a user's follow its role (a reader
  // reads, an owner or user writes).
  auth::Permissions perms = {};

  // As audit records name it: "key:<id>", "user:<id>", "agent:<id>" or "deploykey:<id>".
  std::string Actor() const {
    switch (kind) {
      case Kind::kApiKey: return "key:" + id;
      case Kind::kUser: return "user:" + id;
      case Kind::kAgent: return "agent:" + id;
      case Kind::kDeployKey: return "deploykey:" + id;
    }
    return id;
  }
};

}  // namespace rampart::identity
