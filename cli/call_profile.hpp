#pragma once
// Where `rampart call` finds its server and credentials (docs/api-v2.md "rampart call"):
// flags, then the environment (RAMPART_URL, RAMPART_ORG_ID, RAMPART_USER_ID, RAMPART_HAWK_KEY,
// RAMPART_CA_FILE), then the [default] profile of a TOML file (`--profiles`, else
// $RAMPART_PROFILES, else ~/.config/rampart/profiles.toml); a profile named with --profile comes
// before the environment instead:
//
//   [default]
//   url = "https://rampart.example:8443"
//   org = "5bc0c6b9a3c4f1000163d7c1"
//   user = "5bc0c6b9a3c4f1000163d7c2"
//   key = "…"                     # the Hawk key from "Settings → Application Keys"
//   ca_file = "/etc/rampart/ca.pem"  # optional
//
// The key is never taken from the command line (other users see it in `ps`), and a profiles
// file that anyone but its owner can read or write is refused.
#include <string>

#include "base/result.hpp"

namespace rampart::cli {

struct CallProfile {
  std::string url, org, user, key, ca_file;
};

struct ProfileSource {
  std::string name;        // "" : "default" when the file exists, else none needed
  std::string file;        // "" : $RAMPART_PROFILES or ~/.config/rampart/profiles.toml
  CallProfile flags;       // what the command line gave (never a key)
};

// The merged profile. Invalid naming what is missing (a named profile or file that does not
// exist, a file with loose permissions or bad TOML, no key at all).
Result<CallProfile> ResolveProfile(const ProfileSource& source);

}  // namespace rampart::cli
