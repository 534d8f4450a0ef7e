// The ingest routes (docs/ingest.md) and the v2 extensions that manage agents and webhooks. Handlers are plain
// functions over the ingest services; the chain has authenticated the caller before any body byte
// was read.
#include <boost/json.hpp>

#include <charconv>

#include "api/ingest.hpp"
#include "api/query.hpp"
#include "base/strings.hpp"
#include "alerting/webhooks.hpp"
#include "ingest/inventory.hpp"
#include "ingest/rule_test.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::api {
namespace json = boost::json;
using http::beast_http::field;

namespace {

constexpr uint64_t kSmallBody = 64 * 1024;

Reply Json(std::string body, http::Status status = http::Status::ok) {
  return Reply{status, nullptr, "application/json", std::move(body)};
}

Result<std::shared_ptr<const ingest::AgentIdentity>> AgentOf(const Call& c, IngestDeps& d) {
  auto agent = d.keys.Find(c.principal->id, true);
  if (!agent) return Error{Errc::kUnauthorized, Reason::kNone, "Unknown credentials"};
  return agent;
}

Result<Reply> HeartbeatOf(const Call& c, IngestDeps& d, std::shared_ptr<const ingest::AgentIdentity> agent) {
  if (!agent) return Error{Errc::kUnauthorized, Reason::kNone, "Unknown credentials"};
  RAMPART_CHECK(d.liveness.Heartbeat(*agent, c.req.body()));
  return Json(json::serialize(json::object{{"status", "ok"}, {"heartbeatIntervalSeconds", ingest::kHeartbeatIntervalS}}));
}

Result<int64_t> SeqOf(const Call& c) {
  auto text = QueryParam(c.req, "seq");
  int64_t seq = -1;
  if (!text || text->empty() || text->size() > 18 ||
      std::from_chars(text->data(), text->data() + text->size(), seq).ptr != text->data() + text->size() || seq < 0) {
    return Error::Invalid("the query parameter seq (the batch's sequence number, a non-negative integer) is required");
  }
  return seq;
}

// Whether the body is gzip-compressed; UnsupportedMediaType for another type or encoding.
Result<bool> Encoded(const http::Request& req, std::string_view type, const char* says) {
  std::string_view ct = req[field::content_type];
  if (const size_t semi = ct.find(';'); semi != std::string_view::npos) ct = ct.substr(0, semi);
  if (!(AsciiLower(Trim(ct)) == type)) return Error{Errc::kUnsupportedMediaType, Reason::kNone, says};
  const std::string_view enc = Trim(req[field::content_encoding]);
  if (enc.empty() || AsciiLower(enc) == "identity") return false;
  if (AsciiLower(enc) == "gzip") return true;
  return Error{Errc::kUnsupportedMediaType, Reason::kNone, "Content-Encoding may only be gzip"};
}

void AddAgentRoutes(http::Router<Route>& r, IngestDeps& d) {
  r.Add(http::Verb::post, "/ingest/v1/events",
        {.name = "ingest.events", .access = Access::kWrite, .runs = Runs::kBlocking,
         .max_body_bytes = d.max_batch_body_bytes, .fn = [&d](Call& c) -> Result<Reply> {
           RAMPART_TRY(agent, AgentOf(c, d));
           RAMPART_TRY(seq, SeqOf(c));
           RAMPART_TRY(gzip, Encoded(c.req, "application/x-ndjson", "a batch is sent as application/x-ndjson"));
           RAMPART_TRY(ack, d.pipeline.Ingest(*agent, seq, c.req.body(), gzip));
           return Json(json::serialize(json::object{{"ack", ack.seq},
                                                    {"accepted", ack.accepted},
                                                    {"duplicate", ack.duplicate},
                                                    {"alertsOpened", ack.alerts_opened}}));
         }});
  r.Add(http::Verb::post, "/ingest/v1/heartbeat",
        {.name = "ingest.heartbeat", .access = Access::kWrite, .runs = Runs::kBlocking, .max_body_bytes = kSmallBody,
         .fn = [&d](Call& c) -> Result<Reply> { return HeartbeatOf(c, d, d.keys.Find(c.principal->id, true)); },
         // Liveness is memory: a cached agent's heartbeat is answered on the I/O thread, without
         // the hop to the blocking pool (10,000 agents every 30 s cost wake-ups, not work).
         .fast = [&d](Call& c) -> std::optional<Result<Reply>> {
           auto agent = d.keys.Find(c.principal->id, false);
           if (!agent) return std::nullopt;
           return HeartbeatOf(c, d, std::move(agent));
         }});
  r.Add(http::Verb::post, "/ingest/v1/inventory",
        {.name = "ingest.inventory", .access = Access::kWrite, .runs = Runs::kBlocking,
         .max_body_bytes = d.max_batch_body_bytes, .fn = [&d](Call& c) -> Result<Reply> {
           RAMPART_TRY(agent, AgentOf(c, d));
           RAMPART_TRY(gzip, Encoded(c.req, "application/json", "an inventory is sent as application/json"));
           RAMPART_TRY(update, ingest::DecodeInventory(c.req.body(), gzip, d.max_inflated_bytes));
           update.org_id = agent->org_id;
           update.agent_id = agent->agent_id;
           RAMPART_TRY(out, d.vulns.Inventory(update));
           return Json(json::serialize(json::object{{"stored", !out.need_full},
                                                    {"needFull", out.need_full},
                                                    {"packages", out.packages},
                                                    {"findings", out.findings}}));
         }});
  r.Add(http::Verb::get, "/ingest/v1/config",
        {.name = "ingest.config", .access = Access::kRead, .runs = Runs::kBlocking, .fn = [&d](Call& c) -> Result<Reply> {
           RAMPART_TRY(agent, AgentOf(c, d));
           RAMPART_TRY(body, d.pipeline.ConfigFor(*agent));
           return Json(std::move(body));
         }});
}

}  // namespace

