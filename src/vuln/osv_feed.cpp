#include "vuln/osv_feed.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "vuln/deb_version.hpp"

namespace rampart::vuln {
namespace json = boost::json;

namespace {

constexpr size_t kMaxAffected = 4096, kMaxIds = 256, kMaxNotices = 64, kMaxText = 256, kMaxRanges = 64;
// Bounds on the work one record and one feed can ask for: entries a record names (affected ×
// its CVEs), and distinct entries in all (Debian's whole OSV data is a few hundred thousand).
constexpr size_t kMaxRecordEntries = 65536, kMaxEntries = 4000000;

// Debian's release numbers and codenames (distro-info-data's debian.csv).
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kReleases = {{{"7", "wheezy"},
                                                                                    {"8", "jessie"},
                                                                                    {"9", "stretch"},
                                                                                    {"10", "buster"},
                                                                                    {"11", "bullseye"},
                                                                                    {"12", "bookworm"},
                                                                                    {"13", "trixie"},
                                                                                    {"14", "forky"},
                                                                                    {"15", "duke"}}};

// Where in a record a problem is, for errors: "DSA-1-1.json: affected[0] / ranges[1]".
class Where {
 public:
  explicit Where(std::string origin) : text_(std::move(origin)) {}
  Where operator/(std::string_view part) const {
    Where w(*this);
    w.text_ += w.nested_ ? " / " : ": ";
    w.text_ += part;
    w.nested_ = true;
    return w;
  }
  Where At(std::string_view key, size_t i) const { return *this / (std::string(key) + "[" + std::to_string(i) + "]"); }
  Error Invalid(std::string_view why) const { return Error::Invalid(text_ + (nested_ ? ": " : " ") + std::string(why)); }

 private:
  std::string text_;
  bool nested_ = false;
};

// A field that must be a string when present: nullopt when absent.
Result<std::optional<std::string>> OptString(const json::object& o, std::string_view key, const Where& at,
                                             size_t max = kMaxText) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::optional<std::string>();
  const json::string* s = v->if_string();
  if (!s) return (at / key).Invalid("must be a string");
  if (s->size() > max) return (at / key).Invalid("is longer than " + std::to_string(max) + " bytes");
  return std::optional<std::string>(std::string(*s));
}

bool IsVulnId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

// Cut at `max` bytes without splitting a UTF-8 sequence.
std::string Cut(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  return s;
}

// The CVE ids a record is about (osv_feed.hpp).
Result<std::vector<std::string>> CvesOf(const json::object& record, const std::string& id, const Where& at) {
  if (id.starts_with("CVE-")) return std::vector<std::string>{id};
  std::vector<std::string> out;
  // Not `related`: OSV says those are other vulnerabilities, and an advisory's fix is not theirs.
  for (std::string_view key : {"upstream", "aliases"}) {
    const json::value* v = record.if_contains(key);
    if (!v) continue;
    const json::array* list = v->if_array();
    if (!list) return (at / key).Invalid("must be an array of ids");
    for (size_t i = 0; i < list->size(); ++i) {
      const json::string* s = (*list)[i].if_string();
      if (!s || !IsVulnId(*s)) return at.At(key, i).Invalid("must be a vulnerability id");
      const std::string cve(*s);
      if (!cve.starts_with("CVE-") && !cve.starts_with("TEMP-")) continue;
      if (std::find(out.begin(), out.end(), cve) == out.end()) out.push_back(cve);
      if (out.size() > kMaxIds) return (at / key).Invalid("names more than 256 vulnerabilities");
    }
  }
  if (out.empty() && id.starts_with("DEBIAN-") && id.size() > 7) out.push_back(id.substr(7));
  return out;
}

// The fix an ECOSYSTEM range names: events `introduced "0"` then at most one `fixed`. nullopt
// inside: affected with no fix. An outer nullopt: a range rampart cannot say (left out).
Result<std::optional<std::optional<std::string>>> FixOf(const json::value& range, const Where& at) {
  using Fix = std::optional<std::optional<std::string>>;
  const json::object* r = range.if_object();
  if (!r) return at.Invalid("must be an object");
  RAMPART_TRY(type, OptString(*r, "type", at));
  if (type != "ECOSYSTEM") return Fix();
  const json::value* ev = r->if_contains("events");
  const json::array* events = ev ? ev->if_array() : nullptr;
  if (!events) return (at / "events").Invalid("must be an array");
  std::optional<std::string> fixed;
  bool introduced = false;
  for (size_t i = 0; i < events->size(); ++i) {
    const Where here = at.At("events", i);
    const json::object* e = (*events)[i].if_object();
    if (!e || e->size() != 1) return here.Invalid("must be an object with one of introduced, fixed, last_affected, limit");
    const auto& [key, value] = *e->begin();
    const json::string* text = value.if_string();
    if (!text || text->size() > kMaxText) return (here / key).Invalid("must be a version of at most 256 bytes");
    if (key == "introduced" && *text == "0" && i == 0) {
      introduced = true;
    } else if (key == "fixed" && introduced && !fixed) {
      std::string why;
      if (!DebVersion::Parse(*text, &why)) return (here / "fixed").Invalid("\"" + std::string(*text) + "\": " + why);
      fixed = std::string(*text);
    } else if (key == "introduced" || key == "fixed" || key == "last_affected" || key == "limit") {
      return Fix();  // a shape the matcher cannot say as "below the fix"
    } else {
      return (here / key).Invalid("is not an OSV event");
    }
  }
  if (!introduced) return Fix();
  return Fix(std::move(fixed));
}

}  // namespace

