// The rule filter language (rules/filter.hpp): any bytes parse or are refused with a column, never
// a crash; what compiles evaluates against events with every shape of field.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/engine.hpp"
#include "rules/filter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const boost::json::object kEvents[] = {
      boost::json::parse(R"({"event_type":"audit","user":"root","command":"sudo","pid":42,"success":true,
        "group":["a","fail"],"connection":{"dst_addr":"10.1.2.3","dst_port":443},"src_ip":"::ffff:192.0.2.1"})")
          .as_object(),
      boost::json::object{},
      boost::json::parse(R"({"user":null,"group":[{"x":1},[2]],"connection":"not an object","ip":7.5})").as_object()};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto f = rampart::rules::CompiledFilter::Compile(text);
  if (!f) {
    if (f.error().detail.rfind("filter: ", 0) != 0) __builtin_trap();  // every refusal says where
    return 0;
  }
  for (const auto& e : kEvents) (void)f->Matches(e);
  // The engine with the input as filter, suppression and title, aggregating on awkward fields.
  rampart::rules::Engine engine(8, 4);
  engine.SetRules({{.id = "r", .filter = std::string(text), .suppressions = {std::string(text)},
                    .aggregate_fields = {"user", "group", "connection.dst_addr", "ip"}, .window_s = 60,
                    .threshold = 2, .title = std::string(text)}});
  int64_t now = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& e : kEvents) (void)engine.Evaluate(round % 2 ? "a1" : "a2", e, now += 30000);
  }
  (void)rampart::rules::Interpolate(text, kEvents[0]);
  return 0;
}
