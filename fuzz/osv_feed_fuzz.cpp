// The OSV reader on arbitrary bytes, read as one document and then again (the second read merges
// into the first's state): never crashes, every entry it yields has a known release, a source
// name Debian would accept, a parsable fix, and a status that says whether it has one.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/deb_version.hpp"
#include "vuln/osv_feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rampart::vuln;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  OsvReader reader([](FeedEntry&& e) -> rampart::Result<void> {
    if (e.release.empty() || !IsPackageName(e.source) || e.cve.empty()) std::abort();
    if (e.fixed_version && !DebVersion::Parse(*e.fixed_version)) std::abort();
    if (e.status != (e.fixed_version ? "resolved" : "open")) std::abort();
    if (e.description.size() > kMaxDescription) std::abort();
    return {};
  });
  if (reader.Read(in, "fuzz.json")) (void)reader.Read(in, "again.json");
  return 0;
}
