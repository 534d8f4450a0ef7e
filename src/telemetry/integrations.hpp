#pragma once
// Two Threat Stack surfaces the public clients call before anything else (threatstack-api.md
// §8.6, §8.9):
//   GET /v2/aws/ec2            {"servers":[…],"token":…}: the EC2 instances rampart knows of,
//                              through agents that report an instanceId (so all are monitored);
//                              every documented key present (the official script indexes each).
//   /v2/integrations/s3export  the data-portability settings: GET a bare array of enrollments,
//                              PUT one (by s3Bucket), DELETE one ({"s3Bucket"}). Stored, validated
//                              and audited; rampart itself ships nothing to S3.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/agent_directory.hpp"
#include "telemetry/page_token.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::telemetry {

inline constexpr size_t kEc2PageSize = 100;

// `monitored`: "true", "false" or absent (any case, 1/0); `token` continues a previous page.
Result<std::string> Ec2ServersBody(const AgentSnapshot& agents, const PageTokenCodec& codec,
                                   const std::optional<std::string>& monitored, const std::optional<std::string>& token);

Result<std::string> S3ExportsBody(store::V2Store& store, const std::string& org_id);
Result<std::string> PutS3Export(store::Store& store, const Actor& actor, std::string_view body);
Result<std::string> DeleteS3Export(store::Store& store, const Actor& actor, std::string_view body);

}  // namespace rampart::telemetry
