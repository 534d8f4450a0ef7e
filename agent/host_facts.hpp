#pragma once
// What the agent says about its host (enrollment and heartbeats): hostname, kernel release,
// `osVersion` ("debian 12" from /etc/os-release), the machine id (the host's fingerprint), and
// its addresses split like /v2/agents shows them. `root` lets tests read a fake /etc.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::agent {

inline constexpr size_t kMaxAddressesPerList = 64;  // the server's cap (ingest/host_fields.hpp)

struct Addresses {
  std::vector<std::string> private_, link_local, public_;  // "10.0.0.5/24"
};

struct HostFacts {
  std::string hostname, kernel, os_version, machine_id;
  Addresses addresses;
};

HostFacts ReadHostFacts(const std::string& root = "");
// A whole file's text; "" when it cannot be read.
std::string ReadFile(const std::string& path);
// "debian 12" from os-release text (ID and VERSION_ID; ID alone when there is no version).
std::string OsVersionOf(const std::string& os_release_text);
// One KEY=value of os-release text, unquoted ("" when absent): VERSION_CODENAME, VERSION_ID, …
std::string OsReleaseValue(const std::string& os_release_text, std::string_view key);
// Where an address belongs: "private" (RFC 1918, fc00::/7, 100.64/10), "link_local"
// (169.254/16, fe80::/10), "public", or "" for loopback and unspecified (not reported).
std::string ClassOf(const std::string& address);
boost::json::object AddressesJson(const Addresses& a);
// The facts as enrollment and heartbeats send them: hostname, kernel, osVersion, the agent's
// version and ipAddresses (empty strings left out). The machine id is not among them.
boost::json::object HostJson(const HostFacts& f);

// This build's version (the project's), reported as the agent's `version`.
extern const char* const kAgentVersion;

}  // namespace rampart::agent
