#include "crypto/secretbox.hpp"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "crypto/crypto.hpp"

namespace rampart::crypto {
namespace {

bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (!SodiumReady() || sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                                          text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

Result<SecretBox> SecretBox::FromBase64(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  auto raw = Base64Decode(text);
  if (!raw || raw->size() != kKeyBytes) return Error::Invalid("master key must be 32 bytes of base64");
  std::array<uint8_t, kKeyBytes> key{};
  std::copy(raw->begin(), raw->end(), key.begin());
  sodium_memzero(raw->data(), raw->size());
  return SecretBox(key);
}

Result<SecretBox> SecretBox::FromKeyFile(const std::string& path, bool create) {
  if (!SodiumReady()) return Error::Internal("libsodium failed to initialize");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (!create) {
      return Error::Invalid("master key file not found: " + path +
                                   " (the database holds secrets sealed with it: restore it, or set RAMPART_MASTER_KEY)");
    }
    std::array<uint8_t, kKeyBytes> key{};
    RandomBytes(key);
    std::string text = Base64Encode(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    mode_t old = ::umask(077);
    std::FILE* f = std::fopen(path.c_str(), "wx");
    ::umask(old);
    if (!f) return Error::Unavailable("cannot create master key file " + path);
    bool ok = std::fputs((text + "\n").c_str(), f) >= 0 && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
    std::fclose(f);
    if (!ok) return Error::Unavailable("cannot write master key file " + path);
    return SecretBox(key);
  }
  if (st.st_mode & 077) return Error::Invalid("master key file " + path + " must not be readable by others (chmod 600)");
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromBase64(ss.str());
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  SodiumReady();
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, key_.data());
  return Base64Encode(out);
}

std::string SecretBox::DeriveKey(std::string_view label) const {
  return Hmac(HashAlg::kSha256, std::string_view(reinterpret_cast<const char*>(key_.data()), key_.size()), label);
}

std::optional<std::string> SecretBox::Open(std::string_view sealed) const {
  auto raw = Base64Decode(sealed);
  if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw->data());
  const size_t ct_len = raw->size() - crypto_secretbox_NONCEBYTES;
  std::string out(ct_len - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 ct_len, nonce, key_.data()) != 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace rampart::crypto
