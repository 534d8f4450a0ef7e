#include "auth/bearer.hpp"

#include <strings.h>

#include <array>
#include <vector>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"

namespace rampart::auth {
namespace {

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string HashOf(std::string_view secret) { return crypto::HexEncode(crypto::Sha256(secret)); }

const char* LevelName(Level l) { return l == Level::kWrite ? "write" : "read"; }

}  // namespace

Result<Permissions> ParsePermissions(std::string_view text) {
  text = Trim(text);
  if (text == "read") return Permissions{Level::kRead, Level::kRead};
  if (text == "write") return Permissions{Level::kWrite, Level::kWrite};
  Permissions p;
  bool seen_lists = false, seen_policies = false;
  for (std::string_view item : SplitView(text, ',')) {
    item = Trim(item);
    auto colon = item.find(':');
    std::string_view service = item.substr(0, colon), level = colon == std::string_view::npos ? "" : item.substr(colon + 1);
    Level l = level == "read" ? Level::kRead : level == "write" ? Level::kWrite : Level::kNone;
    if (l == Level::kNone) {
      return Error::Invalid("permission " + QuoteForDetail(item) + " is not <service>:read or <service>:write");
    }
    if (service == "userlists" && !seen_lists) {
      p.userlists = l, seen_lists = true;
    } else if (service == "policies" && !seen_policies) {
      p.policies = l, seen_policies = true;
    } else {
      return Error::Invalid("permission " + QuoteForDetail(item) + ": the services are userlists and policies, each once");
    }
  }
  if (!seen_lists && !seen_policies) return Error::Invalid("a key needs at least one permission");
  return p;
}

std::string FormatPermissions(const Permissions& p) {
  std::vector<std::string> parts;
  if (p.userlists != Level::kNone) parts.push_back(std::string("userlists:") + LevelName(p.userlists));
  if (p.policies != Level::kNone) parts.push_back(std::string("policies:") + LevelName(p.policies));
  std::string out;
  for (const auto& s : parts) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

NewKey MakeKey(std::string_view prefix) {
  std::array<uint8_t, 8> id{};
  std::array<uint8_t, 32> secret{};
  crypto::RandomBytes(id);
  crypto::RandomBytes(secret);
  Secret secret_text(crypto::Base64UrlEncode(secret));
  NewKey out;
  out.id = crypto::HexEncode(id);
  out.secret_hash = HashOf(secret_text.Reveal());
  out.token = Secret(std::string(prefix) + out.id + "_" + secret_text.Reveal());
  return out;
}

std::optional<std::string_view> BearerValue(std::string_view header) {
  header = Trim(header);
  if (header.size() < 7 || strncasecmp(header.data(), "bearer ", 7) != 0) return std::nullopt;
  return Trim(header.substr(7));
}

std::optional<TokenParts> SplitToken(std::string_view token, std::string_view prefix) {
  if (prefix.size() != 4 || token.size() != 4 + 16 + 1 + 43 || token.substr(0, 4) != prefix || token[20] != '_') {
    return std::nullopt;
  }
  std::string_view id = token.substr(4, 16);
  if (!IsLowerHex(id)) return std::nullopt;
  return TokenParts{std::string(id), Secret(std::string(token.substr(21)))};
}

bool SecretMatches(const Secret& secret, std::string_view stored_hash) {
  // HashOf's text, written on the stack: this runs on every request.
  const crypto::Sha256Digest d = crypto::Sha256(secret.Reveal());
  char hex[2 * d.size()];
  crypto::HexEncodeTo(d, hex);
  return crypto::ConstantTimeEqual(std::string_view(hex, sizeof hex), stored_hash);
}

}  // namespace rampart::auth
