#include "api/client_ip.hpp"

#include "base/strings.hpp"

namespace rampart::api {

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  std::string bad;
  auto nets = net::ParseNetworkList(list, &bad);
  if (!nets) return Error::Invalid("trusted_proxies: not an address or network: " + QuoteForDetail(bad));
  out.nets_ = std::move(*nets);
  return out;
}

bool TrustedProxies::Contains(std::string_view address) const {
  auto a = net::IpAddress::Parse(address);
  if (!a) return false;
  for (const auto& n : nets_) {
    if (n.Contains(*a)) return true;
  }
  return false;
}

std::string TrustedProxies::ClientOf(std::string_view peer, const http::Request& head) const {
  if (!Contains(peer)) return std::string(peer);
  std::string joined;
  auto [first, last] = head.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ", ";
    joined += std::string_view(it->value().data(), it->value().size());
  }
  return ClientAddress(peer, joined);
}

std::string TrustedProxies::ClientAddress(std::string_view peer, std::string_view xff) const {
  if (xff.empty() || !Contains(peer)) return std::string(peer);
  std::string_view rest = xff;
  while (!rest.empty()) {
    size_t comma = rest.rfind(',');
    std::string_view hop = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (!net::IpAddress::Parse(hop)) return std::string(peer);  // garbage: do not trust the header
    if (!Contains(hop)) return std::string(hop);
  }
  return std::string(peer);
}

}  // namespace rampart::api
