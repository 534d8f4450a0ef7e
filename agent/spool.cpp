#include "agent/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rampart::agent {
namespace fs = std::filesystem;

std::string Spool::PathOf(int64_t seq) const {
  char name[32];
  std::snprintf(name, sizeof name, "%020lld.gz", static_cast<long long>(seq));
  return dir_ + "/" + name;
}

Result<Spool> Spool::Open(const std::string& dir, uint64_t cap_bytes) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error::Unavailable("cannot create spool " + dir + ": " + std::strerror(errno));
  }
  Spool s;
  s.dir_ = dir;
  s.cap_ = cap_bytes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() != 23 || !name.ends_with(".gz")) continue;
    char* end = nullptr;
    long long seq = std::strtoll(name.c_str(), &end, 10);
    if (end != name.c_str() + 20 || seq < 0) continue;
    uint64_t size = entry.file_size(ec);
    s.files_[seq] = size;
    s.bytes_ += size;
  }
  if (ec) return Error::Unavailable("cannot read spool " + dir + ": " + ec.message());
  return s;
}

Result<void> Spool::Push(int64_t seq, const std::string& batch) {
  std::string path = PathOf(seq), tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Unavailable("cannot spool: " + std::string(std::strerror(errno)));
  size_t done = 0;
  while (done < batch.size()) {
    ssize_t n = ::write(fd, batch.data() + done, batch.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == batch.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error::Unavailable("cannot spool: " + std::string(std::strerror(errno)));
  }
  // The rename itself is durable only once the directory is.
  if (int d = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);
    ::close(d);
  }
  files_[seq] = batch.size();
  bytes_ += batch.size();
  while (bytes_ > cap_ && files_.size() > 1) {
    Remove(files_.begin()->first);
    ++dropped_;
  }
  return {};
}

std::optional<std::pair<int64_t, std::string>> Spool::Oldest() {
  while (!files_.empty()) {
    int64_t seq = files_.begin()->first;
    std::ifstream in(PathOf(seq), std::ios::binary);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      return std::make_pair(seq, text.str());
    }
    Remove(seq);
    ++dropped_;
  }
  return std::nullopt;
}

void Spool::Remove(int64_t seq) {
  auto it = files_.find(seq);
  if (it == files_.end()) return;
  ::unlink(PathOf(seq).c_str());
  bytes_ -= it->second;
  files_.erase(it);
}

}  // namespace rampart::agent
