#pragma once
// Agents are read-mostly and small per organization: each organization's agents are held as an
// immutable snapshot (both statuses, newest first), so listing and fetching them is served on the
// I/O thread without touching the store. The first page of each status is rendered once per
// snapshot, with its Hawk payload hash, because that is what pullers ask for over and over.
//
// Freshness: writes made through this process call Invalidate(); writes by another process
// (`rampart admin import`) are seen once the snapshot is older than `ttl_ms`.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/store.hpp"
#include "telemetry/page_token.hpp"

namespace rampart::telemetry {

struct AgentSnapshot {
  int64_t loaded_ms = 0;
  std::vector<store::AgentRecord> online, offline;  // newest first by (created_at_ms, id)
  std::shared_ptr<const std::string> first_page[2];  // [0] online, [1] offline
  std::string first_page_hash[2];                   // Hawk payload hash of first_page (application/json)

  const store::AgentRecord* Find(const std::string& id) const;
};

// A response body with, when known in advance, its Hawk payload hash.
struct RenderedBody {
  std::shared_ptr<const std::string> body;  // shared: a memoized page is sent without a copy
  std::string payload_hash;                 // empty: compute when signing
};

class AgentDirectory {
 public:
  AgentDirectory(store::TelemetryStore& store, const PageTokenCodec& codec, const Clock& clock, int64_t ttl_ms)
      : store_(store), codec_(codec), clock_(clock), ttl_ms_(ttl_ms) {}

  // The organization's snapshot if loaded and fresh, else nullptr. Never blocks on the store.
  std::shared_ptr<const AgentSnapshot> Cached(const std::string& org_id);
  // Reads the organization's agents from the store. Blocking.
  Result<std::shared_ptr<const AgentSnapshot>> Load(const std::string& org_id);
  void Invalidate(const std::string& org_id);

  // `{"agents":[…],"token":…}`: `status` defaults to online; a token carries the status it was
  // issued for, and a status given alongside a token must agree with it.
  Result<RenderedBody> ListBody(const AgentSnapshot& snap, const std::optional<std::string>& status,
                                const std::optional<std::string>& token) const;

 private:
  store::TelemetryStore& store_;
  const PageTokenCodec& codec_;
  const Clock& clock_;
  const int64_t ttl_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const AgentSnapshot>> by_org_;
};

}  // namespace rampart::telemetry
