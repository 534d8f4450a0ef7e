#pragma once
// Change notification for the per-process caches (API keys, users' Hawk keys and roles,
// organizations' lists, policies and agents). A writer that another process may have cached the
// old state of says what changed; each cache subscribes to the topics it holds. One process today
// (LocalChangeFeed); the store's change log (store::ChangeLog, written in the same transaction as
// the change) carries changes made by other processes — the admin CLI now, other instances later —
// and app/ replays it into the feed.
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace rampart {

struct Change {
  std::string topic;  // one of change_topic::k*
  std::string key;    // the id of what changed
};

namespace change_topic {
inline constexpr const char* kOrg = "org";          // key: organization id (deleted)
inline constexpr const char* kUser = "user";        // key: user id (disabled, roles, Hawk keys)
inline constexpr const char* kApiKey = "api_key";  // key: v4.0 key id (revoked)
inline constexpr const char* kAgent = "agent";      // key: agent id (revoked, or its key replaced)
}  // namespace change_topic

class ChangeFeed {
 public:
  using Handler = std::function<void(const Change&)>;
  virtual ~ChangeFeed() = default;
  // Subscribe before changes flow (at start-up); handlers run in the publisher's thread and may
  // block (they are called from the blocking pool).
  virtual void Subscribe(const std::string& topic, Handler h) = 0;
  virtual void Publish(const Change& c) = 0;
};

class LocalChangeFeed final : public ChangeFeed {
 public:
  void Subscribe(const std::string& topic, Handler h) override {
    std::lock_guard lock(mu_);
    handlers_[topic].push_back(std::move(h));
  }
  void Publish(const Change& c) override {
    std::vector<Handler> hs;
    {
      std::lock_guard lock(mu_);
      auto it = handlers_.find(c.topic);
      if (it == handlers_.end()) return;
      hs = it->second;
    }
    for (const auto& h : hs) h(c);
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::vector<Handler>> handlers_;
};

}  // namespace rampart
