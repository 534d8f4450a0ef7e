// The Debian Security Tracker feed parser on arbitrary bytes, written in two chunks split at the
// first byte's value: never crashes, every entry it yields has a parsable fixed version.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/deb_version.hpp"
#include "vuln/tracker_feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rampart::vuln;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  TrackerParser p([](FeedEntry&& e) -> rampart::Result<void> {
    if (e.fixed_version && !DebVersion::Parse(*e.fixed_version)) std::abort();
    if (e.status != "resolved" && e.status != "open") std::abort();
    return {};
  });
  const size_t split = size ? data[0] % (size + 1) : 0;
  if (p.Write(in.substr(0, split)) && p.Write(in.substr(split))) (void)p.Finish();
  return 0;
}