void AddIngestRoutes(http::Router<Route>& r, IngestDeps& d) {
  r.Add(http::Verb::post, "/ingest/v1/enroll",
        {.name = "ingest.enroll", .access = Access::kWrite, .runs = Runs::kBlocking, .max_body_bytes = kSmallBody,
         .fn = [&d](Call& c) -> Result<Reply> {
           RAMPART_TRY(key, d.deploy_keys.Check(c.req[field::authorization]));
           RAMPART_TRY(enrolled, d.enroller.Enroll(key, c.req.body()));
           d.liveness.Forget(enrolled.agent_id);
           d.pipeline.ForgetAgent(enrolled.agent_id);
           return Json(ingest::EnrolledJson(enrolled), enrolled.reenrolled ? http::Status::ok : http::Status::created);
         }});
  AddAgentRoutes(r, d);
}

namespace {

Result<void> OwnerOnly(const Call& c, V2Deps& v2) {
  if (v2.identity.RoleIn(c.principal->id, c.principal->org_id) != identity::Role::kOwner) {
    return Error{Errc::kForbidden, Reason::kNone, "only owners of the organization can manage agents and deploy keys"};
  }
  return {};
}

}  // namespace

void AddAgentAdminRoutes(http::Router<Route>& r, V2Deps& v2, IngestDeps& d) {
  r.Add(http::Verb::get, "/v2/deploykeys",
        {.name = "v2.deploykeys.list", .access = Access::kRead, .runs = Runs::kBlocking, .fn = [&d, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_TRY(keys, d.deploy_keys.List(c.principal->org_id));
           std::string body = "{\"deployKeys\":[";
           for (size_t i = 0; i < keys.size(); ++i) body += (i ? "," : "") + ingest::DeployKeyJson(keys[i]);
           return Json(body + "]}");
         }});
  r.Add(http::Verb::post, "/v2/deploykeys",
        {.name = "v2.deploykeys.create", .access = Access::kWrite, .runs = Runs::kBlocking, .max_body_bytes = kSmallBody,
         .fn = [&d, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           std::optional<std::string> description;
           if (!c.req.body().empty()) {
             RAMPART_TRY(o, telemetry::BodyObject(c.req.body()));
             RAMPART_TRY(desc, telemetry::OptString(o, "description"));
             description = desc;
           }
           RAMPART_TRY(issued, d.deploy_keys.Create(c.principal->org_id, description.value_or("")));
           return Json(ingest::DeployKeyJson(issued.record, &issued.token), http::Status::created);
         }});
  r.Add(http::Verb::post, "/v2/deploykeys/{id}/rotate",
        {.name = "v2.deploykeys.rotate", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [&d, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_TRY(issued, d.deploy_keys.Rotate(c.principal->org_id, std::string(c.params[0])));
           return Json(ingest::DeployKeyJson(issued.record, &issued.token));
         }});
  r.Add(http::Verb::delete_, "/v2/deploykeys/{id}",
        {.name = "v2.deploykeys.revoke", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [&d, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_CHECK(d.deploy_keys.Revoke(c.principal->org_id, std::string(c.params[0])));
           return Json("{}");
         }});
  r.Add(http::Verb::post, "/v2/agents/{id}/revoke",
        {.name = "v2.agents.revoke", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [&d, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           const std::string id(c.params[0]);
           RAMPART_CHECK(d.enroller.Revoke(c.principal->org_id, id, c.principal->Actor()));
           d.liveness.Forget(id);
           return Json("{}");
         }});
  r.Add(http::Verb::post, "/v2/rules/test",
        {.name = "v2.rules.test", .access = Access::kRead, .runs = Runs::kBlocking, .max_body_bytes = kSmallBody,
         .fn = [&d](Call& c) -> Result<Reply> {
           RAMPART_TRY(body, ingest::TestRule(d.events, c.principal->org_id, c.req.body()));
           return Json(std::move(body));
         }});
}

