#pragma once
// The client address a request is accounted to (rate limits). Only when the peer is a trusted
// proxy is X-Forwarded-For believed: the address taken is the right-most one that is not itself
// a trusted proxy (left-most entries are whatever the client chose to send).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "http/types.hpp"
#include "net/ip_address.hpp"

namespace rampart::api {

class TrustedProxies {
 public:
  // Comma-separated addresses or CIDRs; empty: trust no proxy.
  static Result<TrustedProxies> Parse(std::string_view list);
  bool Contains(std::string_view address) const;
  std::string ClientAddress(std::string_view peer, std::string_view x_forwarded_for) const;
  // The same, from a request head: every X-Forwarded-For line, in order, joined (a proxy may add a
  // line of its own rather than extend the client's: reading only the first would believe the
  // client's own claim).
  std::string ClientOf(std::string_view peer, const http::Request& head) const;
  bool empty() const { return nets_.empty(); }

 private:
  std::vector<net::IpNetwork> nets_;
};

}  // namespace rampart::api
