#pragma once
// The in-memory read model: immutable per-account snapshots of every list, each with its own
// compiled matcher. Writers build a new UserList off to the side and publish a new AccountLists;
// readers pin a snapshot and never lock.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "base/date.hpp"
#include "net/ip_matcher.hpp"
#include "userlists/values.hpp"

namespace rampart::userlists {

struct Entry {
  EntryValue parsed;
  std::string comments;
  std::optional<Date> expires;  // the entry's own override
  int64_t seq = 0;
};

// Matches IOCs against one list's entries (by index into UserList::entries).
class CompiledList {
 public:
  static std::shared_ptr<const CompiledList> Build(ListKind kind, const std::vector<Entry>& entries);
  std::optional<uint32_t> MatchIp(const net::IpAddress& a) const { return ips_.Match(a); }
  // Exact name or the nearest listed parent domain.
  std::optional<uint32_t> MatchDomain(std::string_view name) const;

 private:
  net::IpMatcher ips_;
  std::unordered_map<std::string, uint32_t> domains_;
};

// Memoizes one rendering of an immutable list (its JSON body, say) under a key that names
// everything else the rendering depends on. Thread-safe. Copying a list yields an empty memo: a
// copy is about to become a different version of the list.
class RenderMemo {
 public:
  RenderMemo() = default;
  RenderMemo(const RenderMemo&) {}
  RenderMemo& operator=(const RenderMemo&) { return *this; }

  std::shared_ptr<const std::string> Find(std::string_view key) const {
    std::lock_guard lock(mu_);
    return key == key_ ? value_ : nullptr;
  }
  void Store(std::string key, std::shared_ptr<const std::string> value) const {
    std::lock_guard lock(mu_);
    key_ = std::move(key);
    value_ = std::move(value);
  }

 private:
  mutable std::mutex mu_;
  mutable std::string key_;
  mutable std::shared_ptr<const std::string> value_;
};

struct UserList {
  std::string id;
  std::string org_id;
  ListKind kind = ListKind::kIp;
  std::string name;
  std::string list_type = "block";
  std::string description;
  std::optional<Date> expires;  // default for entries without their own
  int64_t created_at_ms = 0;
  std::vector<Entry> entries;  // insertion (seq) order
  std::unordered_map<std::string, uint32_t> index;  // value -> position in entries
  std::shared_ptr<const CompiledList> compiled;
  RenderMemo memo;  // the single-object JSON body of this version

  std::optional<Date> EffectiveExpiry(const Entry& e) const { return e.expires ? e.expires : expires; }
  // An entry is active through the end of its expiry day (UTC).
  bool IsActive(const Entry& e, SysTime now) const {
    auto d = EffectiveExpiry(e);
    return !d || Date::Of(now) <= *d;
  }
  void Reindex();  // rebuilds `index` and `compiled` from `entries`
};

struct Counts {
  uint64_t records = 0;
  net::U128 addresses = 0;
};
Counts CountActive(const UserList& l, SysTime now);

struct AccountLists {
  std::vector<std::shared_ptr<const UserList>> lists;  // creation order

  std::shared_ptr<const UserList> Find(ListKind kind, std::string_view id) const;
  std::shared_ptr<const UserList> FindByName(ListKind kind, std::string_view name) const;
  // A list of either kind (list ids are UUIDs, unique across kinds).
  std::shared_ptr<const UserList> FindAnyKind(std::string_view id) const;
};

using AccountListsPtr = std::shared_ptr<const AccountLists>;

}  // namespace rampart::userlists
