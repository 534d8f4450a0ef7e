#include "http/router.hpp"

namespace rampart::http {

std::vector<std::string_view> PathSegments(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  std::vector<std::string_view> out;
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
