// What writing agents' liveness costs the server (issue 13 §5: heartbeats' share of a core
// includes these writes). N agents (default 10,000) with documents shaped like enrollment's are
// stored in a SQLite store on disk; each sends a heartbeat, and one flush writes all of them (the
// first health of every agent is news); then a minute later, after another identical heartbeat
// each, one flush writes the routine lastReportedAt of all of them. The ceiling is raw SQLite: the
// same rows' documents replaced whole by primary key in one transaction, on the same store.
// Usage: liveness_bench [--agents N] [--dir DIR]. Prints one JSON object: CPU and wall µs per
// agent written for each flush and for the ceiling.
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/clock.hpp"
#include "ingest/liveness.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"
#include "telemetry/page_token.hpp"

namespace {

using namespace rampart;
constexpr const char* kOrg = "0123456789abcdef01234567";

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string AgentId(int i) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
  return id;
}

// ~580 bytes, the shape enrollment stores.
std::string Doc(const std::string& id, int i) {
  const std::string host = "host-" + std::to_string(10000 + i);
  return R"({"id":")" + id + R"(","instanceId":null,"status":"online","createdAt":"2026-12-03T15:37:39.254Z",)"
         R"("lastReportedAt":"2026-12-03T15:37:49.360Z","version":"0.1.0","name":")" + host +
         R"(","description":"","hostname":")" + host +
         R"(","ipAddresses":{"private":["10.0.0.5/24"],"link_local":["fe80::1/64"],"public":[]},"tags":[],)"
         R"("agentType":"investigate","osVersion":"debian 12","kernel":"6.1.0-18-amd64","agentModuleHealth":)"
         R"({"isHealthy":true,"audit":{"isHealthy":true,"status":"RUNNING"},"fim":{"isHealthy":true,)"
         R"("status":"RUNNING"},"counters":{"auditLost":0,"auditBacklog":0}}})";
}

struct Cost {
  double cpu_us, wall_us;
};

template <typename F>
Cost PerAgent(int n, F&& f) {
  const double c0 = CpuSeconds(), w0 = WallSeconds();
  f();
  return {(CpuSeconds() - c0) / n * 1e6, (WallSeconds() - w0) / n * 1e6};
}

}  // namespace

int main(int argc, char** argv) {
  int n = 10000;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--agents") n = std::atoi(argv[i + 1]);
    else if (flag == "--dir") dir = argv[i + 1];
  }
  const bool own_dir = dir.empty();
  if (own_dir) dir = std::filesystem::temp_directory_path() / ("rampart-liveness-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto opened = store::OpenSqliteStore({dir + "/rampart.db"});
  if (!opened) return std::fprintf(stderr, "open: %s\n", opened.error().detail.c_str()), 1;
  auto& store = **opened;
  (void)store.CreateOrg({kOrg, "bench", 1});
  std::vector<store::AgentRecord> records;
  for (int i = 0; i < n; ++i) records.push_back({kOrg, AgentId(i), "online", i, Doc(AgentId(i), i)});
  if (!store.PutAgents(records)) return std::fprintf(stderr, "put agents failed\n"), 1;

  FakeClock clock{SysTime{std::chrono::milliseconds(1'790'000'000'000)}};
  telemetry::PageTokenCodec codec("bench-key");
  telemetry::AgentDirectory directory(store, codec, clock, 1000);
  ingest::Liveness live(store, directory, clock, 120000, 60000);
  const char* body = R"({"modules":{"audit":{"healthy":true,"status":"RUNNING"},"fim":{"healthy":true,"status":"RUNNING"}},)"
                     R"("counters":{"auditLost":0,"auditBacklog":0}})";
  auto beat = [&] {
    for (int i = 0; i < n; ++i) (void)live.Heartbeat({AgentId(i), kOrg, "", {}}, body);
  };
  auto flush = [&] {
    auto written = live.Flush();
    if (!written || *written != static_cast<size_t>(n)) std::fprintf(stderr, "flush wrote %zu\n", written ? *written : 0), std::exit(1);
  };
  beat();
  const Cost first = PerAgent(n, flush);
  clock.Advance(std::chrono::seconds(61));
  beat();
  const Cost routine = PerAgent(n, flush);

  // The ceiling: the same rows replaced whole by primary key, one transaction, a cached statement.
  store::sqlite::Db db;
  if (!db.Open(dir + "/rampart.db", 5000)) return std::fprintf(stderr, "open raw failed\n"), 1;
  (void)db.Exec("PRAGMA synchronous = FULL");
  const Cost raw = PerAgent(n, [&] {
    (void)db.Exec("BEGIN");
    store::sqlite::Stmt s(db, "UPDATE agents SET status = ?3, doc = ?4 WHERE org_id = ?1 AND id = ?2");
    for (const auto& r : records) (void)s.Bind(1, r.org_id).Bind(2, r.id).Bind(3, r.status).Bind(4, r.doc).Run();
    (void)db.Exec("COMMIT");
  });
  std::printf("{\"agents\": %d, \"first_flush_us_per_agent\": {\"cpu\": %.1f, \"wall\": %.1f}, "
              "\"routine_flush_us_per_agent\": {\"cpu\": %.1f, \"wall\": %.1f}, "
              "\"raw_sqlite_replace_us_per_row\": {\"cpu\": %.1f, \"wall\": %.1f}}\n",
              n, first.cpu_us, first.wall_us, routine.cpu_us, routine.wall_us, raw.cpu_us, raw.wall_us);
  if (own_dir) std::filesystem::remove_all(dir);
  return 0;
}
