#include "telemetry/integrations.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "base/strings.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::telemetry {
namespace json = boost::json;

namespace {

constexpr const char* kS3Kind = "s3export";

const json::value& Field(const json::object& o, const char* key) {
  static const json::value null;
  const json::value* v = o.if_contains(key);
  return v ? *v : null;
}

// The first address of an agent's ipAddresses list, without its /prefix.
json::value FirstAddress(const json::object& agent, const char* kind) {
  const json::object* ips = Field(agent, "ipAddresses").if_object();
  const json::array* list = ips && ips->if_contains(kind) ? ips->at(kind).if_array() : nullptr;
  if (!list || list->empty() || !list->front().is_string()) return nullptr;
  std::string_view a = list->front().get_string();
  return json::value(a.substr(0, a.find('/')));
}

json::object AgentSummary(const json::object& a) {
  json::object s;
  for (const char* k : {"id", "status", "createdAt", "lastReportedAt", "version", "name", "description", "hostname"}) {
    s[k] = Field(a, k);
  }
  s["isContainerAgent"] = false;
  s["kernel"] = Field(a, "kernel");
  s["osVersion"] = Field(a, "osVersion");
  return s;
}

json::object Server(const std::string& instance_id, const json::object& first) {
  json::object s{{"id", instance_id}};
  for (const char* k : {"kernelId", "instanceType", "privateDnsName"}) s[k] = nullptr;
  s["privateIpAddress"] = FirstAddress(first, "private");
  s["groups"] = json::array{};
  for (const char* k : {"subnetId", "keyName", "region", "launchTime", "imageId", "architecture", "publicDnsName"}) {
    s[k] = nullptr;
  }
  s["publicIpAddress"] = FirstAddress(first, "public");
  s["vpcId"] = nullptr;
  s["awsProfile"] = json::object{};
  s["monitored"] = true;
  const json::value& tags = Field(first, "tags");
  s["tags"] = tags.is_array() ? tags : json::array{};
  s["state"] = nullptr;
  s["stateCode"] = nullptr;
  s["agents"] = json::array{};
  return s;
}

Error InvalidS3(const char* key, const char* why) {
  return Error::Invalid("Validation failed: body has invalid " + std::string(key) + " value.  " + why);
}

bool ValidBucket(std::string_view b) {  // S3's bucket naming rules
  if (b.size() < 3 || b.size() > 63 || b.front() == '.' || b.front() == '-' || b.back() == '.' || b.back() == '-') {
    return false;
  }
  return std::all_of(b.begin(), b.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
}

bool ValidRoleArn(std::string_view a) {  // arn:aws[-partition]:iam::<12 digits>:role/<name>
  const size_t colons = a.find("::");
  if (a.substr(0, 8) != "arn:aws:" && a.substr(0, 8) != "arn:aws-") return false;
  if (colons == std::string_view::npos || a.size() > 2048) return false;
  std::string_view rest = a.substr(colons + 2);
  if (rest.size() < 19 || rest.substr(12, 6) != ":role/") return false;
  return std::all_of(rest.begin(), rest.begin() + 12, [](char c) { return c >= '0' && c <= '9'; });
}

bool ValidRegion(std::string_view r) {  // us-east-1, eu-central-2, us-gov-west-1 …
  if (r.size() < 9 || r.size() > 20) return false;
  return std::all_of(r.begin(), r.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }) &&
         r.back() >= '0' && r.back() <= '9' && r.find('-') != std::string_view::npos;
}

}  // namespace

Result<std::string> Ec2ServersBody(const AgentSnapshot& agents, const PageTokenCodec& codec,
                                   const std::optional<std::string>& monitored, const std::optional<std::string>& token) {
  RAMPART_TRY(want, BoolParam(monitored, "monitored"));
  std::string filter = want ? (*want ? "monitored=true" : "monitored=false") : "monitored=";
  std::string after;
  if (token) {
    auto cursor = codec.Decode(*token);
    if (!cursor || cursor->filter.rfind("ec2 ", 0) != 0) return Error::Invalid("invalid pagination token");
    if (monitored && cursor->filter.substr(4) != filter) return Error::Invalid("monitored does not match the pagination token");
    filter = cursor->filter.substr(4);
    after = cursor->last_id;
  }
  std::map<std::string, json::object> by_instance;  // sorted by instance id: the page order
  if (filter != "monitored=false") {  // rampart knows instances only through their agents
    for (const auto* list : {&agents.online, &agents.offline}) {
      for (const store::AgentRecord& rec : *list) {
        json::value doc = json::parse(rec.doc);
        const json::object& a = doc.as_object();
        const json::value& id = Field(a, "instanceId");
        if (!id.is_string() || id.get_string().empty()) continue;
        const std::string instance(id.get_string());
        if (instance <= after && !after.empty()) continue;
        auto [it, fresh] = by_instance.try_emplace(instance);
        if (fresh) it->second = Server(instance, a);
        it->second["agents"].as_array().push_back(AgentSummary(a));
      }
    }
  }
  json::array servers;
  std::string last;
  for (auto& [id, server] : by_instance) {
    if (servers.size() == kEc2PageSize) break;
    last = id;
    servers.push_back(std::move(server));
  }
  const bool more = by_instance.size() > kEc2PageSize;
  json::value next = more ? json::value(codec.Encode({last, 0, "ec2 " + filter})) : json::value(nullptr);
  return json::serialize(json::object{{"servers", std::move(servers)}, {"token", std::move(next)}});
}

