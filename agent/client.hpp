#pragma once
// The ingest protocol (docs/ingest.md) from the agent's side: enrollment with the deploy key,
// then every request Hawk-signed with the agent's own key and payload hash, and every 2xx reply's
// Server-Authorization checked before its body is trusted or a refusal acted on (a reply that
// fails the check is treated as no reply), and a host clock the server calls stale corrected by
// the server's signed time.
#include <boost/json/object.hpp>
#include <atomic>
#include <string>

#include "http/client.hpp"
#include "auth/hawk_client.hpp"
#include "base/clock.hpp"

namespace rampart::agent {

// The agent speaks through rampart's HTTP(S) client.
using http::NoReply;
using http::Outgoing;
using http::Reply;
using http::Transport;


struct Enrolled {
  std::string agent_id, key;
  int64_t heartbeat_interval_s = 30;
};

// POST /ingest/v1/enroll. Invalid with the server's message for a 4xx, Unavailable otherwise.
Result<Enrolled> Enroll(Transport& t, const std::string& deploy_key, const boost::json::object& facts);

class IngestClient {
 public:
  IngestClient(Transport& t, auth::hawk::ClientCredentials creds, const Clock& clock)
      : t_(t), creds_(std::move(creds)), clock_(clock) {}

  // POST /ingest/v1/events?seq=N with a gzip JSON-lines body.
  Reply SendBatch(int64_t seq, const std::string& gzip_body);
  // POST /ingest/v1/heartbeat.
  Reply Heartbeat(const boost::json::object& body);
  // GET /ingest/v1/config.
  Reply Config();
  // POST /ingest/v1/inventory, gzip-compressed JSON.
  Reply Inventory(const boost::json::object& body);

 private:
  Reply Signed(const Outgoing& out, const std::string& content_encoding);
  Reply SignedOnce(const Outgoing& out, const std::string& content_encoding);
  Transport& t_;
  auth::hawk::ClientCredentials creds_;
  const Clock& clock_;
  std::atomic<int64_t> offset_s_{0};  // the server's clock minus this host's, from a signed 401
};

// What a reply's `{"errors":[…]}` says, for messages; the body itself when it is not that shape.
// Escaped (EscapeForLog) and bounded: it is the server's text.
std::string ErrorOf(const Reply& r);

}  // namespace rampart::agent
