#include "vuln/tracker_feed.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <vector>

#include "vuln/deb_version.hpp"

namespace rampart::vuln {
namespace json = boost::json;

namespace {

// Depths of the tracker's objects: 1 the document, 2 a source's CVEs, 3 one CVE, 4 its
// releases, 5 one release.
enum Depth { kDocument = 1, kSource = 2, kCve = 3, kReleases = 4, kRelease = 5 };
constexpr size_t kMaxKey = 256, kMaxValue = 256;
constexpr size_t kMaxReleases = 64;  // Debian has about ten codenames; the cap bounds one CVE's memory

struct Handler {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = kMaxKey;
  // (Spelled out: clang 14 has no parenthesized aggregate initialization, which basic_parser uses.)
  explicit Handler(TrackerParser::Sink s) : sink(std::move(s)) {}

  TrackerParser::Sink sink;
  FeedStats stats;
  std::string error;  // why the parse stopped (the handler's own reasons)
  Result<void> sink_error = {};

  int depth = 0;                  // objects open
  int ignored_from = 0;           // > 0: inside a container that is skipped, opened at this depth
  std::vector<std::string> path;  // the key at each depth
  std::string text;               // a string or key arriving in parts
  bool truncated = false;
  std::string last_source;
  // The CVE being read.
  std::string description;
  FeedEntry release;
  std::vector<FeedEntry> releases;

  bool Fail(json::error_code& ec, std::string why) {
    std::string where;
    for (size_t i = 0; i < path.size() && i < static_cast<size_t>(depth); ++i) {
      where += (where.empty() ? "" : " / ") + path[i];
    }
    error = (where.empty() ? "" : where + ": ") + std::move(why);
    ec = json::error::syntax;  // any error: the message above is what is reported
    return false;
  }
  const std::string& Key() const { return path[static_cast<size_t>(depth - 1)]; }
  bool Ignoring() const { return ignored_from > 0; }

  // An object or array opens as the value of the current key (before `depth` counts it):
  // where the shape wants an object it must be one, a release's known fields must be strings,
  // and any other field's container is skipped whole.
  bool Container(json::error_code& ec, bool object) {
    if (Ignoring()) return true;
    if (depth == 0) return object ? true : Fail(ec, "the feed must be a JSON object of source packages");
    const bool skip = (depth == kCve && Key() != "releases") ||
                      (depth == kRelease && Key() != "status" && Key() != "fixed_version" && Key() != "urgency");
    if (skip) {
      ignored_from = depth + 1;
      return true;
    }
    if (depth == kRelease) return Fail(ec, "'" + Key() + "' must be a string");
    return object ? true : Fail(ec, "must be an object");
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code& ec) {
    if (!Container(ec, true)) return false;
    ++depth;
    if (path.size() < static_cast<size_t>(depth)) path.resize(static_cast<size_t>(depth));
    if (!Ignoring() && depth == kCve) {
      description.clear();
      releases.clear();
    }
    if (!Ignoring() && depth == kRelease) release = FeedEntry{};
    return true;
  }

  bool on_object_end(std::size_t, json::error_code& ec) {
    const bool was_ignored = Ignoring();
    --depth;
    if (ignored_from > depth) ignored_from = 0;
    if (was_ignored) return true;
    if (depth == kRelease - 1) return EndRelease(ec);
    if (depth == kCve - 1) return EndCve(ec);
    return true;
  }

  bool EndRelease(json::error_code& ec) {
    if (release.status.empty()) return Fail(ec, "'status' is missing");
    release.release = path[kReleases - 1];
    if (release.status == "undetermined") {
      ++stats.undetermined;
      return true;
    }
    if (release.status != "resolved" && release.status != "open") {
      return Fail(ec, "'status' must be resolved, open or undetermined");
    }
    if (releases.size() >= kMaxReleases) return Fail(ec, "more than 64 releases for one vulnerability");
    releases.push_back(std::move(release));
    return true;
  }

  bool EndCve(json::error_code& ec) {
    ++stats.vulnerabilities;
    if (path[kDocument - 1] != last_source) {
      last_source = path[kDocument - 1];
      ++stats.sources;
    }
    for (FeedEntry& e : releases) {
      e.source = path[kDocument - 1];
      e.cve = path[kSource - 1];
      e.description = description;
      ++stats.entries;
      if (auto r = sink(std::move(e)); !r) {
        sink_error = r;
        error = r.error().detail;
        ec = json::error::syntax;
        return false;
      }
    }
    releases.clear();
    return true;
  }

