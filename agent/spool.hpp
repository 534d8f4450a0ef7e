#pragma once
// The agent's disk spool: every batch is written here before it is sent (so a batch survives the
// server being away and the agent being killed) and removed once the server acknowledged its
// sequence number. Files are `DIR/<seq, 20 digits>.gz`, written durably. Past `cap_bytes` the
// oldest batches are deleted and counted in dropped(), which the heartbeat reports.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace rampart::agent {

class Spool {
 public:
  // Creates the directory (0700) and indexes the batches already in it.
  static Result<Spool> Open(const std::string& dir, uint64_t cap_bytes);

  Result<void> Push(int64_t seq, const std::string& batch);
  // The oldest batch, read from disk; nullopt when the spool is empty. A batch that cannot be
  // read is removed and counted as dropped.
  std::optional<std::pair<int64_t, std::string>> Oldest();
  void Remove(int64_t seq);

  int64_t last_seq() const { return files_.empty() ? -1 : files_.rbegin()->first; }
  uint64_t bytes() const { return bytes_; }
  size_t size() const { return files_.size(); }
  uint64_t dropped() const { return dropped_; }

 private:
  std::string PathOf(int64_t seq) const;
  std::string dir_;
  uint64_t cap_ = 0, bytes_ = 0, dropped_ = 0;
  std::map<int64_t, uint64_t> files_;  // seq -> size
};

}  // namespace rampart::agent
