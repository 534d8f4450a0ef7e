#include "vuln/deb_version.hpp"

namespace rampart::vuln {
namespace {

constexpr size_t kMaxVersionBytes = 256;

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The weight of one character in a non-digit run; 0 is the end of the part.
int Weight(char c) {
  if (c == '\0' || Digit(c)) return 0;
  if (c == '~') return -1;
  if (Alpha(c)) return static_cast<unsigned char>(c);
  return static_cast<unsigned char>(c) + 256;
}

bool Fail(std::string* why, const char* message) {
  if (why) *why = message;
  return false;
}

std::optional<DebVersion> Refuse(std::string* why, const char* message) {
  Fail(why, message);
  return std::nullopt;
}

bool CheckUpstream(std::string_view up, bool has_epoch, bool has_revision, std::string* why) {
  if (up.empty()) return Fail(why, "the upstream version is empty");
  if (!Digit(up[0])) return Fail(why, "the upstream version does not start with a digit");
  for (char c : up) {
    const bool ok = Digit(c) || Alpha(c) || c == '.' || c == '+' || c == '~' || (c == '-' && has_revision) ||
                    (c == ':' && has_epoch);
    if (!ok) return Fail(why, "the upstream version holds a character deb-version(5) does not allow");
  }
  return true;
}

}  // namespace

std::optional<DebVersion> DebVersion::Parse(std::string_view text, std::string* why) {
  if (text.empty()) return Refuse(why, "the version is empty");
  if (text.size() > kMaxVersionBytes) return Refuse(why, "the version is longer than 256 bytes");
  DebVersion v;
  std::string_view rest = text;
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = text.substr(0, colon);
    if (epoch.empty() || epoch.size() > 9) return Refuse(why, "the epoch is not a number");
    for (char c : epoch) {
      if (!Digit(c)) return Refuse(why, "the epoch is not a number");
      v.epoch = v.epoch * 10 + static_cast<uint32_t>(c - '0');
    }
    rest = text.substr(colon + 1);
  }
  const size_t dash = rest.rfind('-');
  std::string_view upstream = rest.substr(0, dash);
  if (dash != std::string_view::npos) {
    std::string_view revision = rest.substr(dash + 1);
    if (revision.empty()) return Refuse(why, "the revision after the last '-' is empty");
    for (char c : revision) {
      if (!(Digit(c) || Alpha(c) || c == '.' || c == '+' || c == '~')) {
        return Refuse(why, "the revision holds a character deb-version(5) does not allow");
      }
    }
    v.revision = std::string(revision);
  }
  if (!CheckUpstream(upstream, colon != std::string_view::npos, dash != std::string_view::npos, why)) {
    return std::nullopt;
  }
  v.upstream = std::string(upstream);
  return v;
}

std::string DebVersion::ToString() const {
  // "0:" stays when the upstream holds a colon: without it the text would read as an epoch.
  const bool show_epoch = epoch != 0 || upstream.find(':') != std::string::npos;
  std::string out = show_epoch ? std::to_string(epoch) + ":" : "";
  out += upstream;
  if (!revision.empty()) out += "-" + revision;
  return out;
}

bool IsPackageName(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || Digit(c) || (i > 0 && (c == '+' || c == '.' || c == '-'));
    if (!ok) return false;
  }
  return true;
}

int ComparePart(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto at = [](std::string_view s, size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    // A run of non-digits, character by character.
    while ((i < a.size() && !Digit(a[i])) || (j < b.size() && !Digit(b[j]))) {
      const int wa = Weight(at(a, i)), wb = Weight(at(b, j));
      if (wa != wb) return wa - wb;
      ++i;
      ++j;
    }
    // A run of digits, as a number: leading zeros do not count, a longer run is larger.
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    int first_difference = 0;
    while (Digit(at(a, i)) && Digit(at(b, j))) {
      if (!first_difference) first_difference = at(a, i) - at(b, j);
      ++i;
      ++j;
    }
    if (Digit(at(a, i))) return 1;
    if (Digit(at(b, j))) return -1;
    if (first_difference) return first_difference;
  }
  return 0;
}

int Compare(const DebVersion& a, const DebVersion& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  if (int c = ComparePart(a.upstream, b.upstream)) return c;
  return ComparePart(a.revision, b.revision);
}

}  // namespace rampart::vuln
