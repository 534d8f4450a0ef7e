// `rampart admin vulnfeed import --format debian-tracker FILE[.gz]`, `… --format osv FILE|DIR` and
// `rampart admin vulnfeed list`: Debian security data for vulnerability matching
// (docs/vulnerabilities.md). Safe while the server runs: the server loads a new current feed
// within 10 s.
#include <sys/stat.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

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

constexpr uintmax_t kMaxOsvDocument = 64u << 20;

// An OSV feed's documents: the file, or a directory's *.json files in name order.
telemetry::NextDocument OsvDocuments(const std::string& path) {
  auto files = std::make_shared<std::vector<std::filesystem::path>>();
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") files->push_back(entry.path());
    }
    std::sort(files->begin(), files->end());
  } else {
    files->push_back(path);
  }
  auto at = std::make_shared<size_t>(0);
  return [files, at](std::string& name, std::string& bytes) -> Result<bool> {
    if (*at == files->size()) return false;
    const std::filesystem::path& file = (*files)[(*at)++];
    name = file.filename().string();
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) return Error::Unavailable("cannot read " + file.string());
    if (size > kMaxOsvDocument) return Error::Invalid(name + " is larger than 64 MiB");
    std::ifstream in(file, std::ios::binary);
    bytes.assign(static_cast<size_t>(size), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return Error::Unavailable("cannot read " + file.string());
    return true;
  };
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
  cmd->add_option("--format", a->format,
                  "debian-tracker (the Security Tracker's JSON) or osv (OSV records of the Debian ecosystems)")
      ->required()
      ->check(CLI::IsMember({"debian-tracker", "osv"}));
  cmd->add_option("file", a->file, "debian-tracker: the feed, .json or .json.gz; osv: a .json file or a directory of them")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--data-dir", a->data_dir, "data directory (holds rampart.db)");
  cmd->add_flag("--json", a->json_out, "machine-readable output");
  cmd->callback([a] {
    const bool directory = std::filesystem::is_directory(a->file);
    if (directory && a->format != "osv") Fail(a->file + " is a directory: only --format osv reads one");
    auto store = OpenDataStore(a->data_dir);
    telemetry::FeedSource source{a->format, std::filesystem::path(a->file).filename().string(), ModifiedAt(a->file),
                                 "admin", UnixMillis(SystemClock().Now())};
    std::ifstream in(a->file, std::ios::binary);
    if (!directory && !in) Fail("cannot read " + a->file);
    auto done = a->format == "osv" ? telemetry::ImportOsv(*store, OsvDocuments(a->file), source, directory)
                                   : telemetry::ImportFeed(*store, in, source);
    if (!done) Fail(a->file + ": " + done.error().detail + " (the current feed is unchanged)");
    json::object o = FeedJson(done->feed);
    o["vulnerabilities"] = done->stats.vulnerabilities;
    o["sources"] = done->stats.sources;
    o["undetermined"] = done->stats.undetermined;
    o["unsupported"] = done->stats.unsupported;
    if (a->json_out) {
      std::printf("%s\n", json::serialize(o).c_str());
    } else {
      std::printf("imported feed %lld: %lld entries (%zu vulnerabilities over %zu source packages; %zu undetermined "
                  "and %zu unsupported left out), sha256 %s\n",
                  static_cast<long long>(done->feed.id), static_cast<long long>(done->feed.entries),
                  done->stats.vulnerabilities, done->stats.sources, done->stats.undetermined, done->stats.unsupported,
                  done->feed.sha256.c_str());
    }
    Exit(0);
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
    Exit(0);
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
