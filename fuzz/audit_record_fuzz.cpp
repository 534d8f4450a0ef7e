// rampart-agent's parser of auditd text (src/audit/): the bytes as lines through the record
// parser, the serial assembler and the event builder. Any input parses or is refused per line,
// never a crash; what is built stays within the builder's caps.
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/assembler.hpp"
#include "audit/event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rampart::audit;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Assembler assembler({.max_records = 16, .max_pending = 8, .stale_after_ms = 2000});
  std::vector<Assembler::Group> groups;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto r = ParseRecord(line);
    if (r) assembler.Add(std::move(*r), groups);
  }
  assembler.Drain(groups);
  Lookups lookups{[](int64_t) { return std::string("root"); }, [](int64_t) { return std::string("/bin/sh"); }};
  for (const auto& g : groups) {
    if (g.size() > 16) std::abort();
    auto e = BuildEvent(g, lookups);
    if (!e) continue;
    if (const auto* args = e->if_contains("arguments"); args && args->as_string().size() > kMaxArgumentsBytes) {
      std::abort();
    }
    (void)boost::json::serialize(*e);
  }
  return 0;
}
