// rampart-agent: enroll | run | status (docs/agents.md).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "agent/client.hpp"
#include "agent/daemon.hpp"
#include "agent/host_facts.hpp"
#include "agent/state.hpp"

namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

using namespace rampart;
using namespace rampart::agent;

int Enroll(const std::string& server, std::string deploy_key, const std::string& name,
           const std::vector<std::string>& rulesets, const std::string& dir, const std::string& ca_file) {
  if (deploy_key.empty()) {
    if (const char* env = std::getenv("RAMPART_DEPLOY_KEY")) deploy_key = env;
  }
  if (deploy_key.empty()) {
    std::fprintf(stderr, "rampart-agent: a deploy key is needed (--deploy-key or RAMPART_DEPLOY_KEY)\n");
    return 2;
  }
  auto t = Transport::Create(server, ca_file, std::chrono::seconds(30), std::string("rampart-agent/") + kAgentVersion);
  if (!t) {
    std::fprintf(stderr, "rampart-agent: %s\n", t.error().detail.c_str());
    return 2;
  }
  HostFacts f = ReadHostFacts();
  if (f.machine_id.size() < 8) {
    std::fprintf(stderr, "rampart-agent: /etc/machine-id is missing or too short: it identifies this host\n");
    return 2;
  }
  boost::json::object facts = HostJson(f);
  facts["hostname"] = f.hostname.empty() ? "localhost" : f.hostname;
  facts["machineId"] = f.machine_id;
  facts["agentType"] = "investigate";
  if (!name.empty()) facts["name"] = name;
  if (!rulesets.empty()) {
    boost::json::array rs;
    for (const auto& r : rulesets) rs.emplace_back(r);
    facts["rulesets"] = std::move(rs);
  }
  auto e = agent::Enroll(**t, deploy_key, facts);
  if (!e) {
    std::fprintf(stderr, "rampart-agent: %s\n", e.error().detail.c_str());
    return 1;
  }
  State s{server, ca_file, e->agent_id, e->key, 0, e->heartbeat_interval_s};
  if (auto saved = SaveState(dir, s); !saved) {
    std::fprintf(stderr, "rampart-agent: %s\n", saved.error().detail.c_str());
    return 1;
  }
  std::printf("enrolled as agent %s; credentials in %s/state\n", e->agent_id.c_str(), dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rampart-agent: ships this host's audit, file-integrity and login events to rampart"};
  app.require_subcommand(1);
  std::string dir = kDefaultStateDir;

  auto* enroll = app.add_subcommand("enroll", "enroll this host with a deploy key");
  std::string server, deploy_key, name, ca_file;
  std::vector<std::string> rulesets;
  enroll->add_option("--server", server, "rampart's base URL (https://…)")->required();
  enroll->add_option("--deploy-key", deploy_key, "the organization's deploy key (or RAMPART_DEPLOY_KEY)");
  enroll->add_option("--name", name, "the agent's name (default: the hostname)");
  enroll->add_option("--ruleset", rulesets, "a ruleset to be evaluated against (repeatable)");
  enroll->add_option("--state-dir", dir, "where the credentials are kept");
  enroll->add_option("--ca-file", ca_file, "PEM trust anchors for the server (default: the system's)");

  auto* run = app.add_subcommand("run", "collect and send (foreground)");
  DaemonOptions opts;
  uint64_t spool_mb = 256;
  bool no_audit = false;
  run->add_option("--state-dir", opts.state_dir, "where the credentials and spool are kept");
  run->add_option("--audit-socket", opts.audit_socket, "auditd's af_unix dispatcher socket");
  run->add_option("--spool-cap-mb", spool_mb, "disk spool cap in MiB")->check(CLI::Range(1, 1 << 20));
  run->add_flag("--no-audit", no_audit, "do not read auditd");
  bool no_inventory = false;
  run->add_flag("--no-inventory", no_inventory, "do not report installed packages");
  run->add_option("--dpkg-status", opts.inventory_options.status_path, "dpkg's status file (the package inventory)");

  auto* status = app.add_subcommand("status", "print each module's health");
  status->add_option("--state-dir", dir, "the agent's state directory");

  CLI11_PARSE(app, argc, argv);
  SystemClock clock;
  if (*enroll) return Enroll(server, deploy_key, name, rulesets, dir, ca_file);
  if (*status) return PrintStatus(dir, clock);
  opts.spool_cap_bytes = spool_mb << 20;
  opts.audit = !no_audit;
  opts.inventory = !no_inventory;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return RunDaemon(opts, clock, g_stop);
}
