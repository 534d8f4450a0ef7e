// Hawk header and Host parsing: a linear scanner reproducing the reference's regular
// expressions and error precedence (hawk.md §3.1 and §5) without backtracking.
#include <array>
#include <cstdint>

#include "auth/hawk.hpp"

namespace rampart::auth::hawk {
namespace {

constexpr size_t kMaxHeader = 4096;

// Character classes as one table lookup each: the scanner visits every byte of the header.
enum : uint8_t { kWord = 1, kSpace = 2, kValue = 4 };
constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') t[c] |= kWord;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') t[c] |= kSpace;
    if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') t[c] |= kValue;
  }
  return t;
}();
bool Is(char c, uint8_t cls) { return (kClass[static_cast<unsigned char>(c)] & cls) != 0; }
bool IsWord(char c) { return Is(c, kWord); }
bool IsSpace(char c) { return Is(c, kSpace); }
bool IsValueChar(char c) { return Is(c, kValue); }

Failure BadRequest(std::string message) { return {400, std::move(message), ""}; }
Failure Unauthorized() { return {401, "Unauthorized", "Hawk"}; }

// Tries `(\w+)="([^"\\]*)"\s*(?:,\s*|$)` with the name spanning [start, name_end).
// On success returns the end of the match and the value span.
bool MatchAttribute(std::string_view s, size_t name_end, size_t& end, std::string_view& value) {
  size_t i = name_end;
  if (i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') return false;
  size_t v = i + 2, j = v;
  while (j < s.size() && s[j] != '"' && s[j] != '\\') ++j;
  if (j >= s.size() || s[j] != '"') return false;
  value = s.substr(v, j - v);
  size_t k = j + 1;
  while (k < s.size() && IsSpace(s[k])) ++k;
  if (k == s.size()) {
    end = k;
    return true;
  }
  if (s[k] != ',') return false;
  ++k;
  while (k < s.size() && IsSpace(s[k])) ++k;
  end = k;
  return true;
}

std::optional<std::string>* Slot(Attributes& a, std::string_view name, std::array<std::optional<std::string>, 4>& req) {
  if (name == "id") return &req[0];
  if (name == "ts") return &req[1];
  if (name == "nonce") return &req[2];
  if (name == "mac") return &req[3];
  if (name == "hash") return &a.hash;
  if (name == "ext") return &a.ext;
  if (name == "app") return &a.app;
  if (name == "dlg") return &a.dlg;
  return nullptr;
}

}  // namespace

Outcome<Attributes> ParseAuthorization(std::string_view header) {
  using O = Outcome<Attributes>;
  if (header.empty()) return O::Fail(Unauthorized());
  if (header.size() > kMaxHeader) return O::Fail(BadRequest("Header length too long"));
  // ^(\w+)(?:\s+(.*))?$ — '.' excludes line terminators.
  size_t scheme_end = 0;
  while (scheme_end < header.size() && IsWord(header[scheme_end])) ++scheme_end;
  if (scheme_end == 0) return O::Fail(BadRequest("Invalid header syntax"));
  std::string_view rest;
  if (scheme_end < header.size()) {
    size_t p = scheme_end;
    while (p < header.size() && IsSpace(header[p])) ++p;
    if (p == scheme_end) return O::Fail(BadRequest("Invalid header syntax"));
    rest = header.substr(p);
    // (Two memchr scans: find_first_of calls memchr once per character of the header.)
    if (rest.find('\r') != std::string_view::npos || rest.find('\n') != std::string_view::npos) {
      return O::Fail(BadRequest("Invalid header syntax"));
    }
  }
  std::string_view scheme = header.substr(0, scheme_end);
  bool is_hawk = scheme.size() == 4;
  for (size_t i = 0; is_hawk && i < 4; ++i) is_hawk = (scheme[i] | 0x20) == "hawk"[i];
  if (!is_hawk) return O::Fail(Unauthorized());
  if (rest.empty()) return O::Fail(BadRequest("Invalid header syntax"));

  Attributes a;
  std::array<std::optional<std::string>, 4> required;
  std::string error;
  size_t covered = 0;  // characters consumed by matches
  size_t pos = 0;
  while (pos < rest.size()) {
    if (!IsWord(rest[pos])) {
      ++pos;
      continue;
    }
    size_t name_end = pos;
    while (name_end < rest.size() && IsWord(rest[name_end])) ++name_end;
    size_t end = 0;
    std::string_view value;
    if (!MatchAttribute(rest, name_end, end, value)) {
      pos = name_end;  // every start inside this word fails the same way
      continue;
    }
    std::string_view name = rest.substr(pos, name_end - pos);
    covered += end - pos;
    pos = end;
    std::optional<std::string>* slot = Slot(a, name, required);
    bool valid_value = !value.empty();
    for (char c : value) valid_value &= IsValueChar(c);
    if (!slot) {
      error = "Unknown attribute: " + std::string(name);
    } else if (!valid_value) {
      error = "Bad attribute value: " + std::string(name);
    } else if (slot->has_value()) {
      error = "Duplicate attribute: " + std::string(name);
    } else {
      *slot = std::string(value);
    }
  }
  if (!error.empty()) return O::Fail(BadRequest(error));
  if (covered != rest.size()) return O::Fail(BadRequest("Bad header format"));
  if (!required[0] || !required[1] || !required[2] || !required[3]) return O::Fail(BadRequest("Missing attributes"));
  a.id = std::move(*required[0]);
  a.ts = std::move(*required[1]);
  a.nonce = std::move(*required[2]);
  a.mac = std::move(*required[3]);
  return O::Ok(std::move(a));
}

Outcome<HostPort> ResolveHost(std::string_view h, bool tls) {
  using O = Outcome<HostPort>;
  auto bad = [] { return O::Fail(BadRequest("Invalid Host header")); };
  while (!h.empty() && IsSpace(h.front())) h.remove_prefix(1);
  while (!h.empty() && IsSpace(h.back())) h.remove_suffix(1);
  if (h.empty() || h.size() > kMaxHeader || h.find('/') != std::string_view::npos) return bad();
  std::string_view host, port;
  if (h.front() == '[') {
    size_t close = h.find(']');
    if (close == std::string_view::npos || close == 1) return bad();
    host = h.substr(1, close - 1);  // brackets dropped: clients sign the bare IPv6 literal
    std::string_view after = h.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad();
      port = after.substr(1);
      if (port.empty()) return bad();
    }
  } else {
    size_t colon = h.find(':');
    host = h.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = h.substr(colon + 1);
      if (port.empty()) return bad();
    }
    if (host.empty()) return bad();
  }
  for (char c : port) {
    if (c < '0' || c > '9') return bad();
  }
  HostPort out;
  out.host.reserve(host.size());
  for (char c : host) out.host += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (port.empty()) {
    out.port = tls ? "443" : "80";
  } else {
    while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
    out.port = std::string(port);
  }
  return O::Ok(std::move(out));
}

}  // namespace rampart::auth::hawk