  bool on_array_begin(json::error_code& ec) {
    if (!Container(ec, false)) return false;
    ++depth;
    if (path.size() < static_cast<size_t>(depth)) path.resize(static_cast<size_t>(depth));
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    --depth;
    if (ignored_from > depth) ignored_from = 0;
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    text.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    text.append(s.data(), s.size());
    if (!Ignoring()) {
      if (text.size() > kMaxKey) return Fail(ec, "a key is longer than 256 bytes");
      if (depth <= kCve - 1 && text.empty()) return Fail(ec, "an empty package or CVE name");
      path[static_cast<size_t>(depth - 1)] = text;
    }
    text.clear();
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    if (text.size() < kMaxDescription) text.append(s.data(), std::min(s.size(), kMaxDescription - text.size()));
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    on_string_part(s, 0, ec);
    std::string value = std::move(text);
    text.clear();
    if (Ignoring()) return true;
    return Scalar(ec, &value);
  }

  // A value that is not an object or array, at the current key; `value` is null for a number,
  // boolean or null.
  bool Scalar(json::error_code& ec, std::string* value) {
    if (depth < kCve) return Fail(ec, "must be an object");
    if (depth == kCve) {
      if (Key() == "releases") return Fail(ec, "'releases' must be an object");
      if (Key() == "description" && value) description = std::move(*value);
      return true;
    }
    if (depth == kReleases) return Fail(ec, "must be an object");
    const std::string& k = Key();
    if (k != "status" && k != "fixed_version" && k != "urgency" && k != "nodsa") return true;
    if (!value) return Fail(ec, "'" + k + "' must be a string");
    if (value->size() > kMaxValue) return Fail(ec, "'" + k + "' is longer than 256 bytes");
    if (k == "status") release.status = std::move(*value);
    if (k == "urgency") release.urgency = std::move(*value);
    if (k == "nodsa") release.nodsa = true;
    if (k == "fixed_version") {
      std::string why;
      if (!DebVersion::Parse(*value, &why)) return Fail(ec, "'fixed_version' \"" + *value + "\": " + why);
      release.fixed_version = std::move(*value);
    }
    return true;
  }

  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, json::error_code& ec) { return Ignoring() || Scalar(ec, nullptr); }
  bool on_uint64(uint64_t, json::string_view, json::error_code& ec) { return Ignoring() || Scalar(ec, nullptr); }
  bool on_double(double, json::string_view, json::error_code& ec) { return Ignoring() || Scalar(ec, nullptr); }
  bool on_bool(bool, json::error_code& ec) { return Ignoring() || Scalar(ec, nullptr); }
  bool on_null(json::error_code& ec) { return Ignoring() || Scalar(ec, nullptr); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

struct TrackerParser::Impl {
  explicit Impl(Sink sink) : parser(json::parse_options{.max_depth = 64}, std::move(sink)) {}
  json::basic_parser<Handler> parser;
  size_t line = 1;

  Result<void> Failed(json::error_code ec, std::string_view consumed) {
    line += static_cast<size_t>(std::count(consumed.begin(), consumed.end(), '\n'));
    Handler& h = parser.handler();
    if (!h.sink_error) return h.sink_error;
    const std::string why = h.error.empty() ? "not valid JSON (" + ec.message() + ")" : h.error;
    return Error::Invalid("line " + std::to_string(line) + ": " + why);
  }
};

TrackerParser::TrackerParser(Sink sink) : impl_(std::make_unique<Impl>(std::move(sink))) {}
TrackerParser::~TrackerParser() = default;

Result<void> TrackerParser::Write(std::string_view chunk) {
  json::error_code ec;
  const size_t n = impl_->parser.write_some(true, chunk.data(), chunk.size(), ec);
  if (ec) return impl_->Failed(ec, chunk.substr(0, n));
  impl_->line += static_cast<size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
  return {};
}

Result<void> TrackerParser::Finish() {
  json::error_code ec;
  impl_->parser.write_some(false, nullptr, 0, ec);
  if (ec) return impl_->Failed(ec, {});
  return {};
}

const FeedStats& TrackerParser::stats() const { return impl_->parser.handler().stats; }

}  // namespace rampart::vuln
