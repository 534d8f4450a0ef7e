// `rampart admin import --org ORG FILE.jsonl`: telemetry from JSON lines (telemetry/import.hpp),
// until agents report by themselves. Nothing is written unless every line is valid.
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common.hpp"
#include "commands.hpp"
#include "base/clock.hpp"
#include "store/store.hpp"
#include "telemetry/import.hpp"

namespace rampart::cli {
namespace json = boost::json;

void AddImport(CLI::App* admin) {
  struct Args {
    std::string data_dir = "data", org, file;
    bool json_out = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = admin->add_subcommand("import", "Import telemetry (JSON lines) into an organization");
  cmd->add_option("--org", a->org, "organization id or name")->required();
  cmd->add_option("file", a->file, "JSON lines file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data-dir", a->data_dir, "data directory (holds rampart.db)");
  cmd->add_flag("--json", a->json_out, "machine-readable output");
  cmd->callback([a] {
    auto store = OpenDataStore(a->data_dir);
    auto org = Must(store->FindOrg(a->org));
    if (!org) Fail("no such organization: " + a->org);
    std::ifstream in(a->file);
    auto counts = Must(telemetry::ImportJsonLines(in, org->id, *store, UnixMillis(SystemClock().Now())));
    std::printf("%s\n", a->json_out
                            ? json::serialize(json::object{{"agents", counts.agents},
                                                           {"alerts", counts.alerts},
                                                           {"vulnerabilities", counts.vulnerabilities}}).c_str()
                            : ("imported " + std::to_string(counts.agents) + " agents, " +
                               std::to_string(counts.alerts) + " alerts, " + std::to_string(counts.vulnerabilities) +
                               " vulnerabilities").c_str());
    Exit(0);
  });
}

}  // namespace rampart::cli
