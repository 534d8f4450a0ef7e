#include "net/domain_name.hpp"

#include <idn2.h>

#include <cstdlib>
#include <memory>

#include "base/strings.hpp"

namespace rampart::net {
namespace {

bool IsLabelChar(char c) { return IsAsciiAlnum(c) || c == '-' || c == '_'; }

bool ValidAsciiName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  std::string_view last_label;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    std::string_view label = name.substr(start, dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsLabelChar(c)) return false;
    }
    last_label = label;
    start = dot + 1;
  }
  bool numeric_tld = true;
  for (char c : last_label) numeric_tld = numeric_tld && c >= '0' && c <= '9';
  return !numeric_tld;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

DomainParse NormalizeDomain(std::string_view input, size_t max_len) {
  DomainParse out;
  if (input.size() > 4 * max_len + 16) {  // far too long to ever fit once encoded
    out.error = DomainError::kTooLong;
    return out;
  }
  if (!input.empty() && input.back() == '.') input.remove_suffix(1);
  std::string ascii;
  if (IsAscii(input)) {
    ascii = AsciiLower(input);
  } else {
    // idn2 reads a C string: a NUL (or any control byte) inside `input` is refused, not cut off.
    for (char c : input) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return out;
    }
    std::string z(input);
    char* encoded = nullptr;
    int rc = idn2_to_ascii_8z(z.c_str(), &encoded, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
      rc = idn2_to_ascii_8z(z.c_str(), &encoded, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
    }
    if (rc != IDN2_OK) return out;
    std::unique_ptr<char, decltype(&idn2_free)> holder(encoded, &idn2_free);
    ascii = AsciiLower(encoded);
  }
  if (ascii.size() > max_len) {
    out.error = DomainError::kTooLong;
    return out;
  }
  if (!ValidAsciiName(ascii)) return out;
  out.ok = true;
  out.value = std::move(ascii);
  return out;
}

}  // namespace rampart::net
