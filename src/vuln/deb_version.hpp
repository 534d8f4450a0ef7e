#pragma once
// Debian package versions as deb-version(5) defines them: `[epoch:]upstream[-revision]`,
// ordered by epoch (a number), then upstream, then revision, each of the last two compared as
// alternating runs of non-digits (character by character: `~` before everything, even the end
// of the string; then the end; then letters; then every other character) and digits (as numbers,
// leading zeros ignored). An absent revision orders like "0".
//
// The comparison is differential-tested against dpkg's own (deb_version_test.cpp), because a
// matcher that orders `1.2~bpo12+1` or `2:1.0` wrongly reports fixed hosts as vulnerable, the
// false positives scanners on Debian are known for.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::vuln {

struct DebVersion {
  uint32_t epoch = 0;
  std::string upstream;
  std::string revision;  // "" when the version has none

  // A version as dpkg accepts it in a package's control data: no spaces, a numeric epoch,
  // a non-empty upstream that starts with a digit and holds only [A-Za-z0-9.+~:-] (a hyphen
  // only when there is a revision, a colon only after an epoch), a non-empty revision of
  // [A-Za-z0-9.+~]. `why` (optional) names the first problem. At most 256 bytes.
  static std::optional<DebVersion> Parse(std::string_view text, std::string* why = nullptr);

  bool operator==(const DebVersion&) const = default;  // the same parts (Compare may still say 0 for "1.0" and "1.00")
  std::string ToString() const;  // canonical: the epoch only when non-zero (or needed to read back)
};

// A Debian package name as the server takes it: [a-z0-9][a-z0-9+.-]*, at most 128 bytes.
bool IsPackageName(std::string_view s);

// <0, 0 or >0 as a orders before, the same as, or after b.
int Compare(const DebVersion& a, const DebVersion& b);

// One upstream or revision part against another (the non-digit/digit run algorithm).
int ComparePart(std::string_view a, std::string_view b);

}  // namespace rampart::vuln
