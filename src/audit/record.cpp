#include "audit/record.hpp"

#include <charconv>

namespace rampart::audit {
namespace {

constexpr char kGroupSeparator = '\x1d';

Error Bad(std::string_view what, size_t at) {
  return Error::Invalid("audit record: " + std::string(what) + " at offset " + std::to_string(at));
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '[' || c == ']' || c == '.';
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <class T>
bool ParseNumber(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// Reads `fields` from `s` at `pos` until the end, a GS byte or (inside msg='…') the closing
// quote; appends them to `out`.
class FieldReader {
 public:
  FieldReader(std::string_view s, size_t base) : s_(s), base_(base) {}

  Result<void> Read(size_t& pos, std::vector<Field>& out, bool nested) {
    while (true) {
      while (pos < s_.size() && s_[pos] == ' ') ++pos;
      if (pos >= s_.size() || s_[pos] == kGroupSeparator || s_[pos] == '\n') return {};
      if (nested && s_[pos] == '\'') return {};
      if (out.size() >= kMaxFieldsPerRecord) return Bad("too many fields", base_ + pos);
      size_t start = pos;
      while (pos < s_.size() && IsNameChar(s_[pos])) ++pos;
      if (pos == start || pos >= s_.size() || s_[pos] != '=') return Bad("expected name=value", base_ + start);
      std::string name(s_.substr(start, pos - start));
      ++pos;
      if (!nested && name == "msg" && pos < s_.size() && s_[pos] == '\'') {
        ++pos;
        RAMPART_CHECK(Read(pos, out, true));
        if (pos >= s_.size() || s_[pos] != '\'') return Bad("unterminated msg='", base_ + pos);
        ++pos;
        continue;
      }
      RAMPART_TRY(field, Value(pos, std::move(name), nested));
      out.push_back(std::move(field));
    }
  }

 private:
  Result<Field> Value(size_t& pos, std::string name, bool nested) {
    Field f{std::move(name), "", false};
    if (pos < s_.size() && (s_[pos] == '"' || s_[pos] == '{')) {
      char close = s_[pos] == '"' ? '"' : '}';
      size_t end = s_.find(close, pos + 1);
      if (end == std::string_view::npos) return Bad("unterminated value", base_ + pos);
      f.value = std::string(s_.substr(pos + 1, end - pos - 1));
      f.quoted = true;
      pos = end + 1;
      return f;
    }
    size_t start = pos;
    while (pos < s_.size() && s_[pos] != ' ' && s_[pos] != kGroupSeparator && s_[pos] != '\n' &&
           !(nested && s_[pos] == '\'')) {
      ++pos;
    }
    f.value = std::string(s_.substr(start, pos - start));
    return f;
  }

  std::string_view s_;
  size_t base_;
};

// "msg=audit(SECS.MILLIS:SERIAL):" at `pos`.
Result<void> ReadHeader(std::string_view s, size_t& pos, Record& r) {
  constexpr std::string_view kOpen = " msg=audit(";
  if (s.substr(pos, kOpen.size()) != kOpen) return Bad("expected msg=audit(", pos);
  pos += kOpen.size();
  size_t close = s.find("):", pos);
  if (close == std::string_view::npos || close - pos > 40) return Bad("unterminated msg=audit(", pos);
  std::string_view stamp = s.substr(pos, close - pos);
  size_t dot = stamp.find('.');
  size_t colon = stamp.find(':');
  int64_t secs = 0, millis = 0;
  if (dot == std::string_view::npos || colon == std::string_view::npos || colon < dot ||
      !ParseNumber(stamp.substr(0, dot), secs) || !ParseNumber(stamp.substr(dot + 1, colon - dot - 1), millis) ||
      !ParseNumber(stamp.substr(colon + 1), r.serial) || secs < 0 || secs > 100'000'000'000 || millis < 0 ||
      millis > 999) {
    return Bad("malformed timestamp", pos);
  }
  r.time_ms = secs * 1000 + millis;
  pos = close + 2;
  return {};
}

const Field* FindIn(const std::vector<Field>& fields, std::string_view name) {
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

Result<Record> ParseRecord(std::string_view line) {
  if (line.size() > kMaxRecordBytes) return Bad("record too long", kMaxRecordBytes);
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  size_t pos = 0;
  if (line.starts_with("node=")) {
    pos = line.find(' ');
    if (pos == std::string_view::npos) return Bad("expected type= after node=", line.size());
    ++pos;
  }
  if (line.substr(pos, 5) != "type=") return Bad("expected type=", pos);
  pos += 5;
  size_t type_end = line.find(' ', pos);
  if (type_end == std::string_view::npos || type_end == pos || type_end - pos > 32) return Bad("malformed type", pos);
  Record r;
  r.type = std::string(line.substr(pos, type_end - pos));
  pos = type_end;
  RAMPART_CHECK(ReadHeader(line, pos, r));
  FieldReader reader(line, 0);
  RAMPART_CHECK(reader.Read(pos, r.fields, false));
  if (pos < line.size() && line[pos] == kGroupSeparator) {
    ++pos;
    RAMPART_CHECK(reader.Read(pos, r.enriched, false));
  }
  if (pos < line.size()) return Bad("unexpected byte", pos);
  return r;
}

bool IsEncodable(std::string_view name) {
  // Not `id` or `old`/`new`: those are bare numbers that could read as hex.
  static constexpr std::string_view kNames[] = {"cwd", "name", "exe",  "comm", "proctitle", "acct", "key",
                                                "path", "data", "cmd", "file", "dir",       "vm",   "grp"};
  for (std::string_view n : kNames) {
    if (name == n) return true;
  }
  // EXECVE arguments: a0, a12, a3[1] (a long argument's pieces); a0_len is a number.
  if (name.size() < 2 || name[0] != 'a') return false;
  size_t i = 1;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
  if (i == 1) return false;
  return i == name.size() || name[i] == '[';
}

std::string DecodeValue(const Field& f) {
  if (f.quoted) return f.value;
  if (f.value == "(null)" || f.value == "?") return "";
  if (!IsEncodable(f.name) || f.value.size() % 2 != 0) return f.value;
  std::string out;
  out.reserve(f.value.size() / 2);
  for (size_t i = 0; i < f.value.size(); i += 2) {
    int hi = HexDigit(f.value[i]), lo = HexDigit(f.value[i + 1]);
    if (hi < 0 || lo < 0) return f.value;
    char c = static_cast<char>(hi * 16 + lo);
    out.push_back(c == '\0' ? ' ' : c);
  }
  if (f.name == "proctitle") {
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

const Field* Record::Find(std::string_view name) const { return FindIn(fields, name); }
const Field* Record::FindEnriched(std::string_view name) const { return FindIn(enriched, name); }

std::string Record::Text(std::string_view name) const {
  const Field* f = Find(name);
  return f ? DecodeValue(*f) : std::string();
}

int64_t Record::Int(std::string_view name, int64_t fallback) const {
  const Field* f = Find(name);
  int64_t v = 0;
  if (!f || !ParseNumber(std::string_view(f->value), v)) return fallback;
  return v;
}

}  // namespace rampart::audit
