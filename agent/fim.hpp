#pragma once
// File integrity: inotify watches on the paths of the File rules the server sends
// (GET /ingest/v1/config: fileIntegrity.paths, ignoreFiles), re-applied whenever they change.
// A watched directory reports changes to its entries (and, when `recursive`, its subdirectories'
// at the time of watching plus directories created later); a watched file reports itself.
// Events: {"event_type":"file","action":"create|modify|delete|move|attrib","path","filename"}.
// At most `max_watches` watches; past that the module is unhealthy and says so.
#include <sys/inotify.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agent/audit_source.hpp"
#include "base/clock.hpp"

namespace rampart::agent {

struct WatchPath {
  std::string path;
  bool recursive = false;
};

class FileIntegrity {
 public:
  using Sink = AuditSource::Sink;
  FileIntegrity(Sink sink, const Clock& clock, size_t max_watches = 8192);
  ~FileIntegrity();

  // Replaces the watched set (missing paths are skipped and named in the health detail).
  void SetPaths(const std::vector<WatchPath>& paths, const std::vector<std::string>& ignore);
  // Reads inotify until `stop`.
  void Run(const std::atomic<bool>& stop);
  ModuleHealth health() const;
  size_t watches() const;
  // Times the kernel's inotify queue overflowed (events were lost).
  uint64_t overflows() const { return overflows_; }

 private:
  void AddTree(const std::string& path, bool recursive, int depth);
  bool Ignored(const std::string& path) const;
  void Handle(const inotify_event& e);

  Sink sink_;
  const Clock& clock_;
  size_t max_watches_;
  int fd_ = -1;
  mutable std::mutex mu_;
  std::map<int, std::pair<std::string, bool>> by_wd_;  // wd -> (path, recursive)
  std::vector<std::string> ignore_;
  std::vector<std::string> missing_;
  bool overflow_ = false;
  std::atomic<uint64_t> overflows_{0};
};

// `ignoreFiles` matching: an entry matches a path equal to it, under it (a directory), or whose
// file name it equals ("*.swp" style leading-star suffixes too).
bool IgnoreMatches(const std::string& pattern, const std::string& path);

}  // namespace rampart::agent
