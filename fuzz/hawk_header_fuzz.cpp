// Untrusted Hawk inputs: the Authorization header, the Host header and a bewit-carrying target,
// through parsing and (for well-formed headers) full verification against a fixed credential.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/hawk.hpp"

using namespace rampart::auth::hawk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const CredentialsLookup lookup = [](std::string_view id) -> std::optional<Credentials> {
    return Credentials{std::string(id), "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn", "sha256", ""};
  };
  auto attrs = ParseAuthorization(text);
  if (attrs && (attrs->id.empty() || attrs->mac.empty())) __builtin_trap();  // required attributes
  auto host = ResolveHost(text.substr(0, 300), size % 2 == 0);
  HostPort hp = host ? *host : HostPort{"example.com", "80"};
  RequestView req{"POST", "/v2/agents?x=1", text, "application/json", text, hp};
  (void)Verify(req, lookup, {}, 1353832234000, nullptr);
  (void)VerifyBewit("GET", text, false, hp, lookup, 1353832234000);
  return 0;
}