void AddWebhookRoutes(http::Router<Route>& r, V2Deps& v2, alerting::WebhookService& hooks) {
  r.Add(http::Verb::get, "/v2/webhooks",
        {.name = "v2.webhooks.list", .access = Access::kRead, .runs = Runs::kBlocking, .fn = [&hooks, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_TRY(list, hooks.List(c.principal->org_id));
           std::string body = "{\"webhooks\":[";
           for (size_t i = 0; i < list.size(); ++i) body += (i ? "," : "") + alerting::WebhookJson(list[i]);
           return Json(body + "]}");
         }});
  r.Add(http::Verb::post, "/v2/webhooks",
        {.name = "v2.webhooks.create", .access = Access::kWrite, .runs = Runs::kBlocking, .max_body_bytes = kSmallBody,
         .fn = [&hooks, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_TRY(o, telemetry::BodyObject(c.req.body()));
           RAMPART_TRY(url, telemetry::OptString(o, "url"));
           RAMPART_TRY(description, telemetry::OptString(o, "description"));
           if (!url) return Error::Invalid("'url' is required");
           RAMPART_TRY(made, hooks.Create(c.principal->org_id, *url, description.value_or("")));
           return Json(alerting::WebhookJson(made.record, &made.secret), http::Status::created);
         }});
  r.Add(http::Verb::delete_, "/v2/webhooks/{id}",
        {.name = "v2.webhooks.delete", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [&hooks, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_CHECK(hooks.Delete(c.principal->org_id, std::string(c.params[0])));
           return Json("{}");
         }});
  r.Add(http::Verb::get, "/v2/webhooks/{id}/deliveries",
        {.name = "v2.webhooks.deliveries", .access = Access::kRead, .runs = Runs::kBlocking,
         .fn = [&hooks, &v2](Call& c) -> Result<Reply> {
           RAMPART_CHECK(OwnerOnly(c, v2));
           RAMPART_TRY(list, hooks.Deliveries(c.principal->org_id, std::string(c.params[0])));
           std::string body = "{\"deliveries\":[";
           for (size_t i = 0; i < list.size(); ++i) body += (i ? "," : "") + alerting::DeliveryJson(list[i]);
           return Json(body + "]}");
         }});
}

}  // namespace rampart::api
