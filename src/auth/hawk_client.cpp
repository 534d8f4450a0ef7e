#include "auth/hawk_client.hpp"

#include <array>
#include <span>

namespace rampart::auth::hawk {
namespace {

// The value of `name="…"` in a Server-Authorization header; nullopt when absent.
std::optional<std::string> Attribute(std::string_view header, std::string_view name) {
  std::string needle = std::string(name) + "=\"";
  size_t at = 0;
  while ((at = header.find(needle, at)) != std::string_view::npos) {
    bool starts = at == 0 || header[at - 1] == ' ' || header[at - 1] == ',';
    size_t from = at + needle.size();
    size_t end = header.find('"', from);
    if (end == std::string_view::npos) return std::nullopt;
    if (starts) return std::string(header.substr(from, end - from));
    at = end;
  }
  return std::nullopt;
}

std::string ContentTypeOnly(std::string_view ct) {
  size_t semi = ct.find(';');
  std::string_view base = ct.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  std::string out(base);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

}  // namespace

SignedRequest SignRequest(const ClientCredentials& c, const ClientRequest& r, int64_t now_s, std::string nonce) {
  Artifacts a;
  a.method = r.method;
  a.resource = r.resource;
  a.host = r.host;
  a.port = r.port;
  a.ts = std::to_string(now_s);
  a.nonce = std::move(nonce);
  if (r.content_type) a.hash = PayloadHash(c.alg, ContentTypeOnly(*r.content_type), r.body);
  if (r.ext && !r.ext->empty()) a.ext = r.ext;  // `ext=""` is a header the server refuses
  std::string mac = Mac(c.alg, c.key, NormalizedString("header", a));
  std::string header = "Hawk id=\"" + c.id + "\", ts=\"" + a.ts + "\", nonce=\"" + a.nonce + "\"";
  if (a.hash) header += ", hash=\"" + *a.hash + "\"";
  if (a.ext) header += ", ext=\"" + *a.ext + "\"";
  header += ", mac=\"" + mac + "\"";
  return {std::move(header), std::move(a)};
}

bool VerifyServerAuthorization(const ClientCredentials& c, const SignedRequest& request, std::string_view header,
                               std::string_view content_type, std::string_view body, bool require_hash) {
  if (!header.starts_with("Hawk ")) return false;
  auto mac = Attribute(header, "mac");
  if (!mac) return false;
  Artifacts a = request.artifacts;
  a.hash = Attribute(header, "hash");
  a.ext = Attribute(header, "ext");
  if (require_hash && !a.hash) return false;
  if (!crypto::ConstantTimeEqual(*mac, Mac(c.alg, c.key, NormalizedString("response", a)))) return false;
  if (!a.hash) return true;
  return crypto::ConstantTimeEqual(*a.hash, PayloadHash(c.alg, ContentTypeOnly(content_type), body));
}

std::optional<int64_t> ServerTime(const ClientCredentials& c, std::string_view www_authenticate) {
  if (!www_authenticate.starts_with("Hawk ")) return std::nullopt;
  auto ts = Attribute(www_authenticate, "ts");
  auto tsm = Attribute(www_authenticate, "tsm");
  if (!ts || !tsm || ts->empty() || ts->size() > 12) return std::nullopt;
  int64_t seconds = 0;
  for (char ch : *ts) {
    if (ch < '0' || ch > '9') return std::nullopt;
    seconds = seconds * 10 + (ch - '0');
  }
  if (!crypto::ConstantTimeEqual(*tsm, TimestampMac(c.alg, c.key, *ts))) return std::nullopt;
  return seconds;
}

std::string NewNonce() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::array<uint8_t, 12> bytes{};
  crypto::RandomBytes(bytes);
  std::string out;
  for (uint8_t b : bytes) out.push_back(kAlphabet[b % 62]);
  return out;
}

}  // namespace rampart::auth::hawk
