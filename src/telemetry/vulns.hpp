#pragma once
// Vulnerabilities (CVEs) of the Threat Stack v2 API (threatstack-api.md §8.4): the paginated
// `{"cves":[…],"token":…}` listing (status active|suppressed, agentId, hasSecurityNotices, and
// rampart's unfixed=true|false), one
// CVE, its servers (the whole list with `"token": null`: a known client never sends the token),
// by package, and suppressions. A suppression applies to a CVE organization-wide: while one
// exists, the CVE's `isSuppressed` is true and `status=active` leaves it out.
#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/page_token.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::telemetry {

inline constexpr int64_t kVulnPageSize = 100;

struct VulnParams {
  std::optional<std::string> status, agent_id, has_notices, active, token;
  std::optional<std::string> unfixed;  // rampart's: "true" | "false" (only matched CVEs)
};

// Import: a CVE object (cveNumber required) plus an optional import-only `createdAt`.
Result<store::VulnRecord> VulnFromJson(const boost::json::value& data, const std::string& org_id, int64_t now_ms);

Result<std::string> ListVulnsBody(store::Store& store, const PageTokenCodec& codec, const std::string& org_id,
                                  const VulnParams& p, const std::optional<std::string>& package = std::nullopt);
Result<std::string> GetVulnBody(store::Store& store, const std::string& org_id, const std::string& cve);
Result<std::string> VulnServersBody(store::Store& store, const std::string& org_id, const std::string& cve);

Result<std::string> ListSuppressionsBody(store::V2Store& store, const std::string& org_id);
// `{"cveNumber":"CVE-…","reason":"…"}` → the suppression object.
Result<std::string> CreateSuppression(store::V2Store& store, const Actor& actor, std::string_view body);
Result<std::string> DeleteSuppression(store::V2Store& store, const Actor& actor, const std::string& id);

}  // namespace rampart::telemetry
