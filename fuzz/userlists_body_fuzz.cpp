// Untrusted request bodies through the whole v4.0 validation path: the bounded JSON parse (checked
// against Boost.JSON's own parser: the same value, or an error from both, or "too large"), list
// body decoding for every method and list kind, and the IOC parser. Must never crash, leak or throw.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/json.hpp"
#include "userlists/check_ioc.hpp"
#include "userlists/request.hpp"

using namespace rampart::userlists;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::json::error_code bounded_ec;
  boost::json::value bounded = rampart::ParseBoundedJson(text, {.max_items = 4, .max_depth = 32}, bounded_ec);
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  // Short of "too large" (which may stop before a later syntax error), the bounded parse reads
  // JSON exactly as Boost.JSON does: the same value, or an error from both.
  if (!rampart::JsonTooLarge(bounded_ec) && (bool(bounded_ec) != bool(ec) || (!ec && bounded != v))) {
    __builtin_trap();
  }
  ParseOptions opts{DateOrder::kMdy, *rampart::Date::FromYmd(2026, 11, 22)};
  if (!ec) {
    for (ListKind kind : {ListKind::kIp, ListKind::kDomain}) {
      for (BodyKind what : {BodyKind::kCreate, BodyKind::kPatch, BodyKind::kPut}) {
        auto r = ParseListBody(v, kind, what, opts);
        if (r && r->addresses) {
          for (const auto& e : *r->addresses) {
            if (e.value.value.empty()) __builtin_trap();  // a parsed entry always has a value
          }
        }
      }
    }
  }
  (void)ParseIoc(text.substr(0, 300));
  (void)ParseExpiryDate(text.substr(0, 64), DateOrder::kDmy);
  (void)ParseEntryValue(ListKind::kIp, text.substr(0, 300));
  (void)ParseEntryValue(ListKind::kDomain, text.substr(0, 300));
  return 0;
}
