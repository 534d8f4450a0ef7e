#include "telemetry/page_token.hpp"

#include "crypto/crypto.hpp"
#include "crypto/secretbox.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace {

std::string Hex(std::string_view bytes) {
  return crypto::HexEncode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

std::string PageTokenCodec::Encode(const PageCursor& c) const {
  // <id hex>,<ISO time>,<filter hex>,<mac hex>: ids are hex-encoded so any id stays in the alphabet.
  std::string body = Hex(c.last_id) + "," + FormatInstant(c.last_created_ms) + "," + Hex(c.filter);
  std::string mac = crypto::Hmac(crypto::HashAlg::kSha256, key_, body).substr(0, 16);
  return crypto::Base64Encode(body + "," + Hex(mac));
}

std::optional<PageCursor> PageTokenCodec::Decode(std::string_view token) const {
  auto raw = crypto::Base64Decode(token);
  if (!raw || raw->size() > 8192) return std::nullopt;
  size_t last = raw->rfind(',');
  if (last == std::string::npos) return std::nullopt;
  std::string_view body = std::string_view(*raw).substr(0, last);
  std::string expect = Hex(crypto::Hmac(crypto::HashAlg::kSha256, key_, body).substr(0, 16));
  if (!crypto::ConstantTimeEqual(expect, std::string_view(*raw).substr(last + 1))) return std::nullopt;
  size_t a = body.find(','), b = body.find(',', a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos) return std::nullopt;
  auto id = Unhex(body.substr(0, a));
  auto when = ParseInstant(body.substr(a + 1, b - a - 1));
  auto filter = Unhex(body.substr(b + 1));
  if (!id || !when || !filter) return std::nullopt;
  return PageCursor{*id, *when, *filter};
}

}  // namespace rampart::telemetry
