// Vulnerability matching at full size (issue 15 §4): a synthetic Debian Security Tracker feed
// (by default 40,000 CVEs over 30,000 source packages, four releases each, ~55 MB) is written
// to disk, parsed alone (the ceiling: the JSON stream with a sink that keeps nothing), then
// imported into a SQLite store on disk as `rampart admin vulnfeed import` does (wall time, peak
// RSS); 100 hosts of 2,000 packages each are matched against it from scratch; and one host's
// 10-package delta is matched (the median of 9, and the first). Usage: vuln_bench [--cves N] [--sources N] [--agents N]
// [--packages N] [--releases 1-4] [--dir DIR]. Prints one JSON object.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "base/clock.hpp"
#include "store/store.hpp"
#include "telemetry/vuln_import.hpp"
#include "telemetry/vuln_matching.hpp"
#include "vuln/tracker_feed.hpp"

namespace {

using namespace rampart;
using Steady = std::chrono::steady_clock;

double Seconds(Steady::time_point since) { return std::chrono::duration<double>(Steady::now() - since).count(); }
long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

constexpr const char* kReleases[] = {"bookworm", "bullseye", "trixie", "sid"};

std::string Source(int i) { return "src" + std::to_string(100000 + i); }
std::string Version(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor) + "-1"; }

// Streams the feed to `path` (nothing held in memory). CVE c belongs to sources c % sources and,
// for every third CVE, also (c * 7) % sources. Fixes are at version 2.<c % 9>-1; a third of
// entries are open.
void WriteFeed(const std::string& path, int cves, int sources) {
  std::vector<std::vector<int>> by_source(static_cast<size_t>(sources));
  for (int c = 0; c < cves; ++c) {
    by_source[static_cast<size_t>(c % sources)].push_back(c);
    if (c % 3 == 0) by_source[static_cast<size_t>((c * 7) % sources)].push_back(c);
  }
  std::ofstream out(path);
  const std::string description(400, 'd');
  out << "{";
  for (int s = 0; s < sources; ++s) {
    out << (s ? ",\n" : "\n") << "\"" << Source(s) << "\": {";
    for (size_t k = 0; k < by_source[static_cast<size_t>(s)].size(); ++k) {
      const int c = by_source[static_cast<size_t>(s)][k];
      out << (k ? "," : "") << "\"CVE-2099-" << (10000 + c) << "\": {\"description\": \"" << description
          << "\", \"scope\": \"local\", \"releases\": {";
      for (int r = 0; r < 4; ++r) {
        out << (r ? "," : "") << "\"" << kReleases[r] << "\": {\"status\": \"" << (c % 3 == 1 ? "open" : "resolved")
            << "\", \"repositories\": {\"" << kReleases[r] << "\": \"" << Version(2, 0) << "\"}";
        if (c % 3 != 1) out << ", \"fixed_version\": \"" << Version(2, c % 9) << "\"";
        out << ", \"urgency\": \"" << (c % 2 ? "low" : "medium") << "\"}";
      }
      out << "}}";
    }
    out << "}";
  }
  out << "\n}\n";
}

