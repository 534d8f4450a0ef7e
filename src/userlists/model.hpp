#pragma once
// The in-memory read model: immutable per-account snapshots of every list, each with its own
// lookups (built on first use). Writers build a new UserList off to the side and publish a new AccountLists;
// readers pin a snapshot and never lock.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
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

struct UserList;

// The lookups of one immutable list version — its values by position, and an IP matcher —
// built on first use, once, by whichever thread asks first (thread-safe). Writes do not pay for
// them: a version that no check_ioc or zone build reads is never indexed. A copy (or move)
// starts empty, since it is about to become a different version.
class ListLookup {
 public:
  ListLookup() : cell_(std::make_unique<Cell>()) {}
  ListLookup(const ListLookup&) : ListLookup() {}
  ListLookup(ListLookup&&) noexcept : ListLookup() {}
  ListLookup& operator=(const ListLookup&) {
    cell_ = std::make_unique<Cell>();
    return *this;
  }
  ListLookup& operator=(ListLookup&&) noexcept {
    cell_ = std::make_unique<Cell>();
    return *this;
  }

  struct Built {
    std::unordered_map<std::string_view, uint32_t> positions;  // views into the list's entries
    net::IpMatcher ips;
  };
  const Built& Get(const UserList& l) const;

 private:
  struct Cell {
    std::once_flag once;
    Built built;
  };
  std::unique_ptr<Cell> cell_;
};

// Memoizes one rendering of an immutable list (its JSON body, say) under a key that names
// everything else the rendering depends on. Thread-safe. Copying a list yields an empty memo: a
// copy is about to become a different version of the list.
template <class T>
class Memo {
 public:
  Memo() = default;
  Memo(const Memo&) {}
  Memo& operator=(const Memo&) { return *this; }

  std::shared_ptr<const T> Find(std::string_view key) const {
    std::lock_guard lock(mu_);
    return key == key_ ? value_ : nullptr;
  }
  void Store(std::string key, std::shared_ptr<const T> value) const {
    std::lock_guard lock(mu_);
    key_ = std::move(key);
    value_ = std::move(value);
  }

 private:
  mutable std::mutex mu_;
  mutable std::string key_;
  mutable std::shared_ptr<const T> value_;
};
using RenderMemo = Memo<std::string>;

// Two renderings that go around a varying part (an object's members before and after one).
struct Fragments {
  std::string head, tail;
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
  ListLookup lookup;  // over `entries`; only for published (immutable) versions
  RenderMemo memo;  // the single-object JSON body of this version
  Memo<Fragments> match_memo;  // this version's check_ioc match objects, around the matched value

  std::optional<Date> EffectiveExpiry(const Entry& e) const { return e.expires ? e.expires : expires; }
  // An entry is active through the end of its expiry day (UTC).
  bool IsActive(const Entry& e, SysTime now) const {
    auto d = EffectiveExpiry(e);
    return !d || Date::Of(now) <= *d;
  }
  // Lookups; call only on a published version (its entries no longer change).
  bool Contains(std::string_view value) const { return lookup.Get(*this).positions.count(value) > 0; }
  std::optional<uint32_t> MatchIp(const net::IpAddress& a) const { return lookup.Get(*this).ips.Match(a); }
  // Exact name or the nearest listed parent domain.
  std::optional<uint32_t> MatchDomain(std::string_view domain) const;
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
