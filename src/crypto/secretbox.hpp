#pragma once
// Secrets at rest (Hawk keys must be recoverable, so they are encrypted, not hashed): libsodium
// XSalsa20-Poly1305 secretbox under a 32-byte server master key. Sealed form:
// base64(24-byte random nonce || ciphertext+MAC). Opening fails on any tampering.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace rampart::crypto {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;

  explicit SecretBox(const std::array<uint8_t, kKeyBytes>& key) : key_(key) {}
  // Reads the master key (base64 text) from `path`; with `create`, a missing file is created
  // with a fresh random key and mode 0600. A file readable by group or others is refused.
  static Result<SecretBox> FromKeyFile(const std::string& path, bool create);
  // The master key from base64 text (e.g. the RAMPART_MASTER_KEY environment variable).
  static Result<SecretBox> FromBase64(std::string_view text);

  std::string Seal(std::string_view plaintext) const;
  // A subkey for another purpose: HMAC-SHA256(master key, label).
  std::string DeriveKey(std::string_view label) const;
  std::optional<std::string> Open(std::string_view sealed) const;

 private:
  std::array<uint8_t, kKeyBytes> key_;
};

// Standard base64 decoding (with padding), the inverse of Base64Encode.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace rampart::crypto
