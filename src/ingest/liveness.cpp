#include "ingest/liveness.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <vector>

#include <boost/json.hpp>

#include "base/json.hpp"
#include "ingest/host_fields.hpp"
#include "telemetry/v2_time.hpp"
#include "telemetry/v2_write.hpp"

namespace rampart::ingest {
namespace json = boost::json;

namespace {

constexpr size_t kMaxModules = 32;
constexpr size_t kMaxCounters = 64;
// A heartbeat is ~200 bytes; a larger one is parsed every time rather than kept per agent.
constexpr size_t kMaxRememberedBody = 1024;

bool ShortString(const json::value* v, size_t max) {
  return v && v->is_string() && v->get_string().size() <= max;
}

Result<json::object> Modules(const json::object& body, const json::storage_ptr& sp) {
  json::object health(sp);
  health["isHealthy"] = false;
  const json::value* m = body.if_contains("modules");
  if (!m) return health;
  const json::object* mo = m->if_object();
  if (!mo || mo->size() > kMaxModules) return Error::Invalid("'modules' must be an object of at most 32 modules");
  bool all = !mo->empty();
  for (const auto& [name, v] : *mo) {
    if (name.empty() || name.size() > 64 || name == "isHealthy" || name == "counters") {
      return Error::Invalid("a module name has 1 to 64 characters and is not isHealthy or counters");
    }
    const json::object* o = v.if_object();
    const json::value* healthy = o ? o->if_contains("healthy") : nullptr;
    if (!healthy || !healthy->is_bool()) return Error::Invalid("module '" + std::string(name) + "' needs 'healthy' (a boolean)");
    json::object entry(sp);
    entry["isHealthy"] = healthy->get_bool();
    for (const char* k : {"status", "detail"}) {
      const json::value* s = o->if_contains(k);
      if (!s) continue;
      if (!ShortString(s, 1024)) return Error::Invalid("module '" + std::string(name) + "': '" + k + "' must be a string");
      entry[k] = *s;
    }
    for (const auto& [k, ignored] : *o) {
      if (k != "healthy" && k != "status" && k != "detail") return Error::Invalid("unknown module field '" + std::string(k.substr(0, 64)) + "'");
    }
    all = all && healthy->get_bool();
    health[name] = std::move(entry);
  }
  health["isHealthy"] = all;
  return health;
}

Result<void> Counters(const json::object& body, json::object& health) {
  const json::value* c = body.if_contains("counters");
  if (!c) return {};
  const json::object* co = c->if_object();
  if (!co || co->size() > kMaxCounters) return Error::Invalid("'counters' must be an object of at most 64 counters");
  for (const auto& [name, v] : *co) {
    if (name.empty() || name.size() > 64 || !(v.is_uint64() || (v.is_int64() && v.get_int64() >= 0))) {
      return Error::Invalid("counter '" + std::string(name.substr(0, 64)) + "' must be a non-negative integer");
    }
  }
  health["counters"] = *co;
  return {};
}

// Whether two agentModuleHealth objects say the same about every module (counters aside).
bool SameModules(const json::object& a, const json::object& b) {
  auto modules = [](const json::object& o) {
    size_t n = 0;
    for (const auto& [k, v] : o) n += k != "counters";
    return n;
  };
  if (modules(a) != modules(b)) return false;
  for (const auto& [k, v] : b) {
    if (k == "counters") continue;
    const json::value* other = a.if_contains(k);
    if (!other || !JsonEqual(*other, v)) return false;
  }
  return true;
}

// The facts a heartbeat may update, with the limits enrollment applies to them.
constexpr std::pair<const char*, size_t> kHostTexts[] = {
    {"hostname", 253}, {"kernel", 200}, {"osVersion", 200}, {"version", 64}, {"instanceId", 128}};

Result<json::object> Host(const json::object& body, const json::storage_ptr& sp) {
  json::object out(sp);
  const json::value* h = body.if_contains("host");
  if (!h) return out;
  const json::object* ho = h->if_object();
  if (!ho) return Error::Invalid("'host' must be an object");
  for (const auto& [k, v] : *ho) {
    const bool known = k == "ipAddresses" || std::any_of(std::begin(kHostTexts), std::end(kHostTexts),
                                                         [&](const auto& t) { return k == t.first; });
    if (!known) return Error::Invalid("unknown host field '" + std::string(k.substr(0, 64)) + "'");
  }
  for (const auto& [key, max] : kHostTexts) {
    RAMPART_TRY(text, HostText(*ho, key, max));
    if (text) out[key] = *text;
  }
  if (ho->contains("ipAddresses")) {
    RAMPART_TRY(addresses, HostAddresses(*ho));
    out["ipAddresses"] = std::move(addresses);
  }
  return out;
}

}  // namespace

Result<void> Liveness::Prime() {
  RAMPART_TRY(keys, store_.ListAgentKeys());
  const int64_t now = UnixMillis(clock_.Now());
  std::lock_guard lock(mu_);
  for (const auto& k : keys) {
    State& s = agents_[k.agent_id];
    s.org_id = k.org_id;
    s.last_seen_ms = s.flushed_seen_ms = s.flushed_at_ms = now;
    s.online_written = true;
  }
  return {};
}

void Liveness::Seen(const AgentIdentity& agent) {
  const int64_t now = UnixMillis(clock_.Now());
  std::lock_guard lock(mu_);
  State& s = agents_[agent.agent_id];
  s.org_id = agent.org_id;
  s.last_seen_ms = now;
}

Result<void> Liveness::Heartbeat(const AgentIdentity& agent, std::string_view body) {
  {
    // Most heartbeats repeat the agent's last one byte for byte, and the same bytes say the same
    // thing: only the time moves. (Nothing but Heartbeat changes health or host facts.)
    std::lock_guard lock(mu_);
    auto it = agents_.find(agent.agent_id);
    if (it != agents_.end() && !it->second.last_body.empty() && it->second.last_body == body &&
        it->second.org_id == agent.org_id) {
      it->second.last_seen_ms = UnixMillis(clock_.Now());
      return {};
    }
  }
  // The body and what is read from it live in this frame's buffer (a heartbeat is ~200 bytes);
  // only what changed since the agent's last heartbeat is copied into its state.
  alignas(16) unsigned char scratch[4096];
  json::monotonic_resource mr(scratch, sizeof scratch);
  const json::storage_ptr sp(&mr);
  RAMPART_TRY(o, telemetry::BodyObject(body, sp));
  for (const auto& [k, v] : o) {
    if (k != "modules" && k != "counters" && k != "host") return Error::Invalid("unknown field '" + std::string(k.substr(0, 64)) + "'");
  }
  RAMPART_TRY(health, Modules(o, sp));
  RAMPART_CHECK(Counters(o, health));
  RAMPART_TRY(host, Host(o, sp));
  const int64_t now = UnixMillis(clock_.Now());
  std::lock_guard lock(mu_);
  State& s = agents_[agent.agent_id];
  s.org_id = agent.org_id;
  s.last_seen_ms = now;
  const uint64_t before = s.changes;
  if (!SameModules(s.health, health)) s.visible_change = true;
  for (auto& [k, v] : host) {
    json::value* old = s.host.if_contains(k);
    if (old && JsonEqual(*old, v)) continue;
    s.visible_change = true;
    s.host[k] = json::value(v, s.host.storage());
    s.changes = before + 1;
  }
  if (!JsonEqual(s.health, health)) {
    s.health = json::object(health, json::storage_ptr());
    s.health_dirty = true;
    s.changes = before + 1;
  }
  if (body.size() <= kMaxRememberedBody) {
    s.last_body.assign(body);
  } else {
    s.last_body.clear();
  }
  return {};
}

void Liveness::Forget(const std::string& agent_id) {
  std::lock_guard lock(mu_);
  agents_.erase(agent_id);
}

Result<size_t> Liveness::Flush() {
  struct Written {  // what writes[i] was taken from
    int64_t seen_ms;
    uint64_t changes;
  };
  std::vector<store::AgentLiveness> writes;
  std::vector<Written> as_of;
  std::set<std::string> orgs;
  const int64_t now = UnixMillis(clock_.Now());
  {
    std::lock_guard lock(mu_);
    for (auto& [id, s] : agents_) {
      const bool online = now - s.last_seen_ms < offline_after_ms_;
      const bool routine = (s.last_seen_ms != s.flushed_seen_ms || s.health_dirty) &&
                           now - s.flushed_at_ms >= routine_flush_ms_;
      if (online == s.online_written && !s.visible_change && !routine) continue;
      store::AgentLiveness& w = writes.emplace_back();
      w.org_id = s.org_id;
      w.agent_id = id;
      w.status = online ? "online" : "offline";
      w.last_reported_at = telemetry::FormatInstant(s.last_seen_ms);
      if (s.health_dirty) w.members.emplace_back("agentModuleHealth", json::serialize(s.health));
      if (s.visible_change) {
        for (const auto& [k, v] : s.host) w.members.emplace_back(k, json::serialize(v));
      }
      as_of.push_back({s.last_seen_ms, s.changes});
      orgs.insert(s.org_id);
    }
  }
  if (writes.empty()) return size_t{0};
  RAMPART_CHECK(store_.UpdateLiveness(writes));
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < writes.size(); ++i) {
      auto it = agents_.find(writes[i].agent_id);
      if (it == agents_.end()) continue;
      State& s = it->second;
      s.online_written = writes[i].status == "online";
      s.flushed_seen_ms = as_of[i].seen_ms;
      s.flushed_at_ms = now;
      // Written as of as_of[i].changes; a heartbeat since then keeps its change for the next flush.
      if (s.changes == as_of[i].changes) s.health_dirty = s.visible_change = false;
    }
  }
  for (const auto& org : orgs) directory_.Invalidate(org);
  return writes.size();
}

}  // namespace rampart::ingest
