#pragma once
// The ThreatSTOP v4.0 surface's own stage: Bearer API keys, checked on the head.
#include "api/chain.hpp"
#include "api/client_ip.hpp"
#include "identity/api_keys.hpp"
#include "userlists/service.hpp"

namespace rampart::api {

// Authenticates a non-public route's Bearer API key (from the cache on the I/O thread, else from the
// store on the blocking pool), then makes sure the organization's lists are in memory (the first
// request of an organization loads them, off-thread) so handlers never touch the store to read.
class BearerAuthStage final : public Middleware {
 public:
  // `proxies`: whose X-Forwarded-For names the client a key's allowed networks are checked against.
  BearerAuthStage(identity::ApiKeyService& auth, userlists::UserListService& lists, const TrustedProxies& proxies)
      : auth_(auth), lists_(lists), proxies_(proxies) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;
  Step OnHeadBlocking(const http::Request& head, Exchange& ex) const override;

 private:
  identity::ApiKeyService& auth_;
  userlists::UserListService& lists_;
  const TrustedProxies& proxies_;
};

// A known v4.0 path with a method it does not have: the vendor's codes for DELETE on a
// collection and POST with an object id, else 405.
Error ThreatstopMethodMismatch(const http::Request& req, const std::vector<std::string_view>& segments);

}  // namespace rampart::api
