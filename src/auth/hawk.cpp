// Hawk normalized strings, MACs, verification, response signing and bewits (hawk.md §4–§9).
#include "auth/hawk.hpp"

#include <algorithm>

namespace rampart::auth::hawk {
namespace {

using crypto::HashAlg;

Failure Unauthorized(std::string message) {
  std::string www = "Hawk error=\"" + message + "\"";
  return {401, std::move(message), std::move(www)};
}

// §4: ext is escaped ("\" -> "\\", LF -> "\n") before it is signed.
std::string EscapeExt(std::string_view ext) {
  std::string out;
  for (char c : ext) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string NormalizeContentType(std::string_view ct) {
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && (ct.front() == ' ' || ct.front() == '\t')) ct.remove_prefix(1);
  while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.remove_suffix(1);
  std::string out(ct);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// Checks the record like the reference: a key is required, and only sha1/sha256 exist.
std::optional<Failure> CheckRecord(const Credentials& c, HashAlg& alg) {
  if (!c.key) return Failure{500, "Invalid credentials", ""};
  if (c.algorithm == "sha256") {
    alg = HashAlg::kSha256;
  } else if (c.algorithm == "sha1") {
    alg = HashAlg::kSha1;
  } else {
    return Failure{500, "Unknown algorithm", ""};
  }
  return std::nullopt;
}

// Unix seconds as written by clients: digits only (the reference's NaN quirk is not copied).
std::optional<int64_t> ParseSeconds(std::string_view ts) {
  if (ts.empty() || ts.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : ts) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Absolute-form targets are reduced to path and query before signing, as the reference does.
std::string_view Resource(std::string_view target) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    size_t slash = target.find('/', target.find("//") + 2);
    return slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return target;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

}  // namespace

namespace {

// The normalized string with `hash` and `ext` in place of the artifacts' own (a response is
// signed over the request's artifacts with its own payload hash and ext), without copying them.
std::string Normalized(std::string_view type, const Artifacts& a, std::optional<std::string_view> hash,
                       std::optional<std::string_view> ext) {
  std::string s;
  s.reserve(256);  // one allocation for a usual request, not one per line appended
  s += "hawk.1.";
  s += type;
  s += '\n';
  for (const std::string* line : {&a.ts, &a.nonce, &a.method, &a.resource, &a.host, &a.port}) {
    s += *line;
    s += '\n';
  }
  if (hash) s += *hash;
  s += '\n';
  if (ext && !ext->empty()) s += EscapeExt(*ext);
  s += '\n';
  if (a.app && !a.app->empty()) {
    s += *a.app;
    s += '\n';
    s += a.dlg.value_or("");
    s += '\n';
  }
  return s;
}

std::optional<std::string_view> View(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

}  // namespace

std::string NormalizedString(std::string_view type, const Artifacts& a) {
  return Normalized(type, a, View(a.hash), View(a.ext));
}

std::string Mac(HashAlg alg, std::string_view key, std::string_view normalized) {
  return crypto::Base64Encode(crypto::Hmac(alg, key, normalized));
}

std::string PayloadHash(HashAlg alg, std::string_view content_type, std::string_view payload) {
  crypto::Hasher h(alg);
  h.Update("hawk.1.payload\n").Update(NormalizeContentType(content_type)).Update("\n").Update(payload).Update("\n");
  return crypto::Base64Encode(h.Final());
}

std::string TimestampMac(HashAlg alg, std::string_view key, std::string_view ts) {
  return crypto::Base64Encode(crypto::Hmac(alg, key, "hawk.1.ts\n" + std::string(ts) + "\n"));
}

Outcome<Verified> Verify(const RequestView& req, const CredentialsLookup& lookup, const VerifyOptions& opts,
                         int64_t now_ms, const NonceCheck& nonces) {
  Outcome<Attributes> attrs = ParseAuthorization(req.authorization);
  if (!attrs) return Outcome<Verified>::Fail(attrs.failure);
  return Verify(req, *attrs, lookup, opts, now_ms, nonces);
}

Outcome<Verified> Verify(const RequestView& req, const Attributes& parsed, const CredentialsLookup& lookup,
                         const VerifyOptions& opts, int64_t now_ms, const NonceCheck& nonces) {
  using O = Outcome<Verified>;
  const Attributes* attrs = &parsed;
  std::optional<Credentials> creds = lookup(attrs->id);
  if (!creds) return O::Fail(Unauthorized("Unknown credentials"));
  Verified v;
  if (auto bad = CheckRecord(*creds, v.alg)) return O::Fail(*bad);
  v.credentials = std::move(*creds);
  Artifacts& a = v.artifacts;
  a.method = Upper(req.method);
  a.resource = std::string(Resource(req.target));
  a.host = req.host.host;
  a.port = req.host.port;
  a.ts = attrs->ts;
  a.nonce = attrs->nonce;
  a.hash = attrs->hash;
  a.ext = attrs->ext;
  a.app = attrs->app;
  a.dlg = attrs->dlg;
  const std::string& key = *v.credentials.key;
  if (!crypto::ConstantTimeEqual(Mac(v.alg, key, NormalizedString("header", a)), attrs->mac)) {
    return O::Fail(Unauthorized("Bad mac"));
  }
  if (opts.payload != PayloadPolicy::kIgnore && req.body) {
    if (!a.hash) {
      if (opts.payload == PayloadPolicy::kRequired) return O::Fail(Unauthorized("Missing required payload hash"));
    } else if (auto bad = VerifyPayload(v, req.content_type, *req.body)) {
      return O::Fail(std::move(*bad));
    }
  }
  std::optional<int64_t> ts = ParseSeconds(a.ts);
  // The nonce is checked before the timestamp (the reference's order), so a stale request is
  // remembered too; never past now + 2 x skew, or requests dated far ahead (refused as stale)
  // would hold cache slots until their own ts and a key holder could fill the cache for good.
  int64_t keep_until = std::min(ts ? *ts * 1000 : now_ms, now_ms + opts.skew_ms) + opts.skew_ms;
  if (nonces && !nonces(v.credentials.id, a.nonce, a.ts, keep_until)) return O::Fail(Unauthorized("Invalid nonce"));
  if (!ts || *ts * 1000 - now_ms > opts.skew_ms || now_ms - *ts * 1000 > opts.skew_ms) {
    std::string now_s = std::to_string(now_ms / 1000);
    return O::Fail({401, "Stale timestamp",
                    "Hawk ts=\"" + now_s + "\", tsm=\"" + TimestampMac(v.alg, key, now_s) +
                        "\", error=\"Stale timestamp\""});
  }
  return O::Ok(std::move(v));
}

std::string ServerAuthorization(const Verified& v, std::optional<std::string> payload_hash,
                                std::optional<std::string_view> ext) {
  if (ext && ext->empty()) ext.reset();
  const std::string mac = Mac(v.alg, *v.credentials.key, Normalized("response", v.artifacts, View(payload_hash), ext));
  std::string header;
  header.reserve(128);
  header.append("Hawk mac=\"").append(mac).append("\"");
  if (payload_hash) header.append(", hash=\"").append(*payload_hash).append("\"");
  if (ext) header.append(", ext=\"").append(*ext).append("\"");
  return header;
}

Outcome<Verified> VerifyBewit(std::string_view method, std::string_view target, bool has_authorization,
                              const HostPort& host, const CredentialsLookup& lookup, int64_t now_ms) {
  using O = Outcome<Verified>;
  if (target.size() > 4096) return O::Fail({400, "Resource path exceeds max length", ""});
  // ^(\/.*)([\?&])bewit\=([^&$]*)(?:&(.+))?$ — the last "?bewit=" or "&bewit=" wins.
  size_t at = std::string_view::npos;
  for (size_t p = target.find("bewit="); p != std::string_view::npos; p = target.find("bewit=", p + 1)) {
    if (p >= 2 && (target[p - 1] == '?' || target[p - 1] == '&')) at = p - 1;
  }
  if (target.empty() || target.front() != '/' || at == std::string_view::npos) {
    return O::Fail({401, "Unauthorized", "Hawk"});
  }
  size_t value_start = at + 7;
  size_t value_end = target.find('&', value_start);
  std::string_view bewit = target.substr(value_start, value_end == std::string_view::npos ? std::string_view::npos
                                                                                          : value_end - value_start);
  std::string url(target.substr(0, at));
  if (value_end != std::string_view::npos && value_end + 1 < target.size()) {
    url += target[at];
    url += target.substr(value_end + 1);
  }
  if (bewit.empty()) return O::Fail(Unauthorized("Empty bewit"));
  if (method != "GET" && method != "HEAD") return O::Fail(Unauthorized("Invalid method"));
  if (has_authorization) return O::Fail({400, "Multiple authentications", ""});
  std::optional<std::string> decoded = crypto::Base64UrlDecode(bewit);
  if (!decoded) return O::Fail({400, "Invalid bewit encoding", ""});
  std::string_view parts[4];
  std::string_view rest = *decoded;
  size_t n = 0;
  for (; n < 4; ++n) {
    size_t bs = rest.find('\\');
    parts[n] = rest.substr(0, bs);
    if (bs == std::string_view::npos) break;
    rest.remove_prefix(bs + 1);
  }
  if (n != 3 || rest.find('\\') != std::string_view::npos) return O::Fail({400, "Invalid bewit structure", ""});
  if (parts[0].empty() || parts[1].empty() || parts[2].empty()) return O::Fail({400, "Missing bewit attributes", ""});
  std::optional<Credentials> creds = lookup(parts[0]);
  if (!creds) return O::Fail(Unauthorized("Unknown credentials"));
  Verified v;
  if (auto bad = CheckRecord(*creds, v.alg)) return O::Fail(*bad);
  v.credentials = std::move(*creds);
  Artifacts& a = v.artifacts;
  a.method = "GET";
  a.resource = url;
  a.host = host.host;
  a.port = host.port;
  a.ts = std::string(parts[1]);
  if (!parts[3].empty()) a.ext = std::string(parts[3]);
  if (!crypto::ConstantTimeEqual(Mac(v.alg, *v.credentials.key, NormalizedString("bewit", a)), parts[2])) {
    return O::Fail(Unauthorized("Bad mac"));
  }
  std::optional<int64_t> exp = ParseSeconds(parts[1]);
  if (!exp || *exp * 1000 <= now_ms) return O::Fail(Unauthorized("Access expired"));
  return O::Ok(std::move(v));
}

std::optional<Failure> VerifyPayload(const Verified& v, std::string_view content_type, std::string_view body) {
  if (!v.artifacts.hash) return std::nullopt;
  if (crypto::ConstantTimeEqual(PayloadHash(v.alg, content_type, body), *v.artifacts.hash)) return std::nullopt;
  return Unauthorized("Bad payload hash");
}

}  // namespace rampart::auth::hawk
