#include "ingest/agent_keys.hpp"

namespace rampart::ingest {

bool AgentKeys::IsCached(const std::string& agent_id) const {
  std::lock_guard lock(mu_);
  auto it = cache_.find(agent_id);
  return it != cache_.end() && UnixMillis(clock_.Now()) - it->second.loaded_ms < ttl_ms_;
}

std::shared_ptr<const AgentIdentity> AgentKeys::Find(const std::string& agent_id, bool may_load) {
  const int64_t now = UnixMillis(clock_.Now());
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(agent_id);
    if (it != cache_.end() && now - it->second.loaded_ms < ttl_ms_) return it->second.identity;
  }
  if (!may_load) return nullptr;
  auto rec = store_.FindAgentKey(agent_id);
  if (!rec) return nullptr;  // the store failed: refuse now, ask again next time (nothing cached)
  std::shared_ptr<const AgentIdentity> identity;
  if (*rec && !(*rec)->revoked_at_ms) {
    auto key = box_.Open((*rec)->sealed_key);
    if (key) identity = std::make_shared<const AgentIdentity>(AgentIdentity{agent_id, (*rec)->org_id, *key, (*rec)->rulesets});
  }
  std::lock_guard lock(mu_);
  if (cache_.size() >= capacity_) cache_.clear();  // bounded: a flood of unknown ids costs one reload
  cache_[agent_id] = {identity, now};
  return identity;
}

void AgentKeys::Forget(const std::string& agent_id) {
  std::lock_guard lock(mu_);
  cache_.erase(agent_id);
}

}  // namespace rampart::ingest
