#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace rampart {

inline bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// 1..max characters a request id or a Host may carry into a reply or a log line as they are:
// letters, digits and - _ . : [ ] (an IPv6 literal's brackets and colons).
inline bool IsSafeToken(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!(IsAsciiAlnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '[' || c == ']')) return false;
  }
  return true;
}

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Quotes a user-supplied value for an error detail: bounded, control bytes escaped.
// The pieces of `s` between `sep`s (an empty `s` is one empty piece); views into `s`.
std::vector<std::string_view> SplitView(std::string_view s, char sep);

std::string QuoteForDetail(std::string_view s);

// An untrusted value for a text log line: printable ASCII is kept, `\` and `"` are escaped, and
// every other byte (CR, LF, NUL, controls, anything >= 0x80 including invalid UTF-8) becomes
// \xNN, so a value can neither end the line nor forge another. Every logger uses it for every
// value that came from outside (DNS names, paths, header values, echoed JSON fields).
std::string EscapeForLog(std::string_view s);

}  // namespace rampart
