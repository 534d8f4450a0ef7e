#include "ingest/batch.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>

#include "base/json.hpp"
#include "rules/filter.hpp"

namespace rampart::ingest {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 4> kServerKeys = {"agent_id", "agent", "organization_id", "_id"};
constexpr std::array<std::string_view, 6> kConnectionKeys = {"addr", "port", "src_addr", "src_port", "dst_addr",
                                                             "dst_port"};

Error AtLine(size_t line, std::string what) { return Error::Invalid("line " + std::to_string(line) + ": " + what); }

bool Contains(auto const& set, std::string_view key) { return std::find(std::begin(set), std::end(set), key) != std::end(set); }

// A scalar field: a string within the limit, a number or a boolean.
bool ScalarOk(const json::value& v, const BatchLimits& limits) {
  if (v.is_string()) return v.get_string().size() <= limits.max_string_bytes;
  return v.is_number() || v.is_bool();
}

Result<void> CheckField(std::string_view key, const json::value& v, const BatchLimits& limits) {
  const std::string k(key.substr(0, 64));
  if (Contains(kServerKeys, key)) return Error::Invalid("'" + k + "' is set by the server");
  if (key == "connection") {
    const json::object* c = v.if_object();
    if (!c) return Error::Invalid("'connection' must be an object");
    for (const auto& [ck, cv] : *c) {
      if (!Contains(kConnectionKeys, ck)) return Error::Invalid("unknown key 'connection." + std::string(ck.substr(0, 64)) + "'");
      if (!ScalarOk(cv, limits)) return Error::Invalid("'connection." + std::string(ck) + "' must be a string or a number");
    }
    return {};
  }
  if (!rules::IsKnownKey(key)) return Error::Invalid("unknown key '" + k + "'");
  if (const json::array* a = v.if_array()) {
    for (const auto& e : *a) {
      if (!e.is_string() || e.get_string().size() > limits.max_string_bytes) {
        return Error::Invalid("'" + k + "' must hold strings");
      }
    }
    return {};
  }
  if (!ScalarOk(v, limits)) return Error::Invalid("'" + k + "' must be a string, number, boolean or array of strings");
  return {};
}

// One inflater per thread, reset between bodies: setting one up allocates ~40 KB of state and
// window, 5 % of ingest's CPU when done per batch (docs/benchmarks.md).
class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // Null when zlib could not set one up.
  z_stream* Fresh() { return ok_ && inflateReset(&zs_) == Z_OK ? &zs_ : nullptr; }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

}  // namespace

Result<std::string> Gunzip(std::string_view body, size_t max_bytes) {
  thread_local Inflater inflater;
  z_stream* const stream = inflater.Fresh();
  if (!stream) return Error::Internal("inflateInit2 failed");
  z_stream& zs = *stream;
  // Inflated straight into the result. The gzip trailer's ISIZE (the size mod 2^32, as the
  // sender claims it) sizes the first allocation; it is only a hint, capped at 32 times the
  // compressed size (text rarely inflates more), and never trusted.
  std::string out;
  size_t hint = 64 * 1024;
  if (body.size() >= 18) {
    const auto* t = reinterpret_cast<const unsigned char*>(body.data() + body.size() - 4);
    const size_t isize = t[0] | t[1] << 8 | t[2] << 16 | uint32_t{t[3]} << 24;
    hint = std::max(hint, std::min(isize, body.size() * 32));
  }
  out.resize(std::min(hint, max_bytes) + 1);  // one spare byte: a full buffer means "maybe more"
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  size_t used = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (used == out.size()) {
      if (used > max_bytes) break;
      out.resize(std::min(std::max(out.size() * 2, size_t{64 * 1024}), max_bytes + 1));
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    zs.avail_out = static_cast<uInt>(out.size() - used);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) return Error::Invalid("the body is not valid gzip");
    const size_t n = out.size() - used - zs.avail_out;
    used += n;
    if (rc == Z_OK && zs.avail_in == 0 && n == 0) return Error::Invalid("the gzip body is truncated");
  }
  const bool trailing = zs.avail_in != 0;
  if (used > max_bytes) {
    return Error::TooLarge(Reason::kNone, "the batch inflates past " + std::to_string(max_bytes) + " bytes");
  }
  if (trailing) return Error::Invalid("bytes after the end of the gzip stream");
  out.resize(used);
  return out;
}

std::string Gzip(std::string_view text) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

Result<json::object> CheckEvent(json::object event, const BatchLimits& limits) {
  const json::value* type = event.if_contains("event_type");
  if (!type || !type->is_string()) return Error::Invalid("'event_type' is required (a string)");
  if (!Contains(kEventTypes, type->get_string())) {
    return Error::Invalid("'event_type' must be audit, file, login, host or network");
  }
  const json::value* ts = event.if_contains("timestamp");
  if (!ts || !(ts->is_int64() || ts->is_uint64()) || (ts->is_int64() && ts->get_int64() < 0)) {
    return Error::Invalid("'timestamp' is required (epoch milliseconds)");
  }
  for (const auto& [key, val] : event) {
    if (key == "event_type" || key == "timestamp") continue;
    RAMPART_CHECK(CheckField(key, val, limits));
  }
  return event;
}

Result<std::vector<json::object>> DecodeBatch(std::string_view body, bool gzip, const BatchLimits& limits) {
  std::string inflated;
  if (gzip) {
    RAMPART_TRY(text, Gunzip(body, limits.max_inflated_bytes));
    inflated = std::move(text);
    body = inflated;
  } else if (body.size() > limits.max_inflated_bytes) {
    return Error::TooLarge(Reason::kNone, "the batch is larger than " + std::to_string(limits.max_inflated_bytes) + " bytes");
  }
  std::vector<json::object> out;
  size_t line_no = 0;
  for (size_t start = 0; start < body.size();) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are allowed
    if (line.size() > limits.max_line_bytes) return Error::TooLarge(Reason::kNone, "line " + std::to_string(line_no) + " is too long");
    if (out.size() == limits.max_events) {
      return Error::TooLarge(Reason::kNone, "a batch holds at most " + std::to_string(limits.max_events) + " events");
    }
    boost::system::error_code ec;
    json::value v = ParseBoundedJson(line, {.max_items = 1000, .max_depth = 4}, ec);
    if (ec) return AtLine(line_no, "not valid JSON");
    json::object* o = v.if_object();
    if (!o) return AtLine(line_no, "an event must be a JSON object");
    auto checked = CheckEvent(std::move(*o), limits);
    if (!checked) return AtLine(line_no, checked.error().detail);
    out.push_back(std::move(*checked));
  }
  if (out.empty()) return Error::Invalid("the batch holds no event");
  return out;
}

}  // namespace rampart::ingest
