#pragma once
// DNS names as entered by users: normalized to lower-case ASCII (IDN via libidn2, UTS #46
// non-transitional), without the trailing dot. The normalized text is what is stored and matched.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace rampart::net {

enum class DomainError { kSyntax, kTooLong };

struct DomainParse {
  bool ok = false;
  DomainError error = DomainError::kSyntax;
  std::string value;  // normalized when ok
};

// Accepts letters, digits, '-', '_' in labels of 1..63 octets, total <= 253 octets, at least
// one non-numeric top label. `max_len` bounds the normalized length (kTooLong past it).
DomainParse NormalizeDomain(std::string_view input, size_t max_len);

// "a.b.example.com" -> "b.example.com"; "com" -> "". Works on normalized names.
inline std::string_view ParentDomain(std::string_view name) {
  auto dot = name.find('.');
  return dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
}

}  // namespace rampart::net
