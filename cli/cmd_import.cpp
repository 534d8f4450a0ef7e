// `rampart admin import --org ORG FILE.jsonl`: telemetry from JSON lines, until agents report
// by themselves. One object per line: {"kind":"agent"|"alert","data":{…}} (an alert's data may
// hold an "events" array). Nothing is written unless every line is valid (the first bad line is
// reported); agents, then alerts, are each written in one transaction.
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "commands.hpp"
#include "store/store.hpp"
#include "telemetry/agents.hpp"
#include "telemetry/alerts.hpp"

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
    auto fail = [](const std::string& why) {
      std::fprintf(stderr, "rampart: %s\n", why.c_str());
      std::exit(1);
    };
    auto store = store::OpenSqliteStore({(std::filesystem::path(a->data_dir) / "rampart.db").string()});
    if (!store) fail(store.error().detail);
    auto org = (*store)->FindOrg(a->org);
    if (!org) fail(org.error().detail);
    if (!*org) fail("no such organization: " + a->org);
    std::ifstream in(a->file);
    std::string line;
    std::vector<store::AgentRecord> agents;
    std::vector<store::AlertRecord> alerts;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json::error_code ec;
      json::value v = json::parse(line, ec);
      const json::object* o = ec ? nullptr : v.if_object();
      const json::value* kind = o ? o->if_contains("kind") : nullptr;
      const json::value* data = o ? o->if_contains("data") : nullptr;
      if (!kind || !data || !kind->is_string()) fail("line " + std::to_string(n) + ": expected {\"kind\":…,\"data\":{…}}");
      if (kind->get_string() == "agent") {
        auto rec = telemetry::AgentFromJson(*data, (*org)->id);
        if (!rec) fail("line " + std::to_string(n) + ": " + rec.error().detail);
        agents.push_back(std::move(*rec));
      } else if (kind->get_string() == "alert") {
        auto rec = telemetry::AlertFromJson(*data, (*org)->id);
        if (!rec) fail("line " + std::to_string(n) + ": " + rec.error().detail);
        alerts.push_back(std::move(*rec));
      } else {
        fail("line " + std::to_string(n) + ": kind '" + std::string(kind->get_string()) + "' is not importable yet");
      }
    }
    if (auto r = (*store)->PutAgents(agents); !r) fail(r.error().detail);
    if (auto r = (*store)->PutAlerts(alerts); !r) fail(r.error().detail);
    std::printf("%s\n", a->json_out ? json::serialize(json::object{{"agents", agents.size()}, {"alerts", alerts.size()}}).c_str()
                                    : ("imported " + std::to_string(agents.size()) + " agents, " +
                                       std::to_string(alerts.size()) + " alerts").c_str());
    std::exit(0);
  });
}

}  // namespace rampart::cli
