#pragma once
// The highest serial rampart has published for each RPZ zone, kept in a small file next to the
// database (<data_dir>/zone-serials) and NOT in it: restoring an older rampart.db leaves the file
// as it was, so the zones resume above what secondaries have already seen (rpz::ZoneOptions).
// Each change is written to a temporary file, fsynced and renamed over the old one. Thread-safe.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace rampart::app {

class SerialFloor {
 public:
  // Reads the file if it exists (a missing file is an empty floor; a malformed one an error).
  static Result<std::unique_ptr<SerialFloor>> Open(std::string path);

  std::optional<uint32_t> Get(const std::string& zone) const;
  // Raises the zone's floor to `serial` (RFC 1982 order) and persists it; errors are returned,
  // the floor in memory keeps the new value either way.
  Result<void> Record(const std::string& zone, uint32_t serial);

 private:
  explicit SerialFloor(std::string path) : path_(std::move(path)) {}
  Result<void> Save() const;  // under mu_

  const std::string path_;
  mutable std::mutex mu_;
  std::map<std::string, uint32_t> serials_;
};

}  // namespace rampart::app