Result<std::string> S3ExportsBody(store::V2Store& store, const std::string& org_id) {
  RAMPART_TRY(rows, store.ListObjects(org_id, kS3Kind, ""));
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) out += (i ? "," : "") + rows[i].doc;
  return out + "]";
}

Result<std::string> PutS3Export(store::Store& store, const Actor& actor, std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  for (const auto& [key, value] : o) {
    if (key != "s3Bucket" && key != "iamRoleArn" && key != "iamRoleArnExternalId" && key != "region" && key != "prefix" &&
        key != "enabled" && key != "organization_id" && key != "enrolledAt") {
      return Error::Invalid("Validation failed: unknown field " + QuoteForDetail(std::string_view(key)));
    }
  }
  RAMPART_TRY(bucket, OptString(o, "s3Bucket"));
  if (!bucket || !ValidBucket(*bucket)) return InvalidS3("s3Bucket", "Must be an S3 bucket name (3-63 of a-z, 0-9, '.', '-').");
  RAMPART_TRY(role, OptString(o, "iamRoleArn"));
  if (!role || !ValidRoleArn(*role)) return InvalidS3("iamRoleArn", "Must be an IAM role ARN (arn:aws:iam::123456789012:role/name).");
  RAMPART_TRY(external, OptString(o, "iamRoleArnExternalId"));
  if (external && external->size() > 1224) return InvalidS3("iamRoleArnExternalId", "Must be at most 1224 characters long.");
  RAMPART_TRY(region, OptString(o, "region"));
  if (!region || !ValidRegion(*region)) return InvalidS3("region", "Must be an AWS region such as us-east-1.");
  RAMPART_TRY(prefix, OptString(o, "prefix"));
  if (prefix && prefix->size() > 1024) return InvalidS3("prefix", "Must be at most 1024 characters long.");
  RAMPART_TRY(enabled, OptBool(o, "enabled"));
  RAMPART_TRY(existing, store.GetObject(actor.org_id, kS3Kind, *bucket));
  std::string enrolled = FormatInstant(actor.now_ms);
  int64_t created = actor.now_ms;
  if (existing) {  // an update keeps the enrollment time
    created = existing->created_at_ms;
    enrolled = std::string(json::parse(existing->doc).as_object().at("enrolledAt").as_string());
  }
  json::object doc{{"organization_id", actor.org_id}, {"s3Bucket", *bucket},      {"iamRoleArn", *role},
                   {"iamRoleArnExternalId", external.value_or("")}, {"region", *region},
                   {"prefix", prefix.value_or("")}, {"enrolledAt", enrolled}, {"enabled", enabled.value_or(true)}};
  std::string text = json::serialize(doc);
  store::V2Write w{actor.org_id};
  w.put_objects.push_back({actor.org_id, kS3Kind, *bucket, "", created, text});
  w.audit = AuditFor(actor, existing ? "update" : "create", "integration.s3export.put",
                     "Set S3 data export to bucket " + *bucket, json::object{{"s3Bucket", *bucket}, {"region", *region},
                                                                             {"enabled", enabled.value_or(true)}});
  RAMPART_CHECK(store.Commit(w));
  return text;
}

Result<std::string> DeleteS3Export(store::Store& store, const Actor& actor, std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(bucket, OptString(o, "s3Bucket"));
  if (!bucket || bucket->empty()) return InvalidS3("s3Bucket", "Must name an enrolled bucket.");
  RAMPART_TRY(existing, store.GetObject(actor.org_id, kS3Kind, *bucket));
  if (!existing) return Error::NotFound("Not Found");
  store::V2Write w{actor.org_id};
  w.delete_objects.emplace_back(kS3Kind, *bucket);
  w.audit = AuditFor(actor, "delete", "integration.s3export.delete", "Removed S3 data export to bucket " + *bucket,
                     json::object{{"s3Bucket", *bucket}});
  RAMPART_CHECK(store.Commit(w));
  return std::string("{}");
}

}  // namespace rampart::telemetry
