#pragma once
// Telemetry from JSON lines: {"kind":"agent"|"alert","data":{…}} per line. Every line is checked
// before anything is written; agents, then alerts, are each written in one transaction.
#include <istream>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"

namespace rampart::telemetry {

struct ImportCounts {
  size_t agents = 0;
  size_t alerts = 0;
};

// Errors name the first bad line ("line 7: …").
Result<ImportCounts> ImportJsonLines(std::istream& in, const std::string& org_id, store::TelemetryStore& store);

}  // namespace rampart::telemetry
