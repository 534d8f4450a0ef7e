#pragma once
// Matching installed packages against Debian security data, Debian's way (docs/vulnerabilities.md):
// by (release codename, SOURCE package), never by binary or CPE names; affected when the
// installed source version orders below the fixed version (deb_version.hpp), or when there is
// no fix yet (reported as unfixed); a fixed version of "0" means the release was never affected.
// Kernel images are matched as the `linux` source at the image's own version: their binary
// comes from `linux-signed-<arch>`, whose version is not the kernel's.
//
// FeedIndex is an immutable snapshot built once per imported feed and shared by readers.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vuln/deb_version.hpp"
#include "vuln/feed.hpp"

namespace rampart::vuln {

struct IndexedEntry {
  std::string cve;
  std::optional<DebVersion> fixed;  // nullopt: unfixed
  bool never_affected = false;      // fixed_version "0"
  std::string urgency;
  bool nodsa = false;
  std::vector<std::string> notices;
  bool operator==(const IndexedEntry&) const = default;
};

class FeedIndex {
 public:
  // Builds an index entry by entry, as a store scan hands them over. Entries whose
  // fixed_version does not parse are left out (the feed parsers refuse them).
  class Builder {
   public:
    Builder();
    void Add(FeedEntry&& e);
    std::shared_ptr<const FeedIndex> Finish();

   private:
    std::shared_ptr<FeedIndex> index_;
  };
  static std::shared_ptr<const FeedIndex> Build(const std::vector<FeedEntry>& entries);
  // The entries of one source package in one release (empty when none).
  const std::vector<IndexedEntry>& For(std::string_view release, std::string_view source) const;
  size_t size() const { return size_; }
  // The (release, source) keys whose entries differ between two indexes; every key of `after`
  // when there is no `before`.
  static std::vector<std::pair<std::string, std::string>> ChangedKeys(const FeedIndex* before, const FeedIndex& after);

 private:
  // By release, then by source package: looked up by string_view (no key built per package),
  // and the source names are short enough to sit inside the map's nodes.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using BySource = std::unordered_map<std::string, std::vector<IndexedEntry>, Hash, std::equal_to<>>;
  std::map<std::string, BySource, std::less<>> by_release_;
  size_t size_ = 0;
};

struct InstalledPackage {
  std::string name, arch, version, source, source_version;
};

// The (source, version) a package is matched by.
std::pair<std::string, std::string> MatchKey(const InstalledPackage& p);

struct Finding {
  std::string cve;
  std::string package, arch, version;  // the binary as installed
  std::string source, source_version;  // what was compared (MatchKey)
  std::optional<std::string> fixed_version;  // nullopt: unfixed
  std::string urgency;
  std::vector<std::string> notices;
};

// Every vulnerability of `packages` on a host of `release`, stopping after `limit` + 1 findings
// (the caller refuses an inventory past its limit: hostile packages naming a big source could
// otherwise make millions). Versions that do not parse match nothing.
std::vector<Finding> Match(const FeedIndex& index, std::string_view release, const std::vector<InstalledPackage>& packages,
                           size_t limit = SIZE_MAX);

// Threat Stack's severity from Debian's urgency: high, medium, low; `unimportant` and
// `end-of-life` are low (and say so in `note`); untriaged ("not yet assigned", "") is medium.
// A trailing "**" (the tracker's "from the NVD score") is dropped.
struct Severity {
  std::string level;  // "low" | "medium" | "high"
  std::string note;   // "unimportant", "end-of-life", "not yet assigned", or ""
};
Severity SeverityOf(std::string_view urgency);

}  // namespace rampart::vuln
