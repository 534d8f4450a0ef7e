#include "http/router.hpp"

namespace rampart::http {

std::vector<std::string_view> PathSegments(std::string_view target) {
  // One scan for either character (find_first_of runs memchr over the set once per character).
  size_t end = 0;
  while (end < target.size() && target[end] != '?' && target[end] != '#') ++end;
  target = target.substr(0, end);
  std::vector<std::string_view> out;
  out.reserve(8);  // one allocation for the usual route, not one per doubling
  size_t start = 0;
  while (start <= target.size()) {
    size_t slash = target.find('/', start);
    if (slash == std::string_view::npos) slash = target.size();
    if (slash > start) out.push_back(target.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace rampart::http
