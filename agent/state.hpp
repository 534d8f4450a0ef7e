#pragma once
// What `rampart-agent enroll` leaves for `run`: the server, the agent's id and its own Hawk key,
// and the next batch number. One JSON file, `DIR/state`, mode 0600 in a 0700 directory, replaced
// atomically (write, fsync, rename, fsync the directory) so a crash leaves the old or the new
// file, never half of one.
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace rampart::agent {

struct State {
  std::string server;    // base URL: https://host:port or http://127.0.0.1:port
  std::string ca_file;   // "" = the system trust store
  std::string agent_id;
  std::string key;       // the agent's Hawk key (sha256)
  int64_t next_seq = 0;  // the next batch's sequence number
  int64_t heartbeat_interval_s = 30;
};

inline constexpr const char* kDefaultStateDir = "/var/lib/rampart-agent";

Result<State> LoadState(const std::string& dir);
Result<void> SaveState(const std::string& dir, const State& s);

}  // namespace rampart::agent
