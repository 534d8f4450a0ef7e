#include "agent/fim.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rampart::agent {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kMask = IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
                           IN_DELETE_SELF | IN_MOVE_SELF | IN_CLOSE_WRITE;

const char* ActionOf(uint32_t mask) {
  if (mask & IN_CREATE) return "create";
  if (mask & (IN_DELETE | IN_DELETE_SELF)) return "delete";
  if (mask & (IN_MOVED_FROM | IN_MOVED_TO | IN_MOVE_SELF)) return "move";
  if (mask & IN_ATTRIB) return "attrib";
  if (mask & (IN_MODIFY | IN_CLOSE_WRITE)) return "modify";
  return nullptr;
}

}  // namespace

bool IgnoreMatches(const std::string& pattern, const std::string& path) {
  if (pattern.empty()) return false;
  if (path == pattern) return true;
  if (path.starts_with(pattern) && (pattern.back() == '/' || path[pattern.size()] == '/')) return true;
  std::string name = path.substr(path.rfind('/') + 1);
  if (pattern[0] == '*') return name.ends_with(pattern.substr(1));
  return name == pattern;
}

FileIntegrity::FileIntegrity(Sink sink, const Clock& clock, size_t max_watches)
    : sink_(std::move(sink)), clock_(clock), max_watches_(max_watches) {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

FileIntegrity::~FileIntegrity() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileIntegrity::Ignored(const std::string& path) const {
  for (const auto& p : ignore_) {
    if (IgnoreMatches(p, path)) return true;
  }
  return false;
}

void FileIntegrity::AddTree(const std::string& path, bool recursive, int depth) {
  if (by_wd_.size() >= max_watches_) {
    overflow_ = true;
    return;
  }
  if (Ignored(path)) return;
  int wd = ::inotify_add_watch(fd_, path.c_str(), kMask | IN_DONT_FOLLOW);
  if (wd < 0) {
    if (depth == 0) missing_.push_back(path);
    return;
  }
  by_wd_[wd] = {path, recursive};
  if (!recursive || depth > 32) return;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path, fs::directory_options::skip_permission_denied, ec)) {
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) AddTree(entry.path().string(), true, depth + 1);
  }
}

void FileIntegrity::SetPaths(const std::vector<WatchPath>& paths, const std::vector<std::string>& ignore) {
  std::lock_guard lock(mu_);
  for (const auto& [wd, _] : by_wd_) ::inotify_rm_watch(fd_, wd);
  by_wd_.clear();
  missing_.clear();
  overflow_ = false;
  ignore_ = ignore;
  for (const auto& p : paths) AddTree(p.path, p.recursive, 0);
}

ModuleHealth FileIntegrity::health() const {
  std::lock_guard lock(mu_);
  if (fd_ < 0) return {false, "STOPPED", "inotify is not available"};
  if (overflow_) return {false, "RUNNING", "watch limit reached: not every path is watched"};
  if (overflows_ > 0) return {false, "RUNNING", "inotify queue overflowed: file events were lost"};
  std::string detail = std::to_string(by_wd_.size()) + " watches";
  if (!missing_.empty()) detail += "; not found: " + missing_.front() + (missing_.size() > 1 ? " and others" : "");
  return {true, "RUNNING", detail};
}

size_t FileIntegrity::watches() const {
  std::lock_guard lock(mu_);
  return by_wd_.size();
}

void FileIntegrity::Handle(const inotify_event& e) {
  if (e.mask & IN_Q_OVERFLOW) {  // the kernel dropped events: say so (health and a counter)
    ++overflows_;
    return;
  }
  boost::json::object out;
  {
    std::lock_guard lock(mu_);
    auto it = by_wd_.find(e.wd);
    if (it == by_wd_.end()) return;
    if (e.mask & IN_IGNORED) {  // the watch is gone (its path was deleted or unwatched)
      by_wd_.erase(it);
      return;
    }
    const char* action = ActionOf(e.mask);
    if (!action) return;
    std::string path = it->second.first;
    if (e.len > 0 && e.name[0] != '\0') path += "/" + std::string(e.name);
    if (Ignored(path)) return;
    if ((e.mask & IN_ISDIR) && (e.mask & (IN_CREATE | IN_MOVED_TO)) && it->second.second) AddTree(path, true, 1);
    out = {{"event_type", "file"},
           {"timestamp", UnixMillis(clock_.Now())},
           {"action", action},
           {"path", audit::CleanText(path, audit::kMaxTextBytes)},
           {"filename", audit::CleanText(path.substr(path.rfind('/') + 1), audit::kMaxTextBytes)}};
  }
  sink_(std::move(out));
}

void FileIntegrity::Run(const std::atomic<bool>& stop) {
  alignas(inotify_event) char buf[16384];
  while (!stop && fd_ >= 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) continue;
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
      Handle(*e);
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
  }
}

}  // namespace rampart::agent
