#pragma once
// Small helpers the policy and device halves of PolicyService share (policies.cpp, devices.cpp).
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "base/result.hpp"
#include "base/strings.hpp"
#include "userlists/values.hpp"

namespace rampart::enforcement::detail {

inline Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

inline bool IsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAsciiAlnum(c) || c == '-'; });
}

inline std::string Lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

// A stored document's string field, or "" when it is missing or not a string (never throws).
inline std::string StringField(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Replaces the element with `v`'s id, or appends `v` (creation order is kept).
template <class T>
void Upsert(std::vector<T>& all, const T& v) {
  auto it = std::find_if(all.begin(), all.end(), [&](const T& x) { return x.id == v.id; });
  if (it == all.end()) {
    all.push_back(v);
  } else {
    *it = v;
  }
}

}  // namespace rampart::enforcement::detail
