// `rampart admin import --org ORG FILE.jsonl`: telemetry from JSON lines, until agents report
// by themselves. One object per line: {"kind":"agent","data":{…agent fields…}}. The whole file
// is applied in one transaction, or nothing is (the first bad line is reported).
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "commands.hpp"
#include "store/store.hpp"
#include "telemetry/agents.hpp"

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
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json::error_code ec;
      json::value v = json::parse(line, ec);
      const json::object* o = ec ? nullptr : v.if_object();
      const json::value* kind = o ? o->if_contains("kind") : nullptr;
      const json::value* data = o ? o->if_contains("data") : nullptr;
      if (!kind || !data || !kind->is_string()) fail("line " + std::to_string(n) + ": expected {\"kind\":…,\"data\":{…}}");
      if (kind->get_string() != "agent") {
        fail("line " + std::to_string(n) + ": kind '" + std::string(kind->get_string()) + "' is not importable yet");
      }
      auto rec = telemetry::AgentFromJson(*data, (*org)->id);
      if (!rec) fail("line " + std::to_string(n) + ": " + rec.error().detail);
      agents.push_back(std::move(*rec));
    }
    if (auto r = (*store)->PutAgents(agents); !r) fail(r.error().detail);
    std::printf("%s\n", a->json_out ? json::serialize(json::object{{"agents", agents.size()}}).c_str()
                                    : ("imported " + std::to_string(agents.size()) + " agents").c_str());
    std::exit(0);
  });
}

}  // namespace rampart::cli
