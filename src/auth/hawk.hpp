#pragma once
// Hawk HTTP authentication (server side), as @hapi/hawk 8 / hawk 9 behave: header parsing with
// the reference's exact rejections, host/port resolution, the normalized strings, MAC and payload
// hash, clock skew with signed server time (tsm), nonce replay detection, Server-Authorization,
// and bewits. The specification followed is docs/hawk.md (from shared/reference/hawk.md); every
// published and generated vector runs in hawk_vectors_test.cpp.
//
// Pure functions except Verify, which also consults the credentials lookup and the nonce cache.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/crypto.hpp"

namespace rampart::auth::hawk {

// A rejection exactly as the reference reports it: status, message, and the WWW-Authenticate
// value (empty: send none).
struct Failure {
  int status = 401;
  std::string message;
  std::string www_authenticate;
};

template <class T>
struct Outcome {
  std::optional<T> value;
  Failure failure;
  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
  static Outcome Ok(T v) { return {std::move(v), {}}; }
  static Outcome Fail(Failure f) { return {std::nullopt, std::move(f)}; }
};

struct Attributes {
  std::string id, ts, nonce, mac;
  std::optional<std::string> hash, ext, app, dlg;
};

// §3.1: length cap 4096, scheme, attribute grammar, allowed characters, duplicates, required set.
// A missing header or another scheme is 401 "Unauthorized" with WWW-Authenticate "Hawk".
Outcome<Attributes> ParseAuthorization(std::string_view header);

struct HostPort {
  std::string host;  // lower-cased, IPv6 brackets removed
  std::string port;  // decimal, no leading zeros
};

// §5: from the Host header value; default port 443 on TLS, else 80. 400 "Invalid Host header".
Outcome<HostPort> ResolveHost(std::string_view host_header, bool tls);

// Everything the normalized string covers.
struct Artifacts {
  std::string method;    // upper-cased
  std::string resource;  // raw request-target: path + query, as received
  std::string host, port, ts, nonce;
  std::optional<std::string> hash, ext, app, dlg;
};

// §4: "hawk.1.<type>\n" + ts, nonce, METHOD, resource, host, port, hash, escaped ext [, app, dlg].
std::string NormalizedString(std::string_view type, const Artifacts& a);
std::string Mac(crypto::HashAlg alg, std::string_view key, std::string_view normalized);  // base64
// §6: base64(HASH("hawk.1.payload\n" + normalized content type + "\n" + payload + "\n")).
std::string PayloadHash(crypto::HashAlg alg, std::string_view content_type, std::string_view payload);
// §7.1: base64(HMAC(key, "hawk.1.ts\n" + ts + "\n")).
std::string TimestampMac(crypto::HashAlg alg, std::string_view key, std::string_view ts);

// A credentials record as the store returns it. `algorithm` is checked at verification time
// (anything but sha1/sha256, or a missing key, is a 500 as in the reference).
struct Credentials {
  std::string id;
  std::optional<std::string> key;
  std::string algorithm;
  std::string user;  // opaque to Hawk: whom the credentials belong to
};
using CredentialsLookup = std::function<std::optional<Credentials>(std::string_view id)>;

// Replay detection: true if (id, nonce, ts) was not seen; remembers it until `expires_ms`.
using NonceCheck = std::function<bool(std::string_view id, std::string_view nonce, std::string_view ts,
                                      int64_t expires_ms)>;

enum class PayloadPolicy { kIgnore, kIfPresent, kRequired };

struct RequestView {
  std::string_view method;
  std::string_view target;
  std::string_view authorization;
  std::string_view content_type;
  std::optional<std::string_view> body;  // nullopt: the caller does not check the payload
  HostPort host;
};

struct VerifyOptions {
  int64_t skew_ms = 60000;
  PayloadPolicy payload = PayloadPolicy::kIfPresent;
};

struct Verified {
  Credentials credentials;
  crypto::HashAlg alg = crypto::HashAlg::kSha256;
  Artifacts artifacts;
};

// The payload step of Verify for a body read after its head was verified (rampart authenticates
// on the head, then reads the body): nullopt when the request signed no hash or the hash matches.
std::optional<Failure> VerifyPayload(const Verified& v, std::string_view content_type, std::string_view body);

// §7 in the reference's order: parse, required attributes, lookup, record sanity, MAC, payload,
// nonce, timestamp. A `ts` that is not all digits is rejected as stale (the reference's NaN
// quirk accepts it; rampart does not). `lookup` is called at most once (a caller may move its
// record out).
Outcome<Verified> Verify(const RequestView& req, const CredentialsLookup& lookup, const VerifyOptions& opts,
                         int64_t now_ms, const NonceCheck& nonces);
// The same after the parse step, for callers that parsed `req.authorization` already (to find the
// id's credentials) and must not pay for parsing it again.
Outcome<Verified> Verify(const RequestView& req, const Attributes& parsed, const CredentialsLookup& lookup,
                         const VerifyOptions& opts, int64_t now_ms, const NonceCheck& nonces);

// §8: `Hawk mac="…"[, hash="…"][, ext="…"]`. `payload_hash` is PayloadHash() of the response
// body with the response Content-Type, or nullopt to sign no body.
std::string ServerAuthorization(const Verified& v, std::optional<std::string> payload_hash,
                                std::optional<std::string_view> ext);

// §9: a bewit in the query of a GET/HEAD `target` (HEAD signs as GET).
Outcome<Verified> VerifyBewit(std::string_view method, std::string_view target, bool has_authorization,
                              const HostPort& host, const CredentialsLookup& lookup, int64_t now_ms);

}  // namespace rampart::auth::hawk