std::string CodenameOf(std::string_view ecosystem) {
  if (!ecosystem.starts_with("Debian:")) return "";
  std::string_view release = ecosystem.substr(7);
  if (release == "unstable" || release == "sid") return "sid";
  release = release.substr(0, release.find('.'));
  for (const auto& [number, codename] : kReleases) {
    if (release == number || release == codename) return std::string(codename);
  }
  return "";
}

// Reads one record into its reader's merged entries.
struct OsvRecordReader {
  OsvReader& r;
  const Where& at;
  std::string id = {}, notice = {}, description = {};
  bool per_cve = false;
  std::vector<std::string> cves = {};

  Result<void> Read(const json::object& record) {
    RAMPART_TRY(given, OptString(record, "id", at));
    if (!given || !IsVulnId(*given)) return (at / "id").Invalid("must be a vulnerability id");
    id = *given;
    RAMPART_TRY(withdrawn, OptString(record, "withdrawn", at));
    RAMPART_TRY(ids, CvesOf(record, id, at));
    if (withdrawn || ids.empty()) {
      ++r.unsupported_;
      return {};
    }
    cves = std::move(ids);
    per_cve = id.starts_with("DEBIAN-");
    if (id.starts_with("DSA-") || id.starts_with("DLA-") || id.starts_with("DTSA-")) notice = id;
    RAMPART_TRY(details, OptString(record, "details", at, SIZE_MAX));
    RAMPART_TRY(summary, OptString(record, "summary", at, SIZE_MAX));
    description = Cut(details && !details->empty() ? *details : summary.value_or(""), kMaxDescription);
    const json::value* a = record.if_contains("affected");
    if (!a) return {};
    const json::array* affected = a->if_array();
    if (!affected) return (at / "affected").Invalid("must be an array");
    if (affected->size() > kMaxAffected) return (at / "affected").Invalid("has more than 4,096 entries");
    if (affected->size() * cves.size() > kMaxRecordEntries) {
      return (at / "affected").Invalid("names more than 65,536 (package, vulnerability) pairs");
    }
    for (size_t i = 0; i < affected->size(); ++i) RAMPART_CHECK(Affected((*affected)[i], at.At("affected", i)));
    return {};
  }

