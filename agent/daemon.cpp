#include "agent/daemon.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "agent/audit_source.hpp"
#include "agent/batcher.hpp"
#include "agent/client.hpp"
#include "agent/fim.hpp"
#include "agent/host_facts.hpp"
#include "agent/outbox.hpp"
#include "agent/spool.hpp"

namespace rampart::agent {
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

// Inflated size of a batch: under the server's ingest_max_inflated_bytes (8 MiB) with room.
constexpr size_t kMaxBatchBytes = 4 << 20;

class Loop {
 public:
  Loop(const DaemonOptions& o, const State& s, const Clock& clock, Transport& t, Outbox& outbox)
      : o_(o), clock_(clock), client_(t, {s.agent_id, s.key}, clock), outbox_(outbox),
        heartbeat_interval_s_(s.heartbeat_interval_s), agent_id_(s.agent_id), server_(s.server),
        queue_(o.queue_cap), audit_(o.audit_socket, [this](json::object e) { queue_.Push(e); }),
        fim_([this](json::object e) { queue_.Push(e); }, clock), inventory_(o.inventory_options, client_) {}

  // Three kinds of thread: the collectors (audit, file integrity) fill the queue; this one cuts
  // the queue into spooled batches and writes the status; the network thread sends the spool,
  // heartbeats and reads the config. A slow or absent server never holds up the cutting, so
  // the queue drains into the spool however long a request takes.
  int Run(const std::atomic<bool>& stop) {
    std::thread audit_thread, fim_thread([&] { fim_.Run(stop); });
    if (o_.audit) audit_thread = std::thread([&] { audit_.Run(stop); });
    std::thread network([&] { Network(stop); });
    int64_t last_cut = Now(), next_status = 0;
    while (!stop) {
      int64_t now = Now();
      audit_.Tick(std::chrono::steady_clock::now());
      if (queue_.size() >= o_.batch_events || (queue_.size() > 0 && now - last_cut >= o_.batch_interval.count())) {
        // A burst goes out in full batches, not one per tick; a spool that cannot take one stops it.
        while (CutBatch() && queue_.size() >= o_.batch_events) {
        }
        last_cut = now;
      }
      if (now >= next_status) {
        WriteStatus(true);
        next_status = now + 2000;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    // What was collected is spooled for the next start: the collectors stop first, then the
    // assembler's open groups and the whole queue go to the spool.
    if (audit_thread.joinable()) audit_thread.join();
    fim_thread.join();
    network.join();
    audit_.Drain();
    while (queue_.size() > 0 && CutBatch()) {
    }
    WriteStatus(false);
    return 0;
  }

 private:
  int64_t Now() const { return UnixMillis(clock_.Now()); }

  void Network(const std::atomic<bool>& stop) {
    int64_t next_send = 0, next_heartbeat = 0, next_config = 0;
    while (!stop) {
      int64_t now = Now();
      if (now >= next_config) next_config = now + (RefreshConfig() ? o_.config_interval.count() * 1000 : 5000);
      if (o_.inventory) inventory_.Tick(now);
      if (now >= next_send && outbox_.size() > 0) next_send = now + SendSpool(stop);
      // A module whose health changed is reported at once (at most every 5 s), not 30 s later.
      bool changed = HealthSignature() != sent_health_ && now - last_heartbeat_ >= 5000;
      if (now >= next_heartbeat || changed) next_heartbeat = now + Heartbeat() * 1000;
      std::this_thread::sleep_for(milliseconds(100));
    }
  }

  // Moves up to a batch from the queue into the spool; false when nothing could be spooled (the
  // events stay queued: a sequence number that was not saved, or a spool that cannot write).
  bool CutBatch() {
    size_t n = 0;
    std::string batch = queue_.PeekBatch(o_.batch_events, kMaxBatchBytes, &n);
    if (n == 0) return false;
    if (auto added = outbox_.Add(batch); !added) {
      Log(added.error().detail);
      ++spool_errors_;
      return false;
    }
    queue_.Pop(n);
    return true;
  }

  // Sends spooled batches oldest first; returns the milliseconds to wait before trying again.
  int64_t SendSpool(const std::atomic<bool>& stop) {
    for (int i = 0; i < 20 && !stop; ++i) {
      auto oldest = outbox_.Oldest();
      if (!oldest) break;
      Reply r = client_.SendBatch(oldest->first, oldest->second);
      if (r.status == 200) {
        outbox_.Acked(oldest->first);
        backoff_ms_ = 0;
        ++batches_sent_;
        SetConnected({true, "CONNECTED", "last batch acknowledged"});
        boost::system::error_code ec;
        json::value v = json::parse(r.body, ec);
        if (!ec && v.is_object()) {
          if (auto* a = v.as_object().if_contains("accepted"); a && a->is_int64()) events_sent_ += a->as_int64();
        }
        continue;
      }
      if (r.status == 400 || r.status == 413) {  // bad input, signed by the server: resending it cannot help
        auto split = outbox_.Split(oldest->first, oldest->second);
        if (!split) {
          Log("cannot split refused batch " + std::to_string(oldest->first) + ": " + split.error().detail);
          ++spool_errors_;
          return Backoff(r);
        }
        if (!*split) {
          Log("batch " + std::to_string(oldest->first) + " (one event) refused, dropped: " + ErrorOf(r));
          ++batches_rejected_;
        }
        continue;
      }
      return Backoff(r);
    }
    return 0;
  }

  int64_t Backoff(const Reply& r) {
    ModuleHealth down{false, "DISCONNECTED", ErrorOf(r)};
    if (r.status == 401) down.detail += " (the agent's key was refused: revoked, or the host re-enrolled)";
    SetConnected(std::move(down));
    backoff_ms_ = std::clamp<int64_t>(backoff_ms_ * 2, 1000, 60000);
    int64_t wait = backoff_ms_;
    if (!r.retry_after.empty()) wait = std::clamp<int64_t>(std::atoll(r.retry_after.c_str()) * 1000, 1000, 600000);
    std::uniform_int_distribution<int64_t> jitter(wait / 2, wait + wait / 2);
    return jitter(rng_);
  }

  bool RefreshConfig() {
    Reply r = client_.Config();
    if (r.status != 200) {
      SetConnected({false, "DISCONNECTED", ErrorOf(r)});
      return false;
    }
    if (!Connected().healthy) SetConnected({true, "CONNECTED", "config read"});
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    if (ec || !v.is_object()) return false;
    std::vector<WatchPath> paths;
    std::vector<std::string> ignore;
    if (auto* fi = v.as_object().if_contains("fileIntegrity"); fi && fi->is_object()) {
      if (auto* ps = fi->as_object().if_contains("paths"); ps && ps->is_array()) {
        for (const auto& p : ps->as_array()) {
          if (!p.is_object() || !p.as_object().contains("path") || !p.at("path").is_string()) continue;
          const auto* rec = p.as_object().if_contains("recursive");
          paths.push_back({std::string(p.at("path").as_string()), rec && rec->is_bool() && rec->as_bool()});
        }
      }
      if (auto* ig = fi->as_object().if_contains("ignoreFiles"); ig && ig->is_array()) {
        for (const auto& p : ig->as_array()) {
          if (p.is_string()) ignore.emplace_back(p.as_string());
        }
      }
    }
    std::string signature = json::serialize(v.as_object().contains("fileIntegrity") ? v.at("fileIntegrity") : json::value());
    if (signature != config_signature_) {
      fim_.SetPaths(paths, ignore);
      config_signature_ = signature;
    }
    return true;
  }

  json::object Modules() const {
    auto doc = [](const ModuleHealth& h) { return json::object{{"healthy", h.healthy}, {"status", h.status}, {"detail", h.detail}}; };
    json::object m{{"backend", doc(Connected())}, {"fim", doc(fim_.health())}};
    m["audit"] = o_.audit ? doc(audit_.health()) : doc({true, "DISABLED", "run with --no-audit"});
    m["inventory"] = o_.inventory ? doc(inventory_.health()) : doc({true, "DISABLED", "run with --no-inventory"});
    return m;
  }

  json::object Counters() const {
    json::object c{{"eventsSent", events_sent_.load()},         {"batchesSent", batches_sent_.load()},
                   {"batchesRejected", batches_rejected_.load()}, {"spoolDropped", outbox_.dropped()},
                   {"spoolBatches", outbox_.size()},              {"queueDropped", queue_.dropped()},
                   {"spoolErrors", spool_errors_.load()},         {"fimOverflows", fim_.overflows()},
                   {"auditEvents", audit_.events()},       {"auditUnparsed", audit_.unparsed()},
                   {"auditIncomplete", audit_.incomplete()},  {"inventoriesSent", inventory_.sent()}};
    KernelAuditStatus k;
    if (ReadKernelAuditStatus(k)) {
      c["auditLost"] = k.lost;
      c["auditBacklog"] = k.backlog;
    }
    return c;
  }

  std::string HealthSignature() const {
    std::string sig;
    for (const auto& [name, m] : Modules()) sig += std::string(name) + (m.at("healthy").as_bool() ? "+" : "-");
    return sig;
  }

  // Returns the seconds until the next heartbeat.
  int64_t Heartbeat() {
    last_heartbeat_ = Now();
    sent_health_ = HealthSignature();
    json::object body{{"modules", Modules()}, {"counters", Counters()}, {"host", HostJson(ReadHostFacts())}};
    Reply r = client_.Heartbeat(body);
    if (r.status == 200) {
      if (!Connected().healthy) SetConnected({true, "CONNECTED", "heartbeat acknowledged"});
    } else {
      SetConnected({false, "DISCONNECTED", ErrorOf(r)});
    }
    return r.status == 200 ? heartbeat_interval_s_ : std::min<int64_t>(heartbeat_interval_s_, 10);
  }

  void WriteStatus(bool running) {
    json::object s{{"pid", running ? static_cast<int64_t>(::getpid()) : 0}, {"updatedAt", Now()},
                   {"agentId", agent_id_}, {"server", server_},
                   {"heartbeatIntervalSeconds", heartbeat_interval_s_},
                   {"modules", Modules()}, {"counters", Counters()}};
    std::string tmp = o_.state_dir + "/status.json.tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << json::serialize(s) << "\n";
    }
    std::rename(tmp.c_str(), (o_.state_dir + "/status.json").c_str());
  }

  static void Log(const std::string& line) { std::fprintf(stderr, "rampart-agent: %s\n", line.c_str()); }

  ModuleHealth Connected() const {
    std::lock_guard lock(connected_mu_);
    return connected_;
  }
  void SetConnected(ModuleHealth h) {
    std::lock_guard lock(connected_mu_);
    connected_ = std::move(h);
  }

  const DaemonOptions& o_;
  const Clock& clock_;
  IngestClient client_;
  Outbox& outbox_;
  const int64_t heartbeat_interval_s_;
  const std::string agent_id_, server_;
  EventQueue queue_;
  AuditSource audit_;
  FileIntegrity fim_;
  InventoryReporter inventory_;
  // The network thread's own.
  int64_t backoff_ms_ = 0, last_heartbeat_ = 0;
  std::string sent_health_, config_signature_ = "unset";
  std::mt19937_64 rng_{std::random_device{}()};
  // Shared: read by the status writer on the other thread.
  std::atomic<uint64_t> events_sent_{0}, batches_sent_{0}, batches_rejected_{0}, spool_errors_{0};
  mutable std::mutex connected_mu_;
  ModuleHealth connected_{false, "DISCONNECTED", "not connected yet"};
};

}  // namespace

int RunDaemon(const DaemonOptions& opts, const Clock& clock, const std::atomic<bool>& stop) {
  auto state = LoadState(opts.state_dir);
  if (!state) {
    std::fprintf(stderr, "rampart-agent: %s\n", state.error().detail.c_str());
    return 2;
  }
  auto transport = Transport::Create(state->server, state->ca_file, std::chrono::seconds(15),
                                     std::string("rampart-agent/") + kAgentVersion);
  if (!transport) {
    std::fprintf(stderr, "rampart-agent: %s\n", transport.error().detail.c_str());
    return 2;
  }
  auto spool = Spool::Open(opts.state_dir + "/spool", opts.spool_cap_bytes);
  if (!spool) {
    std::fprintf(stderr, "rampart-agent: %s\n", spool.error().detail.c_str());
    return 2;
  }
  Outbox outbox(opts.state_dir, *state, std::move(*spool));
  Loop loop(opts, *state, clock, **transport, outbox);
  return loop.Run(stop);
}

int PrintStatus(const std::string& state_dir, const Clock& clock) {
  std::ifstream in(state_dir + "/status.json");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (!in || ec || !v.is_object()) {
    std::printf("rampart-agent is not running (no status in %s)\n", state_dir.c_str());
    return 3;
  }
  const json::object& s = v.as_object();
  int64_t pid = s.at("pid").to_number<int64_t>();
  int64_t age_s = (UnixMillis(clock.Now()) - s.at("updatedAt").to_number<int64_t>()) / 1000;
  int64_t interval = s.at("heartbeatIntervalSeconds").to_number<int64_t>();
  bool running = pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0 && age_s <= 3 * interval;
  std::printf("rampart-agent %s (agent %s, server %s, status %llds old)\n", running ? "RUNNING" : "NOT RUNNING",
              std::string(s.at("agentId").as_string()).c_str(), std::string(s.at("server").as_string()).c_str(),
              static_cast<long long>(age_s));
  bool healthy = true;
  for (const auto& [name, m] : s.at("modules").as_object()) {
    const auto& o = m.as_object();
    healthy = healthy && o.at("healthy").as_bool();
    std::printf("  %-8s %-12s %s\n", std::string(name).c_str(), std::string(o.at("status").as_string()).c_str(),
                std::string(o.at("detail").as_string()).c_str());
  }
  for (const auto& [name, c] : s.at("counters").as_object()) {
    std::printf("  %-16s %s\n", std::string(name).c_str(), json::serialize(c).c_str());
  }
  if (!running) return 3;
  return healthy ? 0 : 1;
}

}  // namespace rampart::agent
