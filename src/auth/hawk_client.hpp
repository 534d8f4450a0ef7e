#pragma once
// The client side of Hawk (hawk.hpp is the server side): the Authorization header of a request,
// with its payload hash, and the check of the server's reply (Server-Authorization: the MAC over
// the request's artifacts with the reply's payload hash). rampart-agent signs every request with
// it; its tests check it against the server's own Verify, so the two cannot drift apart.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/hawk.hpp"

namespace rampart::auth::hawk {

struct ClientCredentials {
  std::string id;
  std::string key;
  crypto::HashAlg alg = crypto::HashAlg::kSha256;
};

struct ClientRequest {
  std::string method;    // "POST"
  std::string resource;  // path and query, exactly as sent
  std::string host;      // as the Host header will carry it, without the port
  std::string port;      // decimal
  std::optional<std::string> content_type;  // with a body: its payload hash is signed
  std::string_view body;
  // Signed and sent as `ext` (Threat Stack's v2 API carries the organization id there). Holds no
  // `"` or `\` (the caller's to check: the header could not carry them).
  std::optional<std::string> ext = std::nullopt;
};

struct SignedRequest {
  std::string authorization;  // the header value
  Artifacts artifacts;        // what the reply's Server-Authorization is checked against
};

// `nonce`: at least 6 characters of [A-Za-z0-9] from a CSPRNG (the caller's, so tests can fix it).
SignedRequest SignRequest(const ClientCredentials& c, const ClientRequest& r, int64_t now_s, std::string nonce);

// True when `header` is `Hawk mac="…"[, hash="…"]` with the MAC of the signed request's
// artifacts and, when it names a hash, the reply's body matching it. A reply without a hash is
// accepted only when `require_hash` is false.
bool VerifyServerAuthorization(const ClientCredentials& c, const SignedRequest& request, std::string_view header,
                               std::string_view content_type, std::string_view body, bool require_hash);

// The server's time from a 401's `WWW-Authenticate: Hawk ts="…", tsm="…"`, only when `tsm` is
// the MAC of `ts` under the client's key (so nothing between the two can move the client's clock).
std::optional<int64_t> ServerTime(const ClientCredentials& c, std::string_view www_authenticate);

// A nonce from the CSPRNG.
std::string NewNonce();

}  // namespace rampart::auth::hawk
