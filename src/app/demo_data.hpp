#pragma once
#include <string_view>

namespace rampart::app {

// demo/threatstack.jsonl as built into the binary (JSON lines for `rampart admin import`).
std::string_view EmbeddedDemoData();

}  // namespace rampart::app
