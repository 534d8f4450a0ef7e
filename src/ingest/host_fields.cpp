#include "ingest/host_fields.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "net/ip_address.hpp"

namespace rampart::ingest {
namespace json = boost::json;

namespace {

bool Printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// "10.0.0.5", "10.0.0.5/24", "fe80::1/64": an interface address keeps its host bits, so this
// is an address and a prefix length within its family's width, not a network.
bool InterfaceAddress(std::string_view text) {
  const size_t slash = text.find('/');
  const auto address = net::IpAddress::Parse(text.substr(0, slash));
  if (!address) return false;
  if (slash == std::string_view::npos) return true;
  const std::string_view len = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  const int width = address->family == net::Family::kV4 ? 32 : 128;
  return ec == std::errc() && end == len.data() + len.size() && !len.empty() && len.size() <= 3 && prefix >= 0 &&
         prefix <= width;
}

}  // namespace

Result<std::optional<std::string>> HostText(const json::object& o, const char* key, size_t max) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string() || v->get_string().empty() || v->get_string().size() > max || !Printable(v->get_string())) {
    return Error::Invalid(std::string("'") + key + "' must be a string of 1 to " + std::to_string(max) +
                          " printable characters");
  }
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<json::value> HostAddresses(const json::object& o) {
  const json::value* v = o.if_contains("ipAddresses");
  json::object out{{"private", json::array{}}, {"link_local", json::array{}}, {"public", json::array{}}};
  if (!v || v->is_null()) return json::value(std::move(out));
  const json::object* ips = v->if_object();
  if (!ips) return Error::Invalid("'ipAddresses' must be an object of private, link_local and public lists");
  for (const auto& [kind, list] : *ips) {
    if (!out.contains(kind)) return Error::Invalid("'ipAddresses' has only private, link_local and public");
    const json::array* a = list.if_array();
    if (!a || a->size() > 64) return Error::Invalid("'ipAddresses." + std::string(kind) + "' must be a list of at most 64");
    for (const auto& e : *a) {
      if (!e.is_string() || !InterfaceAddress(e.get_string())) {
        return Error::Invalid("'ipAddresses." + std::string(kind) + "' must hold addresses (with an optional /prefix)");
      }
    }
    out[kind] = *a;
  }
  return json::value(std::move(out));
}

}  // namespace rampart::ingest
