#include "auth/bearer.hpp"

#include <strings.h>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"

namespace rampart::auth {
namespace {

constexpr int kNoToken = 11000, kInvalidToken = 11001, kExpiredToken = 11002;

Error Missing() { return {Errc::kUnauthenticated, kNoToken, "no auth token provided"}; }
Error Invalid() { return {Errc::kForbidden, kInvalidToken, "invalid auth token"}; }

std::optional<std::string_view> BearerValue(std::string_view header) {
  header = Trim(header);
  if (header.size() < 7 || strncasecmp(header.data(), "bearer ", 7) != 0) return std::nullopt;
  return Trim(header.substr(7));
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

IssuedToken IssueToken(const std::string& account_id, const std::string& perm, const std::string& description,
                       std::optional<SysTime> expires, SysTime now) {
  std::array<uint8_t, 8> id{};
  std::array<uint8_t, 32> secret{};
  crypto::RandomBytes(id);
  crypto::RandomBytes(secret);
  IssuedToken out;
  std::string secret_text = crypto::Base64UrlEncode(secret);
  out.record.id = crypto::HexEncode(id);
  out.record.account_id = account_id;
  out.record.secret_hash = crypto::HexEncode(crypto::Sha256(secret_text));
  out.record.perm = perm;
  out.record.description = description;
  out.record.created_at_ms = UnixMillis(now);
  if (expires) out.record.expires_at_ms = UnixMillis(*expires);
  out.token = "rpt_" + out.record.id + "_" + secret_text;
  return out;
}

std::optional<TokenParts> SplitToken(std::string_view token) {
  if (token.size() != 4 + 16 + 1 + 43 || token.substr(0, 4) != "rpt_" || token[20] != '_') return std::nullopt;
  std::string_view id = token.substr(4, 16);
  if (!IsHex(id)) return std::nullopt;
  return TokenParts{std::string(id), std::string(token.substr(21))};
}

TokenAuthenticator::TokenAuthenticator(store::AccountStore& store, const Clock& clock,
                                       std::chrono::milliseconds cache_ttl)
    : store_(store), clock_(clock), ttl_(cache_ttl) {}

Result<Principal> TokenAuthenticator::Verify(const store::TokenRecord& rec, const TokenParts& parts) const {
  std::string presented = crypto::HexEncode(crypto::Sha256(parts.secret));
  auto as_bytes = [](const std::string& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  if (!crypto::ConstantTimeEqual(as_bytes(presented), as_bytes(rec.secret_hash))) return Invalid();
  if (rec.revoked_at_ms) return Invalid();
  if (rec.expires_at_ms && UnixMillis(clock_.Now()) >= *rec.expires_at_ms) {
    return Error{Errc::kForbidden, kExpiredToken, "auth token expired"};
  }
  return Principal{rec.account_id, rec.id, rec.perm == kPermWrite};
}

std::optional<Result<Principal>> TokenAuthenticator::TryCached(std::string_view authorization) const {
  if (authorization.empty()) return Result<Principal>(Missing());
  auto value = BearerValue(authorization);
  if (!value) return Result<Principal>(Missing());
  auto parts = SplitToken(*value);
  if (!parts) return Result<Principal>(Invalid());
  std::lock_guard lock(mu_);
  auto it = cache_.find(parts->id);
  if (it == cache_.end() || clock_.Now() - it->second.fetched >= ttl_) return std::nullopt;
  return Verify(it->second.record, *parts);
}

Result<Principal> TokenAuthenticator::Authenticate(std::string_view authorization) {
  if (auto cached = TryCached(authorization)) return *cached;
  auto parts = SplitToken(*BearerValue(authorization));
  RAMPART_TRY(rec, store_.FindToken(parts->id));
  if (!rec) return Invalid();
  {
    std::lock_guard lock(mu_);
    cache_[rec->id] = {*rec, clock_.Now()};
  }
  return Verify(*rec, *parts);
}

}  // namespace rampart::auth
