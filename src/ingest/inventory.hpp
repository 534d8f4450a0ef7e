#pragma once
// The decoder of an agent's package inventory (docs/ingest.md "Inventory"): the body of
// POST /ingest/v1/inventory, JSON, gzip-compressed or not. Pure and bounded like the batch
// decoder:
//
//   {"full": true,  "os": {"codename": "bookworm", "versionId": "12"},
//    "packages": [{"name", "arch", "version", "source", "sourceVersion", "status"}, …]}
//   {"full": false, "os": {…}, "upserted": [<package>, …], "removed": [{"name", "arch"}, …]}
//
// Names are Debian package names ([a-z0-9][a-z0-9+.-]*, at most 128), architectures
// [a-z0-9-] (at most 32), versions Debian versions (deb-version(5)), the codename a word of
// [a-z] (at most 32); at most 100,000 packages. Invalid naming the field and the package's
// position ("packages[12].version: …"); TooLarge past a limit.
#include <string_view>

#include "base/result.hpp"
#include "telemetry/vuln_matching.hpp"

namespace rampart::ingest {

inline constexpr size_t kMaxInventoryPackages = 100000;

// `org_id` and `agent_id` of the result are left empty: the caller knows who sent it.
Result<telemetry::InventoryUpdate> DecodeInventory(std::string_view body, bool gzip, size_t max_inflated_bytes);

}  // namespace rampart::ingest
