#pragma once
// Telemetry from JSON lines: {"kind":"agent"|"alert"|"vulnerability","data":{…}} per line. Every
// line is checked before anything is written; agents, alerts and vulnerabilities are each written
// in one transaction.
#include <istream>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::telemetry {

struct ImportCounts {
  size_t agents = 0;
  size_t alerts = 0;
  size_t vulnerabilities = 0;
};

// Errors name the first bad line ("line 7: …").
// `now_ms` dates vulnerabilities without an import-only `createdAt`.
Result<ImportCounts> ImportJsonLines(std::istream& in, const std::string& org_id, store::Store& store, int64_t now_ms);

}  // namespace rampart::telemetry
