#include "base/result.hpp"

#include <stdexcept>

namespace rampart {

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::logic_error("unchecked Result error: " + e.detail);
}

}  // namespace rampart
