#pragma once
// What the agent's tests share: a temporary directory removed with everything in it.
#include <unistd.h>

#include <filesystem>

namespace rampart::agent {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/rampart-agent-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace rampart::agent
