#include "agent/host_facts.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bit>
#include <boost/json.hpp>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rampart::agent {
namespace json = boost::json;
std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

std::string Unquote(std::string v) {
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return v;
}

int PrefixOf(const sockaddr* mask) {
  if (!mask) return 0;
  int bits = 0;
  const auto* bytes = mask->sa_family == AF_INET
                          ? reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(mask)->sin_addr)
                          : reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr);
  size_t n = mask->sa_family == AF_INET ? 4 : 16;
  for (size_t i = 0; i < n; ++i) bits += std::popcount(static_cast<unsigned>(bytes[i]));
  return bits;
}

}  // namespace

std::string OsReleaseValue(const std::string& text, std::string_view key) {
  std::istringstream in(text);
  std::string line;
  const std::string prefix = std::string(key) + "=";
  while (std::getline(in, line)) {
    if (line.starts_with(prefix)) return Unquote(line.substr(prefix.size()));
  }
  return "";
}

std::string OsVersionOf(const std::string& text) {
  const std::string id = OsReleaseValue(text, "ID"), version = OsReleaseValue(text, "VERSION_ID");
  if (id.empty()) return "";
  return version.empty() ? id : id + " " + version;
}

std::string ClassOf(const std::string& address) {
  unsigned char b[16] = {};
  if (inet_pton(AF_INET, address.c_str(), b) == 1) {
    if (b[0] == 127 || (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0)) return "";
    if (b[0] == 169 && b[1] == 254) return "link_local";
    if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
        (b[0] == 100 && (b[1] & 0xc0) == 64)) {
      return "private";
    }
    return "public";
  }
  if (inet_pton(AF_INET6, address.c_str(), b) == 1) {
    static const unsigned char kZero[16] = {};
    unsigned char loop[16] = {};
    loop[15] = 1;
    if (std::memcmp(b, kZero, 16) == 0 || std::memcmp(b, loop, 16) == 0) return "";
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link_local";
    if ((b[0] & 0xfe) == 0xfc) return "private";
    return "public";
  }
  return "";
}

HostFacts ReadHostFacts(const std::string& root) {
  HostFacts f;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0) f.hostname = name;
  utsname u{};
  if (::uname(&u) == 0) f.kernel = u.release;
  f.os_version = OsVersionOf(ReadFile(root + "/etc/os-release"));
  f.machine_id = Unquote(ReadFile(root + "/etc/machine-id"));
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return f;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6)) continue;
    if (i->ifa_flags & IFF_LOOPBACK) continue;
    char text[INET6_ADDRSTRLEN] = {};
    const void* addr = i->ifa_addr->sa_family == AF_INET
                           ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr)
                           : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr);
    inet_ntop(i->ifa_addr->sa_family, addr, text, sizeof text);
    std::string cls = ClassOf(text);
    std::string cidr = std::string(text) + "/" + std::to_string(PrefixOf(i->ifa_netmask));
    // At most 64 a list, as the server takes them: a container host has a link-local address
    // per veth, and one address too many must not cost the heartbeat.
    auto add = [&](std::vector<std::string>& kind) {
      if (kind.size() < kMaxAddressesPerList) kind.push_back(cidr);
    };
    if (cls == "private") add(f.addresses.private_);
    if (cls == "link_local") add(f.addresses.link_local);
    if (cls == "public") add(f.addresses.public_);
  }
  ::freeifaddrs(list);
  return f;
}

json::object AddressesJson(const Addresses& a) {
  auto arr = [](const std::vector<std::string>& v) {
    json::array out;
    for (const auto& s : v) out.emplace_back(s);
    return out;
  };
  return {{"private", arr(a.private_)}, {"link_local", arr(a.link_local)}, {"public", arr(a.public_)}};
}

json::object HostJson(const HostFacts& f) {
  json::object host{{"version", kAgentVersion}, {"ipAddresses", AddressesJson(f.addresses)}};
  for (const auto& [k, v] : {std::pair{"hostname", f.hostname}, {"kernel", f.kernel}, {"osVersion", f.os_version}}) {
    if (!v.empty()) host[k] = v;
  }
  return host;
}

const char* const kAgentVersion = RAMPART_AGENT_VERSION;

}  // namespace rampart::agent
