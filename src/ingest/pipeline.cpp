#include "ingest/pipeline.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "crypto/crypto.hpp"
#include "ingest/enroll.hpp"
#include "telemetry/v2_time.hpp"

namespace rampart::ingest {
namespace json = boost::json;

namespace {

json::array AggregatesOf(const rules::RuleSpec& spec, const json::object& event) {
  json::array out;
  for (const auto& f : spec.aggregate_fields) {
    const json::value* v = rules::FindField(event, f);
    out.push_back(json::object{{"fieldName", f}, {"value", v ? *v : json::value(nullptr)}});
  }
  return out;
}

store::AlertRecord NewAlert(const std::string& org, const std::string& agent_id, const rules::CompiledRule& rule,
                            const rules::Outcome& o, int64_t now) {
  const std::string id = AlertIdOf(org, o.alert_key);
  json::object doc{{"id", id},
                   {"title", o.title.empty() ? rule.spec.id : o.title},
                   {"dataSource", "agent"},
                   {"createdAt", telemetry::FormatInstant(now)},
                   {"isDismissed", false},
                   {"dismissedAt", nullptr},
                   {"dismissReason", nullptr},
                   {"dismissReasonText", nullptr},
                   {"dismissedBy", nullptr},
                   {"severity", o.severity},
                   {"agentId", agent_id},
                   {"ruleId", rule.spec.id},
                   {"rulesetId", rule.spec.group},
                   {"aggregates", AggregatesOf(rule.spec, o.events.front())}};
  json::array events;
  for (const auto& e : o.events) events.push_back(e);
  return {org, id, now, false, o.severity, rule.spec.id, agent_id, json::serialize(doc), json::serialize(events)};
}

}  // namespace

rules::RuleSpec SpecOf(const store::RuleRecord& r) {
  rules::RuleSpec s{r.id, r.filter, r.suppressions, r.aggregate_fields, r.window_s, r.threshold, r.title,
                    r.severity, r.enabled, r.ruleset_id};
  if (r.type == "Host") {
    s.event_types = {"audit", "login", "host", "network"};
  } else if (r.type == "File") {
    s.event_types = {"file"};
  } else {
    s.enabled = false;  // CloudTrail, Kubernetes…: stored, not fed by agents
  }
  return s;
}

std::string AlertIdOf(const std::string& org_id, const std::string& alert_key) {
  const auto d = crypto::Sha256(org_id + "\n" + alert_key);
  std::string h = crypto::HexEncode(std::span<const uint8_t>(d.data(), 16));
  h[12] = '5';  // shaped like a name-based UUID
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::shared_ptr<Pipeline::OrgEngine> Pipeline::EngineOf(const std::string& org_id) {
  std::lock_guard lock(mu_);
  auto& e = engines_[org_id];
  if (!e) e = std::make_shared<OrgEngine>();
  return e;
}

Result<void> Pipeline::Load(const std::string& org_id, OrgEngine& e) {
  if (e.loaded) return {};
  RAMPART_TRY(rules, store_.ListRules(org_id, ""));
  std::vector<rules::RuleSpec> specs;
  for (const auto& r : rules) specs.push_back(SpecOf(r));
  e.engine.SetRules(specs);  // keeps the buckets of rules whose counting did not change
  e.loaded = true;
  return {};
}

void Pipeline::RulesChanged(const std::string& org_id) {
  auto e = EngineOf(org_id);
  std::lock_guard lock(e->mu);
  e->loaded = false;
}

void Pipeline::ForgetAgent(const std::string& agent_id) {
  std::lock_guard lock(mu_);
  hostnames_.erase(agent_id);
}

Result<std::string> Pipeline::HostnameOf(const AgentIdentity& agent) {
  {
    std::lock_guard lock(mu_);
    if (auto it = hostnames_.find(agent.agent_id); it != hostnames_.end()) return it->second;
  }
  RAMPART_TRY(rec, store_.GetAgent(agent.org_id, agent.agent_id));
  std::string name;
  if (rec) {
    json::error_code ec;
    json::value doc = json::parse(rec->doc, ec);
    const json::value* h = !ec && doc.is_object() ? doc.get_object().if_contains("hostname") : nullptr;
    if (h && h->is_string()) name = h->get_string();
  }
  std::lock_guard lock(mu_);
  if (hostnames_.size() > 100000) hostnames_.clear();
  hostnames_[agent.agent_id] = name;
  return name;
}

Result<Ack> Pipeline::Ingest(const AgentIdentity& agent, int64_t seq, std::string_view body, bool gzip) {
  if (seq < 0) return Error::Invalid("seq must be a non-negative integer");
  RAMPART_TRY(seen, store_.BatchSeen(agent.agent_id, seq));
  if (seen) {
    std::lock_guard lock(mu_);
    ++counters_.duplicates;
    return Ack{seq, 0, true, 0};
  }
  RAMPART_TRY(events, DecodeBatch(body, gzip, cfg_.limits));
  RAMPART_TRY(hostname, HostnameOf(agent));
  auto engine = EngineOf(agent.org_id);
  std::unique_lock lock(engine->mu);  // one batch of an organization at a time: the engine is single-threaded
  RAMPART_CHECK(Load(agent.org_id, *engine));
  const int64_t now = UnixMillis(clock_.Now());
  store::EventBatch batch{.org_id = agent.org_id, .agent_id = agent.agent_id, .batch_seq = seq, .at_ms = now};
  batch.max_org_events = cfg_.max_org_events;
  batch.max_alert_events = cfg_.max_alert_events;
  const std::string id_prefix = agent.agent_id + ":" + std::to_string(seq) + ":";
  for (size_t i = 0; i < events.size(); ++i) {
    json::object& e = events[i];
    e.reserve(e.size() + 4);  // room for the four below, at once
    e["_id"] = id_prefix + std::to_string(i);
    e["agent_id"] = agent.agent_id;
    e["agent"] = hostname;
    e["organization_id"] = agent.org_id;
    for (rules::Outcome& o : engine->engine.Evaluate(agent.agent_id, e, now, &agent.rulesets)) {
      if (o.kind == rules::Outcome::Kind::kAttach) {
        batch.attach.emplace_back(AlertIdOf(agent.org_id, o.alert_key), json::serialize(o.events.front()));
        continue;
      }
      for (const auto& r : engine->engine.rules()) {
        if (r.spec.id == o.rule_id) batch.new_alerts.push_back(NewAlert(agent.org_id, agent.agent_id, r, o, now));
      }
    }
    const json::value& type = e["event_type"];
    batch.events.push_back({0, {}, {}, now, std::string(type.get_string()), json::serialize(e)});
  }
  RAMPART_TRY(outcome, committer_.Commit(batch, lock));  // releases the engine once queued
  {
    std::lock_guard count_lock(mu_);
    counters_.batches += outcome.duplicate ? 0 : 1;
    counters_.duplicates += outcome.duplicate ? 1 : 0;
    counters_.events += outcome.duplicate ? 0 : batch.events.size();
    counters_.evicted += static_cast<uint64_t>(outcome.evicted);
    counters_.alerts += outcome.duplicate ? 0 : batch.new_alerts.size();
  }
  if (outcome.duplicate) return Ack{seq, 0, true, 0};
  if (on_alerts_ && !batch.new_alerts.empty()) on_alerts_(agent.org_id, batch.new_alerts);
  return Ack{seq, batch.events.size(), false, batch.new_alerts.size()};
}

Result<std::string> Pipeline::ConfigFor(const AgentIdentity& agent) {
  RAMPART_TRY(rules, store_.ListRules(agent.org_id, ""));
  json::array paths, ignore, watched;
  auto add_unique = [](json::array& a, const json::value& v) {
    for (const auto& x : a) {
      if (x == v) return;
    }
    a.push_back(v);
  };
  for (const auto& r : rules) {
    if (r.type != "File" || !r.enabled) continue;
    if (std::find(agent.rulesets.begin(), agent.rulesets.end(), r.ruleset_id) == agent.rulesets.end()) continue;
    for (const auto& p : r.file_integrity_paths) {
      add_unique(paths, json::object{{"path", p.path}, {"recursive", p.recursive}});
    }
    for (const auto& f : r.ignore_files) add_unique(ignore, json::value(f));
    for (const auto& ev : r.events_to_monitor) add_unique(watched, json::value(ev));
  }
  json::array rulesets;
  for (const auto& id : agent.rulesets) rulesets.emplace_back(id);
  return json::serialize(json::object{
      {"heartbeatIntervalSeconds", kHeartbeatIntervalS},
      {"fileIntegrity", json::object{{"paths", std::move(paths)}, {"ignoreFiles", std::move(ignore)},
                                     {"events", std::move(watched)}}},
      {"rulesets", std::move(rulesets)}});
}

Result<std::vector<RuleState>> Pipeline::RuleStates(const std::string& org_id) {
  auto engine = EngineOf(org_id);
  std::lock_guard lock(engine->mu);
  RAMPART_CHECK(Load(org_id, *engine));
  std::vector<RuleState> out;
  for (const auto& r : engine->engine.rules()) out.push_back({r.spec.id, r.filter_error, r.suppressed});
  return out;
}

PipelineCounters Pipeline::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace rampart::ingest
