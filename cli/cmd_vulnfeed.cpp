// `rampart admin vulnfeed import --format debian-tracker FILE[.gz]` and `rampart admin vulnfeed
// list`: Debian security data for vulnerability matching (docs/vulnerabilities.md). Safe while
// the server runs: the server loads a new current feed within 10 s.
#include <sys/stat.h>

#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common.hpp"
#include "commands.hpp"
#include "base/clock.hpp"
#include "telemetry/v2_time.hpp"
#include "telemetry/vuln_import.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

json::object FeedJson(const store::FeedRecord& f) {
  return {{"id", f.id},         {"format", f.format},   {"name", f.name},
          {"sha256", f.sha256}, {"bytes", f.bytes},     {"feedDate", f.feed_date},
          {"importedAt", telemetry::FormatInstant(f.imported_at_ms)}, {"importedBy", f.imported_by},
          {"entries", f.entries}, {"current", f.current}};
}

std::string ModifiedAt(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  return telemetry::FormatInstant(static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000);
}

void AddImportCommand(CLI::App* feed) {
  struct Args {
    std::string data_dir = "data", format, file;
    bool json_out = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = feed->add_subcommand("import", "Import a feed; it replaces the current one when all of it was read");
  cmd->add_option("--format", a->format, "debian-tracker (the Security Tracker's JSON)")
      ->required()
      ->check(CLI::IsMember({"debian-tracker"}));
  cmd->add_option("file", a->file, "the feed, .json or .json.gz")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data-dir", a->data_dir, "data directory (holds rampart.db)");
  cmd->add_flag("--json", a->json_out, "machine-readable output");
  cmd->callback([a] {
    auto store = OpenDataStore(a->data_dir);
    std::ifstream in(a->file, std::ios::binary);
    if (!in) Fail("cannot read " + a->file);
    telemetry::FeedSource source{a->format, std::filesystem::path(a->file).filename().string(), ModifiedAt(a->file),
                                 "admin", UnixMillis(SystemClock().Now())};
    auto done = telemetry::ImportFeed(*store, in, source);
    if (!done) Fail(a->file + ": " + done.error().detail + " (the current feed is unchanged)");
    json::object o = FeedJson(done->feed);
    o["vulnerabilities"] = done->stats.vulnerabilities;
    o["sources"] = done->stats.sources;
    o["undetermined"] = done->stats.undetermined;
    if (a->json_out) {
      std::printf("%s\n", json::serialize(o).c_str());
    } else {
      std::printf("imported feed %lld: %lld entries (%zu vulnerabilities over %zu source packages; %zu undetermined "
                  "skipped), sha256 %s\n",
                  static_cast<long long>(done->feed.id), static_cast<long long>(done->feed.entries),
                  done->stats.vulnerabilities, done->stats.sources, done->stats.undetermined,
                  done->feed.sha256.c_str());
    }
    std::exit(0);
  });
}

void AddListCommand(CLI::App* feed) {
  auto c = std::make_shared<Common>();
  CLI::App* cmd = feed->add_subcommand("list", "Every import, newest first (the current one marked)");
  AddCommon(cmd, *c);
  cmd->callback([c] {
    auto store = OpenDataStore(c->data_dir);
    auto feeds = Must(store->ListFeeds());
    json::array out;
    for (const auto& f : feeds) {
      if (c->json_out) {
        out.push_back(FeedJson(f));
      } else {
        std::printf("%s%lld %s %s %s %lld entries, sha256 %s\n", f.current ? "* " : "  ", static_cast<long long>(f.id),
                    telemetry::FormatInstant(f.imported_at_ms).c_str(), f.format.c_str(), f.name.c_str(),
                    static_cast<long long>(f.entries), f.sha256.c_str());
      }
    }
    if (c->json_out) std::printf("%s\n", json::serialize(out).c_str());
    std::exit(0);
  });
}

}  // namespace

void AddVulnFeed(CLI::App* admin) {
  CLI::App* feed = admin->add_subcommand("vulnfeed", "Debian security data for vulnerability matching")
                       ->require_subcommand(1);
  AddImportCommand(feed);
  AddListCommand(feed);
}

}  // namespace rampart::cli
