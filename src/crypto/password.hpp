#pragma once
// Passwords at rest: argon2id (libsodium's crypto_pwhash_str, interactive limits), in libsodium's
// self-describing encoded form, so the limits can be raised later without a migration (a hash made
// with older limits still verifies; NeedsRehash says so).
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/secret.hpp"

namespace rampart::crypto {

// Invalid when the password is shorter than 12 or longer than 1024 bytes.
Result<std::string> HashPassword(const Secret& password);
// Constant-time in the password; false for a malformed hash.
bool VerifyPassword(std::string_view encoded_hash, const Secret& password);
bool NeedsRehash(std::string_view encoded_hash);

}  // namespace rampart::crypto
