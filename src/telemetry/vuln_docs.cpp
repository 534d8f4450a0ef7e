#include "telemetry/vuln_docs.hpp"

#include <boost/json.hpp>

#include <map>
#include <set>

#include "telemetry/v2_time.hpp"
#include "vuln/deb_version.hpp"
#include "vuln/matcher.hpp"

namespace rampart::telemetry {
namespace json = boost::json;

namespace {

int Rank(const std::string& level) { return level == "high" ? 3 : level == "medium" ? 2 : 1; }

std::string Upstream(const std::string& version) {
  auto v = vuln::DebVersion::Parse(version);
  return v ? v->upstream : version;
}

std::string SystemPackage(const store::FindingRecord& f) { return f.package + " " + f.version + " " + f.arch; }

// The import a finding rests on: its entry has been the same since that feed (imports are kept
// as history, so an older feed is still named).
json::object FeedJson(const std::map<int64_t, store::FeedRecord>& feeds, int64_t feed_id) {
  auto it = feeds.find(feed_id);
  if (it == feeds.end()) return {{"id", feed_id}};
  const store::FeedRecord* feed = &it->second;
  return {{"id", feed->id},          {"format", feed->format}, {"name", feed->name},
          {"sha256", feed->sha256},  {"date", feed->feed_date}, {"importedAt", FormatInstant(feed->imported_at_ms)}};
}

json::object Doc(const store::VulnRecord& row, const std::vector<store::FindingRecord>& findings,
                 const std::map<int64_t, store::FeedRecord>& feeds) {
  const store::FindingRecord& first = findings.front();
  vuln::Severity worst = vuln::SeverityOf(first.urgency);
  std::set<std::string> notices;
  std::map<std::string, json::array> packages_of;  // agent -> its vulnerable packages
  for (const auto& f : findings) {
    vuln::Severity s = vuln::SeverityOf(f.urgency);
    if (Rank(s.level) > Rank(worst.level)) worst = s;
    for (size_t at = 0; at < f.notices.size();) {
      size_t comma = f.notices.find(',', at);
      if (comma == std::string::npos) comma = f.notices.size();
      if (comma > at) notices.insert(f.notices.substr(at, comma - at));
      at = comma + 1;
    }
    packages_of[f.agent_id].push_back(json::object{
        {"systemPackage", SystemPackage(f)},
        {"installedVersion", f.source_version},
        {"fixedVersion", f.fixed_version ? json::value(*f.fixed_version) : json::value(nullptr)}});
  }
  json::array agents;
  for (auto& [agent, packages] : packages_of) {
    agents.push_back(json::object{{"agentId", agent}, {"packages", std::move(packages)}});
  }
  json::array notice_list;
  for (const auto& n : notices) notice_list.emplace_back(n);
  return {{"cveNumber", row.id},
          {"reportedPackage", first.source + " " + Upstream(first.source_version)},
          {"systemPackage", SystemPackage(first)},
          {"vectorType", nullptr},
          {"severity", worst.level},
          {"isSuppressed", row.suppressed},
          {"securityNotices", std::move(notice_list)},
          {"agents", std::move(agents)},
          {"origin", "matched"},
          {"unfixed", row.unfixed},
          {"fixedVersion", first.fixed_version ? json::value(*first.fixed_version) : json::value(nullptr)},
          {"debianUrgency", first.urgency},
          {"evidence", json::object{{"feed", FeedJson(feeds, first.feed_id)},
                                    {"release", first.release},
                                    {"source", first.source}}}};
}

}  // namespace

Result<void> FillMatchedDocs(store::Store& store, const std::string& org_id, std::vector<store::VulnRecord>& rows) {
  std::vector<std::string> cves;
  for (const auto& r : rows) {
    if (r.origin == "matched") cves.push_back(r.id);
  }
  if (cves.empty()) return {};
  RAMPART_TRY(findings, store.FindingsOf(org_id, cves));
  RAMPART_TRY(history, store.ListFeeds());
  std::map<int64_t, store::FeedRecord> feeds;
  for (auto& f : history) feeds.emplace(f.id, std::move(f));
  std::map<std::string, std::vector<store::FindingRecord>> by_cve;
  for (auto& f : findings) by_cve[f.cve].push_back(std::move(f));
  for (auto& r : rows) {
    if (r.origin != "matched") continue;
    auto it = by_cve.find(r.id);
    // Gone between the two reads (a re-match): an empty shell rather than a failed page.
    if (it == by_cve.end() || it->second.empty()) {
      r.doc = json::serialize(json::object{{"cveNumber", r.id}, {"agents", json::array{}}, {"origin", "matched"}});
      continue;
    }
    r.doc = json::serialize(Doc(r, it->second, feeds));
  }
  return {};
}

}  // namespace rampart::telemetry
