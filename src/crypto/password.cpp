#include "crypto/password.hpp"

#include <sodium.h>

namespace rampart::crypto {

Result<std::string> HashPassword(const Secret& password) {
  const std::string& p = password.Reveal();
  if (p.size() < 12 || p.size() > 1024) return Error::Invalid("a password must be 12 to 1024 bytes long");
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialize");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, p.data(), p.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Error::Unavailable("not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, const Secret& password) {
  if (sodium_init() < 0 || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(encoded_hash);  // NUL-terminated copy, as libsodium wants
  const std::string& p = password.Reveal();
  return crypto_pwhash_str_verify(h.c_str(), p.data(), p.size()) == 0;
}

bool NeedsRehash(std::string_view encoded_hash) {
  std::string h(encoded_hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

}  // namespace rampart::crypto
