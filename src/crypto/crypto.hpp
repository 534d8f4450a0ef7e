#pragma once
// Thin, allocation-light wrappers over OpenSSL (and libsodium's SipHash): CSPRNG, SHA-256, keyed
// short hashes, constant-time compare, encodings.
#include <array>
#include <cstdint>
#include <optional>
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

enum class HashAlg { kSha1, kSha256 };

// Plain digest and HMAC with the chosen algorithm (raw bytes out).
std::string Digest(HashAlg alg, std::string_view data);
std::string Hmac(HashAlg alg, std::string_view key, std::string_view data);
// SipHash-2-4 (libsodium's crypto_shorthash) of `data` under a 16-byte secret key: a keyed 64-bit
// digest for hash tables fed by untrusted input. Without the key, nobody can pick inputs that
// collide, and it costs a fraction of an HMAC (no digest context, a few dozen cycles for 64 bytes).
using ShortHashKey = std::array<uint8_t, 16>;
uint64_t ShortHash(const ShortHashKey& key, std::string_view data);
// Incremental digest, for hashing a prefix, a body and a suffix without concatenating them.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher& Update(std::string_view data);
  std::string Final();  // raw bytes

 private:
  void* ctx_;  // EVP_MD_CTX
};

bool ConstantTimeEqual(std::string_view a, std::string_view b);

std::string HexEncode(std::span<const uint8_t> bytes);
// The same into `out`, which holds 2 * bytes.size() characters (no allocation: per-request use).
void HexEncodeTo(std::span<const uint8_t> bytes, char* out);
std::string Base64Encode(std::string_view bytes);  // RFC 4648 §4, with padding
// RFC 4648 §5 without padding; nullopt on any other character (including '=').
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string Base64UrlEncode(std::span<const uint8_t> bytes);  // no padding

// A random RFC 4122 version-4 UUID in canonical lower-case text.
std::string NewUuidV4();
bool IsUuid(std::string_view s);

// A 24-hex id laid out like a MongoDB ObjectId (the ids Threat Stack's API hands out): 4 bytes of
// `unix_seconds` (big-endian), 5 random bytes fixed per process, a 3-byte counter that starts at a
// random value and increases by one per id. Ids made by one process therefore sort in the order
// they were made (barring 2^23 ids in one second), which keeps "newest first" lists stable when
// several records share a timestamp (keyset pagination breaks ties on the id).
std::string NewObjectId(int64_t unix_seconds);

}  // namespace rampart::crypto