  Result<void> Affected(const json::value& value, const Where& here) {
    const json::object* a = value.if_object();
    if (!a) return here.Invalid("must be an object");
    const json::value* p = a->if_contains("package");
    const json::object* package = p ? p->if_object() : nullptr;
    if (!package) return (here / "package").Invalid("must be an object");
    RAMPART_TRY(ecosystem, OptString(*package, "ecosystem", here / "package"));
    RAMPART_TRY(name, OptString(*package, "name", here / "package"));
    const std::string release = CodenameOf(ecosystem.value_or(""));
    if (release.empty()) {
      ++r.unsupported_;
      return {};
    }
    if (!name || !IsPackageName(*name)) return (here / "package" / "name").Invalid("must be a Debian source package name");
    std::string urgency;
    if (const json::value* es = a->if_contains("ecosystem_specific"); es && es->is_object()) {
      RAMPART_TRY(u, OptString(es->get_object(), "urgency", here / "ecosystem_specific"));
      urgency = u.value_or("");
    }
    const json::value* rv = a->if_contains("ranges");
    const json::array* ranges = rv ? rv->if_array() : nullptr;
    if (rv && !ranges) return (here / "ranges").Invalid("must be an array");
    if (ranges && ranges->size() > kMaxRanges) return (here / "ranges").Invalid("has more than 64 ranges");
    bool said = false;
    for (size_t i = 0; ranges && i < ranges->size(); ++i) {
      RAMPART_TRY(fix, FixOf((*ranges)[i], here.At("ranges", i)));
      if (!fix) continue;
      said = true;
      for (const std::string& cve : cves) RAMPART_CHECK(Merge(release, *name, cve, *fix, urgency));
    }
    if (!said) ++r.unsupported_;
    return {};
  }

  Result<void> Merge(const std::string& release, const std::string& source, const std::string& cve,
                     const std::optional<std::string>& fixed, const std::string& urgency) {
    auto [it, fresh] = r.merged_.try_emplace(release + '\0' + source + '\0' + cve);
    if (fresh && r.merged_.size() > kMaxEntries) return at.Invalid("the feed holds more than 4,000,000 entries");
    OsvReader::Merged& m = it->second;
    if (per_cve) {
      m.fixed = fixed;
      m.urgency = urgency.empty() ? "not yet assigned" : urgency;
      m.triaged = true;
    } else {
      // Kept sorted, so the list (and which ids a full one keeps) does not depend on read order.
      auto pos = std::lower_bound(m.notices.begin(), m.notices.end(), notice);
      if (!notice.empty() && (pos == m.notices.end() || *pos != notice)) {
        m.notices.insert(pos, notice);
        if (m.notices.size() > kMaxNotices) m.notices.pop_back();
      }
      if (!m.triaged && fixed && (!m.fixed || Compare(*DebVersion::Parse(*fixed), *DebVersion::Parse(*m.fixed)) < 0)) {
        m.fixed = fixed;
      }
    }
    r.sources_.insert(source);
    r.cves_.insert(cve);
    // The CVE's own record describes it best: an advisory's text is offered only while none came.
    if (per_cve) r.triaged_cves_.insert(cve);
    const bool describe = per_cve || !r.triaged_cves_.count(cve);
    return r.sink_(FeedEntry{release, source, cve, m.fixed ? "resolved" : "open", m.fixed, m.urgency, false, m.notices,
                             describe ? description : std::string()});
  }
};

Result<void> OsvReader::Read(std::string_view document, std::string_view origin) {
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  const json::value doc = json::parse(document, ec, {}, options);
  const Where at{std::string(origin)};
  if (ec) return at.Invalid("is not valid JSON (" + ec.message() + ")");
  if (const json::array* records = doc.if_array()) {
    for (size_t i = 0; i < records->size(); ++i) {
      const Where here = at.At("record", i);
      const json::object* record = (*records)[i].if_object();
      if (!record) return here.Invalid("must be a JSON object");
      RAMPART_CHECK((OsvRecordReader{*this, here}.Read(*record)));
    }
    return {};
  }
  const json::object* record = doc.if_object();
  if (!record) return at.Invalid("must hold an OSV record (a JSON object) or an array of them");
  return OsvRecordReader{*this, at}.Read(*record);
}

FeedStats OsvReader::stats() const {
  FeedStats s;
  s.entries = merged_.size();
  s.sources = sources_.size();
  s.vulnerabilities = cves_.size();
  s.unsupported = unsupported_;
  return s;
}

}  // namespace rampart::vuln
