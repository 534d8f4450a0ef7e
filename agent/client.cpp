#include "agent/client.hpp"

#include <boost/json.hpp>

#include "agent/batcher.hpp"
#include "base/strings.hpp"

namespace rampart::agent {
namespace json = boost::json;

std::string ErrorOf(const Reply& r) {
  // The server's words reach a terminal (`status`) and the log: escaped, so a reply cannot forge
  // lines or send terminal control sequences.
  if (r.status == 0) return EscapeForLog(r.error);
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (!ec && v.is_object()) {
    if (const auto* errors = v.as_object().if_contains("errors"); errors && errors->is_array() &&
                                                                  !errors->as_array().empty() &&
                                                                  errors->as_array()[0].is_string()) {
      return "HTTP " + std::to_string(r.status) + ": " + EscapeForLog(std::string(errors->as_array()[0].as_string()).substr(0, 200));
    }
  }
  return "HTTP " + std::to_string(r.status) + ": " + EscapeForLog(r.body.substr(0, 200));
}

Result<Enrolled> Enroll(Transport& t, const std::string& deploy_key, const json::object& facts) {
  Reply r = t.Send({.method = "POST",
                    .target = "/ingest/v1/enroll",
                    .headers = {{"Authorization", "Bearer " + deploy_key}},
                    .content_type = "application/json",
                    .body = json::serialize(facts)});
  if (r.status == 0 || r.status >= 500) return Error::Unavailable("enrollment failed: " + ErrorOf(r));
  if (r.status != 200 && r.status != 201) return Error::Invalid("enrollment refused: " + ErrorOf(r));
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  try {
    if (ec) throw std::runtime_error("not JSON");
    const json::object& o = v.as_object();
    Enrolled e;
    e.agent_id = json::value_to<std::string>(o.at("agentId"));
    e.key = json::value_to<std::string>(o.at("hawk").at("key"));
    e.heartbeat_interval_s = o.at("heartbeatIntervalSeconds").to_number<int64_t>();
    return e;
  } catch (const std::exception&) {
    return Error::Unavailable("enrollment reply is not the protocol's: " + EscapeForLog(r.body.substr(0, 200)));
  }
}

Reply IngestClient::SignedOnce(const Outgoing& request, const std::string& content_encoding) {
  Outgoing out = request;
  auto s = auth::hawk::SignRequest(
      creds_,
      {out.method, out.target, t_.host(), t_.port(),
       out.method == "POST" ? std::optional<std::string>(out.content_type) : std::nullopt, out.body},
      UnixMillis(clock_.Now()) / 1000 + offset_s_.load(), auth::hawk::NewNonce());
  out.headers.emplace_back("Authorization", s.authorization);
  if (!content_encoding.empty()) out.headers.emplace_back("Content-Encoding", content_encoding);
  Reply r = t_.Send(out);
  // 2xx and the refusals an agent acts on by dropping or splitting (400, 413, …) are signed by
  // the server. A 401 cannot be (the request did not authenticate), a 429 is refused before the
  // request is verified, and a 5xx: those are only ever retried, later (Retry-After is clamped).
  const bool signed_reply = r.status >= 200 && r.status < 500 && r.status != 401 && r.status != 429;
  if (signed_reply &&
      !auth::hawk::VerifyServerAuthorization(creds_, s, r.server_authorization, r.content_type, r.body, true)) {
    return NoReply("the reply (HTTP " + std::to_string(r.status) + ") has no valid Server-Authorization");
  }
  return r;
}

Reply IngestClient::Signed(const Outgoing& out, const std::string& content_encoding) {
  Reply r = SignedOnce(out, content_encoding);
  if (r.status != 401) return r;
  // A host clock off by more than the server's skew: the server names its time, signed with this
  // agent's key; the offset is kept for every later request.
  auto server = auth::hawk::ServerTime(creds_, r.www_authenticate);
  if (!server) return r;
  offset_s_ = *server - UnixMillis(clock_.Now()) / 1000;
  return SignedOnce(out, content_encoding);
}

Reply IngestClient::SendBatch(int64_t seq, const std::string& gzip_body) {
  return Signed({.method = "POST",
                 .target = "/ingest/v1/events?seq=" + std::to_string(seq),
                 .content_type = "application/x-ndjson",
                 .body = gzip_body},
                "gzip");
}

Reply IngestClient::Heartbeat(const json::object& body) {
  return Signed({.method = "POST", .target = "/ingest/v1/heartbeat", .content_type = "application/json",
                 .body = json::serialize(body)},
                "");
}

Reply IngestClient::Inventory(const json::object& body) {
  return Signed({.method = "POST", .target = "/ingest/v1/inventory", .content_type = "application/json",
                 .body = Gzip(json::serialize(body))},
                "gzip");
}

Reply IngestClient::Config() { return Signed({.method = "GET", .target = "/ingest/v1/config"}, ""); }

}  // namespace rampart::agent
