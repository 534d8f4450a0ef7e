#pragma once
// Thin, allocation-light wrappers over OpenSSL: CSPRNG, SHA-256, constant-time compare, encodings.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rampart::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

// Fills `out` from OpenSSL's CSPRNG; aborts the process if the CSPRNG fails (never silently weak).
void RandomBytes(std::span<uint8_t> out);

Sha256Digest Sha256(std::string_view data);

// Constant-time equality (CRYPTO_memcmp); sizes are not secret.
bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);

std::string HexEncode(std::span<const uint8_t> bytes);
std::string Base64UrlEncode(std::span<const uint8_t> bytes);  // no padding

// A random RFC 4122 version-4 UUID in canonical lower-case text.
std::string NewUuidV4();
bool IsUuid(std::string_view s);

}  // namespace rampart::crypto
