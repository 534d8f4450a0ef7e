#pragma once
// The ThreatSTOP v4.0 surface's own stage: Bearer API keys, checked on the head.
#include "api/chain.hpp"
#include "auth/bearer.hpp"
#include "userlists/service.hpp"

namespace rampart::api {

// Authenticates a non-public route's Bearer token (from the cache on the I/O thread, else from the
// store on the blocking pool), then makes sure the account's lists are in memory (the first
// request of an account loads them, off-thread) so handlers never touch the store to read.
class BearerAuthStage final : public Middleware {
 public:
  BearerAuthStage(auth::TokenAuthenticator& auth, userlists::UserListService& lists) : auth_(auth), lists_(lists) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;
  Step OnHeadBlocking(const http::Request& head, Exchange& ex) const override;

 private:
  auth::TokenAuthenticator& auth_;
  userlists::UserListService& lists_;
};

// A known v4.0 path with a method it does not have: the vendor's codes for DELETE on a
// collection and POST with an object id, else 405.
Error ThreatstopMethodMismatch(const http::Request& req, const std::vector<std::string_view>& segments);

}  // namespace rampart::api
