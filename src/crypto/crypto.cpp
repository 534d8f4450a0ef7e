#include "crypto/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>

namespace rampart::crypto {

void RandomBytes(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fputs("fatal: OpenSSL RAND_bytes failed\n", stderr);
    std::abort();
  }
}

uint64_t ShortHash(const ShortHashKey& key, std::string_view data) {
  static_assert(crypto_shorthash_siphash24_BYTES == sizeof(uint64_t));
  static_assert(crypto_shorthash_siphash24_KEYBYTES == std::tuple_size_v<ShortHashKey>);
  unsigned char out[sizeof(uint64_t)];
  crypto_shorthash_siphash24(out, reinterpret_cast<const unsigned char*>(data.data()), data.size(), key.data());
  uint64_t v = 0;
  std::memcpy(&v, out, sizeof v);
  return v;
}

namespace {

const EVP_MD* Md(HashAlg alg) {
  // Fetched once: implicit fetches take a global lock on every call in OpenSSL 3.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return alg == HashAlg::kSha1 ? sha1 : sha256;
}

// One digest context per thread, re-initialised per use: EVP_Digest() and HMAC() allocate and
// free a context (and HMAC() fetches its MAC) on every call, which costs more than hashing a
// Hawk header. Every user runs Init → Update… → Final without yielding in between.
EVP_MD_CTX* ThreadCtx() {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return ctx.get();
}

unsigned int DigestInto(const EVP_MD* md, std::initializer_list<std::string_view> parts, unsigned char* out) {
  EVP_MD_CTX* ctx = ThreadCtx();
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx, md, nullptr);
  for (std::string_view p : parts) EVP_DigestUpdate(ctx, p.data(), p.size());
  EVP_DigestFinal_ex(ctx, out, &len);
  return len;
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest d{};
  DigestInto(Md(HashAlg::kSha256), {data}, d.data());
  return d;
}

bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Digest(HashAlg alg, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  const unsigned int len = DigestInto(Md(alg), {data}, out);
  return std::string(reinterpret_cast<char*>(out), len);
}

// RFC 2104 over the thread's digest context: H((K ^ opad) || H((K ^ ipad) || data)), with a key
// longer than the block hashed first.
std::string Hmac(HashAlg alg, std::string_view key, std::string_view data) {
  const EVP_MD* md = Md(alg);
  const size_t block = static_cast<size_t>(EVP_MD_get_block_size(md));
  unsigned char k[EVP_MAX_MD_SIZE > 128 ? EVP_MAX_MD_SIZE : 128] = {};
  if (key.size() > block) {
    DigestInto(md, {key}, k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char pad[128];
  for (size_t i = 0; i < block; ++i) pad[i] = k[i] ^ 0x36;
  unsigned char inner[EVP_MAX_MD_SIZE];
  const unsigned int inner_len = DigestInto(md, {std::string_view(reinterpret_cast<char*>(pad), block), data}, inner);
  for (size_t i = 0; i < block; ++i) pad[i] = k[i] ^ 0x5c;
  unsigned char out[EVP_MAX_MD_SIZE];
  const unsigned int len = DigestInto(md, {std::string_view(reinterpret_cast<char*>(pad), block),
                                           std::string_view(reinterpret_cast<char*>(inner), inner_len)}, out);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
  return std::string(reinterpret_cast<char*>(out), len);
}

Hasher::Hasher(HashAlg alg) : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), Md(alg), nullptr);
}
Hasher::~Hasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
Hasher& Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
  return *this;
}
std::string Hasher::Final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Written in place (three MACs per signed request): appending a character at a time costs a
  // capacity check each.
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  char* o = out.data();
  size_t i = 0;
  auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[k])); };
  for (; i + 2 < bytes.size(); i += 3, o += 4) {
    const uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    o[0] = kAlpha[(v >> 18) & 63];
    o[1] = kAlpha[(v >> 12) & 63];
    o[2] = kAlpha[(v >> 6) & 63];
    o[3] = kAlpha[v & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {  // the '=' padding is already there
    uint32_t v = b(i) << 16;
    if (rest == 2) v |= b(i + 1) << 8;
    o[0] = kAlpha[(v >> 18) & 63];
    o[1] = kAlpha[(v >> 12) & 63];
    if (rest == 2) o[2] = kAlpha[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

void HexEncodeTo(std::span<const uint8_t> bytes, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (uint8_t b : bytes) {
    *out++ = kHex[b >> 4];
    *out++ = kHex[b & 15];
  }
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  HexEncodeTo(bytes, out.data());
  return out;
}

std::string Base64UrlEncode(std::span<const uint8_t> bytes) {
  static constexpr char kAlpha[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kAlpha[(v >> s) & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t v = bytes[i] << 16;
    if (rest == 2) v |= bytes[i + 1] << 8;
    out += kAlpha[(v >> 18) & 63];
    out += kAlpha[(v >> 12) & 63];
    if (rest == 2) out += kAlpha[(v >> 6) & 63];
  }
  return out;
}

std::string NewUuidV4() {
  std::array<uint8_t, 16> b{};
  RandomBytes(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string NewObjectId(int64_t unix_seconds) {
  struct ProcessPart {
    std::array<uint8_t, 5> random{};
    std::atomic<uint32_t> counter{0};
    ProcessPart() {
      RandomBytes(random);
      std::array<uint8_t, 3> start{};
      RandomBytes(start);
      counter = (uint32_t{start[0]} << 16 | uint32_t{start[1]} << 8 | start[2]) & 0x7fffff;
    }
  };
  static ProcessPart part;
  const uint32_t secs = static_cast<uint32_t>(unix_seconds);
  const uint32_t n = part.counter.fetch_add(1, std::memory_order_relaxed);
  std::array<uint8_t, 12> b{static_cast<uint8_t>(secs >> 24), static_cast<uint8_t>(secs >> 16),
                            static_cast<uint8_t>(secs >> 8),  static_cast<uint8_t>(secs),
                            part.random[0], part.random[1], part.random[2], part.random[3], part.random[4],
                            static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  return HexEncode(b);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace rampart::crypto
