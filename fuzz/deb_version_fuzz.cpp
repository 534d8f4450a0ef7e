// deb-version(5) parsing and ordering on arbitrary bytes: two versions split at the first
// newline. Never crashes; a parsed version prints back to text that parses to an equal version;
// the ordering is antisymmetric and a version equals itself.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/deb_version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rampart::vuln::Compare;
  using rampart::vuln::DebVersion;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  auto a = DebVersion::Parse(in.substr(0, nl));
  auto b = nl == std::string_view::npos ? a : DebVersion::Parse(in.substr(nl + 1));
  (void)rampart::vuln::ComparePart(in.substr(0, nl), nl == std::string_view::npos ? "" : in.substr(nl + 1));
  if (a) {
    auto again = DebVersion::Parse(a->ToString());
    if (!again || Compare(*a, *again) != 0 || Compare(*a, *a) != 0) std::abort();
  }
  if (a && b) {
    const int ab = Compare(*a, *b), ba = Compare(*b, *a);
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) std::abort();
  }
  return 0;
}
