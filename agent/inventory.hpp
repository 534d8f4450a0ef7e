#pragma once
// The host's installed Debian packages (issue 15 §1), read from dpkg's status file directly
// (`/var/lib/dpkg/status`: no process per scan, and the same answer `dpkg-query` gives): binary
// name, architecture, version, source package and source version (the key vulnerability
// matching uses), and dpkg's status. Pure parsing over text, so tests feed recorded files.
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace rampart::agent {

struct Package {
  std::string name, arch, version, source, source_version, status;
  bool operator==(const Package&) const = default;
};

// Every stanza whose status is not `not-installed` or `config-files` (their files are gone),
// sorted by name and architecture. `Source: x` means source x at the binary's version;
// `Source: x (v)` gives the source version; no Source means the binary's own name. Stanzas
// missing a name, version or architecture are skipped. At most `max_packages`.
std::vector<Package> ParseDpkgStatus(std::string_view text, size_t max_packages = 100000);

boost::json::object PackageJson(const Package& p);

// What changed between two sorted inventories: packages added or changed, and (name, arch) of
// those removed.
struct InventoryDelta {
  std::vector<Package> upserted, removed;
  bool empty() const { return upserted.empty() && removed.empty(); }
};
InventoryDelta Diff(const std::vector<Package>& before, const std::vector<Package>& after);

}  // namespace rampart::agent