int Arg(int argc, char** argv, const char* name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == name) return std::atoi(argv[i + 1]);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int cves = Arg(argc, argv, "--cves", 40000), sources = Arg(argc, argv, "--sources", 30000);
  const int agents = Arg(argc, argv, "--agents", 100), packages = Arg(argc, argv, "--packages", 2000);
  // Host a runs kReleases[a % releases]: 1 (all bookworm, a fleet on one release) to 4 (the
  // matcher loads every release of the feed).
  const int releases = std::clamp(Arg(argc, argv, "--releases", 1), 1, 4);
  std::string dir = "/tmp/rampart-vuln-bench";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--dir") dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string feed = dir + "/feed.json";
  WriteFeed(feed, cves, sources);
  const auto feed_bytes = std::filesystem::file_size(feed);
  const long rss_before = PeakRssKb();

  // The ceiling: the parse alone.
  auto t = Steady::now();
  {
    size_t n = 0;
    vuln::TrackerParser p([&](vuln::FeedEntry&&) -> Result<void> {
      ++n;
      return {};
    });
    std::ifstream in(feed);
    std::vector<char> buf(1 << 20);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
      if (!p.Write(std::string_view(buf.data(), static_cast<size_t>(in.gcount())))) return 1;
    }
    if (!p.Finish()) return 1;
  }
  const double parse_s = Seconds(t);

  auto store = std::move(*store::OpenSqliteStore({dir + "/rampart.db"}));
  (void)store->CreateOrg({"0123456789abcdef01234567", "bench", 1});
  t = Steady::now();
  std::ifstream in(feed, std::ios::binary);
  auto imported = telemetry::ImportFeed(*store, in, {"debian-tracker", "feed.json", "", "bench", 1});
  const double import_s = Seconds(t);
  if (!imported) {
    std::fprintf(stderr, "import: %s\n", imported.error().detail.c_str());
    return 1;
  }
  const long rss_import = PeakRssKb();

  // Hosts: packages spread over the sources, half of them below their CVEs' fixes.
  std::mt19937 rng(7);
  for (int a = 0; a < agents; ++a) {
    std::vector<store::PackageRecord> list;
    for (int k = 0; k < packages; ++k) {
      const int s = static_cast<int>(rng() % static_cast<unsigned>(sources));
      const std::string v = Version(2, static_cast<int>(rng() % 9));
      list.push_back({"bin" + std::to_string(s) + "-" + std::to_string(k), "amd64", v, Source(s), v, "install ok installed"});
    }
    (void)store->PutInventory({"agent" + std::to_string(a), "0123456789abcdef01234567", kReleases[a % releases], "12", 1, 0}, true, list,
                              {});
  }
  // Where matching's time goes: loading the feed's entries and building the index, then the
  // comparisons alone (no writes); Refresh below does both again and writes the findings.
  t = Steady::now();
  vuln::FeedIndex::Builder builder;
  (void)store->ScanFeedEntries(imported->feed.id, std::vector<std::string>(kReleases, kReleases + releases),  // the hosts'
                               [&](vuln::FeedEntry&& e) { builder.Add(std::move(e)); });
  auto index = builder.Finish();
  const double load_index_s = Seconds(t);
  t = Steady::now();
  size_t computed = 0;
  for (int a = 0; a < agents; ++a) {
    std::vector<vuln::InstalledPackage> installed;
    for (auto& p : *store->PackagesOf("agent" + std::to_string(a))) {
      installed.push_back({p.name, p.arch, p.version, p.source, p.source_version});
    }
    computed += vuln::Match(*index, kReleases[a % releases], installed).size();
  }
  const double compute_s = Seconds(t);
  index.reset();
  SystemClock clock;
  telemetry::VulnMatcher matcher(*store, clock);
  t = Steady::now();
  auto refreshed = matcher.Refresh();
  const double match_all_s = Seconds(t);
  if (!refreshed) return 1;
  // One host's 10-package delta, 9 times over different hosts and versions: the first pays for
  // checkpointing the WAL the re-match left (an fsync of the database file); the median is the
  // steady cost.
  std::vector<double> deltas;
  bool delta_ok = true;
  for (int round = 0; round < 9; ++round) {
    const std::string agent = "agent" + std::to_string(round % agents);
    auto first = *store->PackagesOf(agent);
    telemetry::InventoryUpdate delta{"0123456789abcdef01234567", agent, kReleases[round % agents % releases], "12", false, {}, {}};
    for (size_t k = 0; k < 10 && k < first.size(); ++k) {
      store::PackageRecord p = first[k];
      p.version = p.source_version = Version(2, 8 - round % 3);
      delta.upserted.push_back(p);
    }
    t = Steady::now();
    delta_ok = delta_ok && matcher.Inventory(delta).has_value();
    deltas.push_back(Seconds(t));
  }
  const double first_delta_s = deltas[0];
  std::sort(deltas.begin(), deltas.end());
  const double delta_s = deltas[deltas.size() / 2];
  auto listed = store->ListVulnerabilities({.org_id = "0123456789abcdef01234567", .limit = 1000000});
  std::printf(
      "{\"feed_bytes\": %llu, \"cves\": %d, \"sources\": %d, \"entries\": %lld, \"parse_only_s\": %.3f, \"import_s\": "
      "%.3f, \"peak_rss_mb_before_import\": %.1f, \"peak_rss_mb_after_import\": %.1f, \"agents\": %d, "
      "\"packages_per_agent\": %d, \"releases\": %d, \"load_index_s\": %.3f, \"compute_s\": %.3f, \"findings\": %zu, "
      "\"match_all_s\": %.3f, \"delta_10_packages_ms\": %.2f, \"first_delta_ms\": %.2f, \"matched_cves\": %zu, "
      "\"delta_ok\": %s}\n",
      static_cast<unsigned long long>(feed_bytes), cves, sources, static_cast<long long>(imported->feed.entries),
      parse_s, import_s, rss_before / 1024.0, rss_import / 1024.0, agents, packages, releases, load_index_s, compute_s, computed, match_all_s, delta_s * 1000,
      first_delta_s * 1000, listed ? listed->size() : 0, delta_ok ? "true" : "false");
  return 0;
}
