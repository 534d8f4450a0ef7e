// The agent's parts that need no server: the state file, the spool (order, durability across a
// reopen, the cap), the queue and gzip, host facts' pure helpers, the audit collector's byte
// handling, and file integrity on a temp dir.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "agent/audit_source.hpp"
#include "agent/batcher.hpp"
#include "agent/client.hpp"
#include "agent/fim.hpp"
#include "agent/host_facts.hpp"
#include "agent/spool.hpp"
#include "agent/state.hpp"
#include "agent/test_util.hpp"
#include "http/client.hpp"

namespace rampart::agent {
namespace {
namespace fs = std::filesystem;

TEST(AgentState, SavedPrivatelyAndReadBack) {
  TempDir t;
  std::string dir = (t.path / "state").string();
  EXPECT_EQ(LoadState(dir).error().code, Errc::kNotFound);
  ASSERT_TRUE(SaveState(dir, {"https://rampart.example:8443", "", "agent-1", "k3y", 1000, 30}));
  auto s = LoadState(dir);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->agent_id, "agent-1");
  EXPECT_EQ(s->key, "k3y");
  EXPECT_EQ(s->next_seq, 1000);
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::ofstream(dir + "/state") << "{\"server\":1}";
  EXPECT_EQ(LoadState(dir).error().code, Errc::kInvalid);
}

TEST(AgentSpool, OldestFirstSurvivesAReopenAndDropsTheOldestPastTheCap) {
  TempDir t;
  std::string dir = (t.path / "spool").string();
  {
    auto s = Spool::Open(dir, 100);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->Push(7, std::string(40, 'a')));
    ASSERT_TRUE(s->Push(8, std::string(40, 'b')));
    EXPECT_EQ(s->Oldest()->first, 7);
  }
  auto s = Spool::Open(dir, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->size(), 2u);
  EXPECT_EQ(s->last_seq(), 8);
  EXPECT_EQ(s->Oldest()->second, std::string(40, 'a'));
  ASSERT_TRUE(s->Push(9, std::string(40, 'c')));  // 120 bytes > 100: batch 7 goes
  EXPECT_EQ(s->dropped(), 1u);
  EXPECT_EQ(s->Oldest()->first, 8);
  s->Remove(8);
  s->Remove(9);
  EXPECT_FALSE(s->Oldest());
  EXPECT_EQ(s->bytes(), 0u);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(AgentQueue, BatchesAreGzipJsonLinesAndTheQueueIsBounded) {
  EventQueue q(3);
  for (int i = 0; i < 5; ++i) q.Push({{"event_type", "audit"}, {"timestamp", i}});
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.dropped(), 2u);
  size_t n = 0;
  std::string batch = q.CutBatch(2, &n);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(Gunzip(batch), "{\"event_type\":\"audit\",\"timestamp\":0}\n{\"event_type\":\"audit\",\"timestamp\":1}\n");
  EXPECT_FALSE(q.CutBatch(10).empty());
  EXPECT_TRUE(q.CutBatch(10).empty());
}

TEST(AgentHostFacts, OsReleaseAndAddressClasses) {
  EXPECT_EQ(OsVersionOf("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"), "debian 12");
  EXPECT_EQ(OsVersionOf("ID=arch\n"), "arch");
  EXPECT_EQ(OsVersionOf(""), "");
  EXPECT_EQ(ClassOf("10.1.2.3"), "private");
  EXPECT_EQ(ClassOf("172.31.0.1"), "private");
  EXPECT_EQ(ClassOf("172.32.0.1"), "public");
  EXPECT_EQ(ClassOf("100.64.0.1"), "private");
  EXPECT_EQ(ClassOf("169.254.169.254"), "link_local");
  EXPECT_EQ(ClassOf("8.8.8.8"), "public");
  EXPECT_EQ(ClassOf("127.0.0.1"), "");
  EXPECT_EQ(ClassOf("fe80::1"), "link_local");
  EXPECT_EQ(ClassOf("fd00::1"), "private");
  EXPECT_EQ(ClassOf("2001:db8::1"), "public");
  EXPECT_EQ(ClassOf("::1"), "");
  EXPECT_EQ(ClassOf("nonsense"), "");
  HostFacts f = ReadHostFacts();
  EXPECT_FALSE(f.kernel.empty());
}

TEST(AgentAudit, RecordsSplitAcrossReadsAssembleAndTheAgentsOwnProcessIsLeftOut) {
  std::vector<boost::json::object> got;
  AuditSource src("/nonexistent", [&](boost::json::object e) { got.push_back(std::move(e)); });
  std::string exec =
      "type=SYSCALL msg=audit(1700000000.100:5): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=4242 "
      "auid=1000 uid=1000 euid=1000 tty=pts0 ses=3 comm=\"echo\" exe=\"/usr/bin/echo\" key=\"rampart_exec\"\n"
      "type=EXECVE msg=audit(1700000000.100:5): argc=2 a0=\"/bin/echo\" a1=68656C6C6F20776F726C64\n"
      "type=EOE msg=audit(1700000000.100:5):\n";
  src.Feed(exec.substr(0, 37));
  src.Feed(exec.substr(37, 150));
  EXPECT_TRUE(got.empty());
  src.Feed(exec.substr(187));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].at("arguments").as_string(), "/bin/echo hello world");
  EXPECT_EQ(got[0].at("command").as_string(), "echo");
  std::string own = "type=SYSCALL msg=audit(1700000000.200:6): arch=c000003e syscall=42 success=yes pid=" +
                    std::to_string(::getpid()) + " comm=\"a\" key=\"rampart_connect\"\n" +
                    "type=SOCKADDR msg=audit(1700000000.200:6): saddr=020000097F000001\n"
                    "type=EOE msg=audit(1700000000.200:6):\nnot a record\n";
  src.Feed(own);
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(src.unparsed(), 1u);
  EXPECT_FALSE(src.health().healthy);  // never connected
}

