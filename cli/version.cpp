// `rampart --version`: "rampart 0.1.0 (commit 1a2b3c4d5e6f, RelWithDebInfo)". The commit comes
// from the build (cmake/GitCommit.cmake), "-dirty" when tracked files differed from it.
#include "commands.hpp"
#include "git_commit.hpp"

namespace rampart::cli {

std::string VersionText() {
  return std::string("rampart ") + RAMPART_VERSION + " (commit " + RAMPART_GIT_COMMIT + ", " +
         (std::string(RAMPART_BUILD_TYPE).empty() ? "no build type" : RAMPART_BUILD_TYPE) + ")";
}

}  // namespace rampart::cli
