#pragma once
// Appends JSON text straight into a string: for the large, hot responses (a list with up to
// 32,000 entries) where building a boost::json tree first costs more than the writing itself.
// The caller is responsible for well-formedness (commas are handled; nesting is not checked).
#include <algorithm>
#include <cstdint>
#include <cstring>
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
  // Opens an object whose first members were serialized earlier: `members` is '{' followed by
  // them, without the closing brace (a memoized prefix of many objects).
  JsonWriter& OpenWith(std::string_view members) {
    Comma();
    out_ += members;
    first_ = members.size() == 1;
    return *this;
  }
  // Appends text that continues the document where it stands, its own commas included (a
  // memoized run of members, say); `opened` says whether it ends just inside a new container.
  JsonWriter& Continue(std::string_view json, bool opened) {
    out_ += json;
    first_ = opened;
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
  // True when one of the 8 bytes is a control character, '"' or '\\' (exact for "any"; bytes
  // of UTF-8 sequences, >= 0x80, never match).
  static bool NeedsEscape8(uint64_t v) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    const uint64_t below_space = (v - kOnes * 0x20) & ~v & kHigh;
    const uint64_t q = v ^ (kOnes * '"'), b = v ^ (kOnes * '\\');
    return below_space | ((q - kOnes) & ~q & kHigh) | ((b - kOnes) & ~b & kHigh);
  }

  // Appends runs of characters that need no escape in one go, checking 8 bytes at a time: most
  // strings are one run.
  void Quote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    size_t run = 0, i = 0;
    while (i < s.size()) {
      if (i + 8 <= s.size()) {
        uint64_t v;
        std::memcpy(&v, s.data() + i, 8);
        if (!NeedsEscape8(v)) {
          i += 8;
          continue;
        }
      }
      for (const size_t end = std::min(i + 8, s.size()); i < end; ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        if (u >= 0x20 && u != '"' && u != '\\') continue;
        out_.append(s.data() + run, i - run);
        run = i + 1;
        if (u >= 0x20) {
          out_ += '\\';
          out_ += static_cast<char>(u);
        } else {
          const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
          out_.append(esc, sizeof esc);
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace rampart::api
