#include "agent/audit_source.hpp"

#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace rampart::agent {

audit::Lookups HostLookups() {
  return {[](int64_t uid) -> std::string {
            passwd pw{}, *found = nullptr;
            char buf[4096];
            if (::getpwuid_r(static_cast<uid_t>(uid), &pw, buf, sizeof buf, &found) != 0 || !found) return "";
            return pw.pw_name;
          },
          [](int64_t pid) -> std::string {
            char target[4096];
            std::string link = "/proc/" + std::to_string(pid) + "/exe";
            ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
            return n > 0 ? std::string(target, static_cast<size_t>(n)) : "";
          }};
}

AuditSource::AuditSource(std::string socket_path, Sink sink, std::chrono::milliseconds retry)
    : path_(std::move(socket_path)), sink_(std::move(sink)), retry_(retry), lookups_(HostLookups()),
      own_pid_(::getpid()) {
  health_.detail = "not connected yet";
}

void AuditSource::SetHealth(bool healthy, std::string status, std::string detail) {
  std::lock_guard lock(mu_);
  health_ = {healthy, std::move(status), std::move(detail)};
}

ModuleHealth AuditSource::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

uint64_t AuditSource::incomplete() const {
  std::lock_guard lock(mu_);
  return assembler_.incomplete();
}

void AuditSource::Emit(std::vector<audit::Assembler::Group>& groups) {
  for (const auto& g : groups) {
    auto e = audit::BuildEvent(g, lookups_);
    if (!e) continue;
    if (const auto* pid = e->if_contains("pid"); pid && pid->is_int64() && pid->as_int64() == own_pid_) continue;
    ++events_;
    sink_(std::move(*e));
  }
  groups.clear();
}

void AuditSource::Feed(std::string_view bytes) {
  std::vector<audit::Assembler::Group> groups;
  {
    std::lock_guard lock(mu_);
    last_feed_ = std::chrono::steady_clock::now();
    partial_.append(bytes);
    size_t start = 0, nl;
    while ((nl = partial_.find('\n', start)) != std::string::npos) {
      auto r = audit::ParseRecord(std::string_view(partial_).substr(start, nl - start));
      start = nl + 1;
      if (!r) {
        ++unparsed_;
        continue;
      }
      newest_ms_ = std::max(newest_ms_, r->time_ms);
      assembler_.Add(std::move(*r), groups);
    }
    partial_.erase(0, start);
    if (partial_.size() > audit::kMaxRecordBytes) {  // a line past the limit: drop it whole
      partial_.clear();
      ++unparsed_;
    }
  }
  Emit(groups);
}

void AuditSource::Tick(std::chrono::steady_clock::time_point now, std::chrono::milliseconds idle) {
  std::vector<audit::Assembler::Group> groups;
  {
    std::lock_guard lock(mu_);
    // Record time, not the wall clock: auditd may deliver seconds late under backlog, and a
    // group is complete or overdue by the times its records carry.
    assembler_.Expire(newest_ms_, groups);
    if (now - last_feed_ >= idle) assembler_.Drain(groups);
  }
  Emit(groups);
}

void AuditSource::Drain() {
  std::vector<audit::Assembler::Group> groups;
  {
    std::lock_guard lock(mu_);
    assembler_.Drain(groups);
  }
  Emit(groups);
}

void AuditSource::Run(const std::atomic<bool>& stop) {
  while (!stop) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      SetHealth(false, "STOPPED", "cannot connect to " + path_ + ": " + std::strerror(errno) +
                                      " (is auditd running with the af_unix plugin active?)");
      if (fd >= 0) ::close(fd);
      std::this_thread::sleep_for(retry_);
      continue;
    }
    SetHealth(true, "RUNNING", "reading " + path_);
    char buf[65536];
    while (!stop) {
      pollfd p{fd, POLLIN, 0};
      int ready = ::poll(&p, 1, 500);
      if (ready < 0 && errno != EINTR) break;
      if (ready <= 0) continue;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      Feed(std::string_view(buf, static_cast<size_t>(n)));
    }
    ::close(fd);
    if (!stop) SetHealth(false, "STOPPED", "auditd closed " + path_ + "; reconnecting");
  }
}

bool ReadKernelAuditStatus(KernelAuditStatus& out) {
  int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
  if (fd < 0) return false;
  struct {
    nlmsghdr h;
    char pad[16];
  } req{};
  req.h.nlmsg_len = NLMSG_LENGTH(0);
  req.h.nlmsg_type = AUDIT_GET;
  req.h.nlmsg_flags = NLM_F_REQUEST;
  req.h.nlmsg_seq = 1;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  bool ok = false;
  if (::sendto(fd, &req, req.h.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) >= 0) {
    alignas(nlmsghdr) char buf[8192];
    for (int i = 0; i < 4 && !ok; ++i) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) break;
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, static_cast<unsigned>(n)); h = NLMSG_NEXT(h, n)) {
        if (h->nlmsg_type == NLMSG_ERROR) {
          if (reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error != 0) {
            ::close(fd);
            return false;
          }
          continue;
        }
        if (h->nlmsg_type == AUDIT_GET && h->nlmsg_len >= NLMSG_LENGTH(sizeof(audit_status) - 2 * sizeof(uint32_t))) {
          audit_status s{};
          std::memcpy(&s, NLMSG_DATA(h), std::min<size_t>(sizeof s, h->nlmsg_len - NLMSG_HDRLEN));
          out = {s.enabled, s.lost, s.backlog, s.backlog_limit};
          ok = true;
        }
      }
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace rampart::agent
