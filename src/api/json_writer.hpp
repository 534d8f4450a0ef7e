#pragma once
// Appends JSON text straight into a string: for the large, hot responses (a list with up to
// 32,000 entries) where building a boost::json tree first costs more than the writing itself.
// The caller is responsible for well-formedness (commas are handled; nesting is not checked).
#include <cstdint>
#include <string>
#include <string_view>

namespace rampart::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter& Open() { return Raw('{', true); }
  JsonWriter& Close() { return Raw('}', false); }
  JsonWriter& OpenArray() { return Raw('[', true); }
  JsonWriter& CloseArray() { return Raw(']', false); }
  JsonWriter& Key(std::string_view k) {
    Comma();
    Quote(k);
    out_ += ':';
    first_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view s) {
    Comma();
    Quote(s);
    return *this;
  }
  JsonWriter& Null() { return Literal("null"); }
  JsonWriter& Bool(bool b) { return Literal(b ? "true" : "false"); }
  JsonWriter& Uint(uint64_t v) { return Literal(std::to_string(v)); }
  // A value already serialized as JSON (e.g. by boost::json::serialize).
  JsonWriter& Literal(std::string_view json) {
    Comma();
    out_ += json;
    return *this;
  }

 private:
  JsonWriter& Raw(char c, bool opens) {
    if (opens) Comma();
    out_ += c;
    first_ = opens;
    return *this;
  }
  void Comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void Quote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (u < 0x20) {
        out_ += "\\u00";
        out_ += kHex[u >> 4];
        out_ += kHex[u & 15];
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace rampart::api
