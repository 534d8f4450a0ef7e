#pragma once
// A small segment router: "/v4.0/user_ip_lists/{id}" style templates, matched on path segments.
// Empty segments are ignored, so "//v4.0/x/" matches "/v4.0/x" (the seed's Python example joins
// its base URL and path with a double slash). A known path with a wrong method yields the
// allowed methods, for 405 + Allow.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/types.hpp"

namespace rampart::http {

// Path segments of the origin-form target (query stripped, empty segments dropped).
// Segments are kept percent-encoded; route parameters are compared as received.
std::vector<std::string_view> PathSegments(std::string_view target);

template <class Value>
class Router {
 public:
  struct Match {
    const Value* value = nullptr;  // null: see `allowed`
    std::vector<std::string_view> params;
    std::vector<Verb> allowed;  // non-empty when the path exists with other methods
  };

  void Add(Verb method, std::string_view pattern, Value value) {
    routes_.push_back({method, std::string(pattern), Split(pattern), std::move(value)});
  }

  // Calls f(method, pattern) for every route, in the order they were added.
  template <class F>
  void ForEach(F&& f) const {
    for (const Route& r : routes_) f(r.method, std::string_view(r.pattern));
  }

  Match Find(Verb method, const std::vector<std::string_view>& segments) const {
    Match m;
    for (const Route& r : routes_) {
      std::vector<std::string_view> params;
      if (!Matches(r.segments, segments, params)) continue;
      if (r.method == method) return {&r.value, std::move(params), {}};
      m.allowed.push_back(r.method);
    }
    return m;
  }

 private:
  struct Route {
    Verb method;
    std::string pattern;                // as added, for listing
    std::vector<std::string> segments;  // "{...}" is a parameter
    Value value;
  };

  static std::vector<std::string> Split(std::string_view pattern) {
    std::vector<std::string> out;
    for (auto s : PathSegments(pattern)) out.emplace_back(s);
    return out;
  }

  static bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path,
                      std::vector<std::string_view>& params) {
    if (pattern.size() != path.size()) return false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (!pattern[i].empty() && pattern[i].front() == '{') {
        params.push_back(path[i]);
      } else if (pattern[i] != path[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace rampart::http