TEST(AgentFim, ChangesUnderAWatchedDirectoryAreEventsAndIgnoredFilesAreNot) {
  TempDir t;
  fs::create_directories(t.path / "etc" / "sub");
  std::mutex mu;
  std::vector<boost::json::object> got;
  SystemClock clock;
  FileIntegrity fim([&](boost::json::object e) {
    std::lock_guard lock(mu);
    got.push_back(std::move(e));
  }, clock);
  fim.SetPaths({{(t.path / "etc").string(), true}, {(t.path / "missing").string(), false}}, {"*.swp"});
  EXPECT_EQ(fim.watches(), 2u);
  EXPECT_NE(fim.health().detail.find("not found"), std::string::npos);
  std::atomic<bool> stop{false};
  std::thread reader([&] { fim.Run(stop); });
  std::ofstream(t.path / "etc" / "sub" / "passwd") << "x";
  std::ofstream(t.path / "etc" / "file.swp") << "x";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto saw = [&](const std::string& path, const std::string& action) {
    std::lock_guard lock(mu);
    for (const auto& e : got) {
      if (e.at("path").as_string() == path && e.at("action").as_string() == action) return true;
    }
    return false;
  };
  std::string created = (t.path / "etc" / "sub" / "passwd").string();
  while (!saw(created, "modify") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  reader.join();
  EXPECT_TRUE(saw(created, "create"));
  EXPECT_TRUE(saw(created, "modify"));
  EXPECT_FALSE(saw((t.path / "etc" / "file.swp").string(), "create"));
  EXPECT_TRUE(IgnoreMatches("/etc/mtab", "/etc/mtab"));
  EXPECT_TRUE(IgnoreMatches("/var/cache", "/var/cache/x/y"));
  EXPECT_FALSE(IgnoreMatches("/var/cache", "/var/cached"));
  EXPECT_TRUE(IgnoreMatches("*.swp", "/a/b.swp"));
}

TEST(AgentClient, TheServersWordsAreEscapedBeforeTheyReachALogOrATerminal) {
  Reply r;
  r.status = 400;
  r.body = "{\"errors\":[\"bad\\u001b[31m\\nforged line\"]}";
  std::string said = ErrorOf(r);
  EXPECT_EQ(said.find('\x1b'), std::string::npos) << said;
  EXPECT_EQ(said.find('\n'), std::string::npos) << said;
  EXPECT_NE(said.find("HTTP 400: bad"), std::string::npos) << said;
  r.body = std::string(5000, 'x') + "\n";
  EXPECT_LT(ErrorOf(r).size(), 300u);
  EXPECT_EQ(ErrorOf(NoReply("reset\r\n")).find('\r'), std::string::npos);
}

TEST(AgentQueue, BatchesStayQueuedUntilSpooledAndAreBoundedInBytes) {
  EventQueue q(100, 200);  // 200 bytes
  boost::json::object e{{"event_type", "file"}, {"path", std::string(60, 'p')}};
  for (int i = 0; i < 5; ++i) q.Push(e);
  EXPECT_EQ(q.size(), 2u);  // each line is ~90 bytes
  EXPECT_EQ(q.dropped(), 3u);
  size_t n = 0;
  std::string batch = q.PeekBatch(10, 100, &n);
  EXPECT_EQ(n, 1u);  // the byte cap, and at least one
  EXPECT_EQ(q.size(), 2u);  // still queued until popped
  q.Pop(n);
  EXPECT_EQ(q.size(), 1u);
  q.Push(e);
  EXPECT_EQ(q.size(), 2u);  // room again
}

TEST(AgentTransport, PlainHttpOnlyToThisHostAndTheHostAsHawkReadsIt) {
  using namespace std::chrono_literals;
  EXPECT_TRUE(Transport::Create("http://127.0.0.1:8080", "", 1s, "rampart-agent/test"));
  EXPECT_TRUE(Transport::Create("http://localhost:8080", "", 1s, "rampart-agent/test"));
  EXPECT_TRUE(Transport::Create("http://127.9.9.9:8080", "", 1s, "rampart-agent/test"));
  EXPECT_TRUE(Transport::Create("http://[::1]:8080", "", 1s, "rampart-agent/test"));
  EXPECT_FALSE(Transport::Create("http://127.attacker.example:8080", "", 1s, "rampart-agent/test"));  // a name
  EXPECT_FALSE(Transport::Create("http://localhost.example:8080", "", 1s, "rampart-agent/test"));
  auto far = Transport::Create("http://rampart.example:8080", "", 1s, "rampart-agent/test");
  ASSERT_FALSE(far);
  EXPECT_NE(far.error().detail.find("https"), std::string::npos);
  auto t = Transport::Create("https://Rampart.Example:08443/base/", "", 1s, "rampart-agent/test");
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)->host(), "rampart.example");
  EXPECT_EQ((*t)->port(), "8443");
  EXPECT_FALSE(Transport::Create("ftp://x", "", 1s, "rampart-agent/test"));
  EXPECT_FALSE(Transport::Create("https://x:0", "", 1s, "rampart-agent/test"));
}

}  // namespace
}  // namespace rampart::agent
