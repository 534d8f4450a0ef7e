#include "agent/state.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rampart::agent {
namespace json = boost::json;
namespace {

Error Io(const std::string& what, const std::string& path) {
  return Error::Unavailable(what + " " + path + ": " + std::strerror(errno));
}

Result<void> WriteDurably(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Io("cannot create", path);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Io("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Io("cannot fsync", path);
  return {};
}

}  // namespace

Result<State> LoadState(const std::string& dir) {
  std::string path = dir + "/state";
  std::ifstream in(path);
  if (!in) return Error::NotFound("no state at " + path + ": run `rampart-agent enroll` first");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o) return Error::Invalid(path + " is not a state file");
  State s;
  try {
    s.server = json::value_to<std::string>(o->at("server"));
    s.agent_id = json::value_to<std::string>(o->at("agentId"));
    s.key = json::value_to<std::string>(o->at("key"));
    s.next_seq = o->at("nextSeq").to_number<int64_t>();
    if (auto* ca = o->if_contains("caFile")) s.ca_file = json::value_to<std::string>(*ca);
    if (auto* hb = o->if_contains("heartbeatIntervalSeconds")) s.heartbeat_interval_s = hb->to_number<int64_t>();
  } catch (const std::exception&) {
    return Error::Invalid(path + " is missing a field");
  }
  if (s.heartbeat_interval_s < 5 || s.heartbeat_interval_s > 3600) s.heartbeat_interval_s = 30;
  return s;
}

Result<void> SaveState(const std::string& dir, const State& s) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Io("cannot create", dir);
  json::object o{{"server", s.server},   {"caFile", s.ca_file},   {"agentId", s.agent_id},
                 {"key", s.key},         {"nextSeq", s.next_seq}, {"heartbeatIntervalSeconds", s.heartbeat_interval_s}};
  std::string tmp = dir + "/state.tmp";
  RAMPART_CHECK(WriteDurably(tmp, json::serialize(o) + "\n"));
  if (::rename(tmp.c_str(), (dir + "/state").c_str()) != 0) return Io("cannot replace", dir + "/state");
  int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    ::fsync(d);
    ::close(d);
  }
  return {};
}

}  // namespace rampart::agent
