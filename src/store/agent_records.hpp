#pragma once
// Plain rows of agents that enroll themselves (migration V13): deploy keys, agents' own keys,
// stored events and the batches they came in. No behaviour; the ingest module owns the meaning.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/records.hpp"

namespace rampart::store {

// An organization-wide key that enrolls agents ("deploy key"). Rotation replaces the secret and
// keeps the id; revocation ends it.
struct DeployKeyRecord {
  std::string id = {};  // public part of the key, 16 hex chars
  std::string org_id = {};
  std::string secret_hash = {};  // SHA-256 of the secret part, lower-case hex
  std::string description = {};
  int64_t created_at_ms = 0;
  std::optional<int64_t> rotated_at_ms = {};
  std::optional<int64_t> revoked_at_ms = {};
  std::optional<int64_t> last_used_at_ms = {};
  std::string last_used_host = {};  // the hostname the last enrollment gave
};

// An enrolled agent's identity: its Hawk key (the Hawk id is the agent id) and what it runs.
struct AgentKeyRecord {
  std::string agent_id = {};
  std::string org_id = {};
  std::string fingerprint = {};  // SHA-256 of the host's machine id, hex: the same host re-enrolls as itself
  std::string sealed_key = {};   // crypto::SecretBox output
  int64_t key_created_at_ms = 0;
  std::vector<std::string> rulesets = {};  // ruleset ids the agent's events are evaluated against
  std::string deploy_key_id = {};          // the key it (last) enrolled with
  std::optional<int64_t> revoked_at_ms = {};
};

// What a liveness flush writes into one stored agent's document (and its row's status), in place:
// the rest of the document is left as it is.
struct AgentLiveness {
  std::string org_id = {};
  std::string agent_id = {};
  std::string status = {};            // online | offline
  std::string last_reported_at = {};  // lastReportedAt, as the v2 API writes instants
  // Top-level members to set, each (name, JSON value) replacing the old value whole: the
  // agentModuleHealth object, host facts. Names are plain words (letters, digits, '_').
  std::vector<std::pair<std::string, std::string>> members = {};
};

// One enrollment, applied in one transaction: the agent's key (new, or replacing the key of the
// agent enrolled before from the same fingerprint, whose id the caller found and reuses: its batch
// numbers are forgotten, so it may start them over), its agent document, the deploy key's last use
// and the audit record.
struct Enrollment {
  AgentKeyRecord key = {};
  AgentRecord agent = {};
  std::string hostname = {};
  int64_t at_ms = 0;
  V2AuditRecord audit = {};
};

struct EventRecord {
  int64_t seq = 0;  // assigned by the store, increasing
  std::string org_id = {};
  std::string agent_id = {};
  int64_t at_ms = 0;  // when the server received it
  std::string event_type = {};
  std::string doc = {};  // the event as stored and served, compact JSON
};

// One batch from one agent, with what the rules engine made of it: stored all together, once.
struct EventBatch {
  std::string org_id = {};
  std::string agent_id = {};
  int64_t batch_seq = 0;
  int64_t at_ms = 0;
  // Stored with the batch's org_id, agent_id and at_ms: the records' own are not read.
  std::vector<EventRecord> events = {};
  std::vector<AlertRecord> new_alerts = {};
  // (alert id, event JSON) appended to an open alert's events, up to `max_alert_events` each.
  std::vector<std::pair<std::string, std::string>> attach = {};
  int64_t max_alert_events = 100;
  int64_t max_org_events = 10'000'000;  // the oldest of the organization's events go first
};

struct BatchOutcome {
  bool duplicate = false;  // the batch was stored before: nothing was written
  int64_t evicted = 0;     // older events dropped for the organization's cap
};

struct RetentionOutcome {
  int64_t events = 0, alerts = 0, batches = 0;
};

// A webhook of an organization: each new alert is POSTed to `url`, signed with its secret.
struct WebhookRecord {
  std::string id = {};
  std::string org_id = {};
  std::string url = {};
  std::string sealed_secret = {};  // crypto::SecretBox output
  std::string description = {};
  bool enabled = true;
  int64_t created_at_ms = 0;
};

// One alert's delivery to one webhook (queued in the alert's own transaction).
struct DeliveryRecord {
  int64_t id = 0;
  std::string webhook_id = {};
  std::string org_id = {};
  std::string alert_id = {};
  int64_t created_at_ms = 0;
  int64_t next_at_ms = 0;
  int64_t attempts = 0;
  std::string status = "pending";  // pending | delivered | failed
  std::optional<int64_t> last_status = {};  // the receiver's HTTP status
  std::string last_error = {};
  std::optional<int64_t> done_at_ms = {};
};

// A delivery that is due, with what sending it needs.
struct DueDelivery {
  DeliveryRecord delivery = {};
  WebhookRecord webhook = {};
  std::string alert_doc = {};  // the alert as /v2/alerts/{id} serves it ("" when it is gone)
};

}  // namespace rampart::store
