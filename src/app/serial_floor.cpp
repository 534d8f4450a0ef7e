#include "app/serial_floor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "dns/message.hpp"

namespace rampart::app {

Result<std::unique_ptr<SerialFloor>> SerialFloor::Open(std::string path) {
  std::unique_ptr<SerialFloor> f(new SerialFloor(std::move(path)));
  std::ifstream in(f->path_);
  if (!in) return f;  // no file yet
  std::string zone;
  uint64_t serial = 0;
  while (in >> zone >> serial) {
    if (serial > UINT32_MAX) return Error::Invalid(f->path_ + ": malformed serial for " + zone);
    f->serials_[zone] = static_cast<uint32_t>(serial);
  }
  if (!in.eof()) return Error::Invalid(f->path_ + ": malformed (expected lines of \"zone serial\")");
  return f;
}

std::optional<uint32_t> SerialFloor::Get(const std::string& zone) const {
  std::lock_guard lock(mu_);
  auto it = serials_.find(zone);
  if (it == serials_.end()) return std::nullopt;
  return it->second;
}

Result<void> SerialFloor::Record(const std::string& zone, uint32_t serial) {
  std::lock_guard lock(mu_);
  auto [it, fresh] = serials_.try_emplace(zone, serial);
  if (!fresh) {
    if (!dns::SerialNewer(serial, it->second)) return {};  // not above the floor: nothing to write
    it->second = serial;
  }
  return Save();
}

Result<void> SerialFloor::Save() const {
  std::ostringstream text;
  for (const auto& [zone, serial] : serials_) text << zone << ' ' << serial << '\n';
  const std::string body = text.str();
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Unavailable("cannot write " + tmp);
  bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0) return Error::Unavailable("cannot write " + path_);
  return {};
}

}  // namespace rampart::app
