#pragma once
// User lists: the business rules of the ThreatSTOP v4.0 list API, independent of HTTP.
//
// The store is the source of truth; each account's lists are also held in memory as an immutable
// AccountLists snapshot. Writes for one account are built one at a time, in order, each on the
// state the writes before it leave; a write is acknowledged, and its snapshot published, only
// once its store transaction (with its audit record) is durable, so a failed commit changes
// nothing anywhere. Reads pin a published snapshot.
//
// Group commit: updates of existing lists (PATCH, PUT) are queued while the account's previous
// group is being committed, and the next group takes every queued change in one transaction —
// one fsync for many requests. If a group fails, its writes and every write queued after them
// (built on their state) fail; none is published. Creates, deletes and expiry sweeps wait for
// the queue to drain and commit alone (the store may refuse a delete, which must not take other
// requests' changes down with it).
//
// Blocking methods (they call the store) must run on the blocking pool. Thread-safe.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.hpp"
#include "store/store.hpp"
#include "userlists/model.hpp"
#include "userlists/request.hpp"

namespace rampart::userlists {

// Who makes a change, for the audit trail.
struct Actor {
  std::string org_id;
  std::string actor;  // as audit records name it: "key:<id>", "user:<id>", "system"
};

struct ServiceOptions {
  DateOrder date_order = DateOrder::kMdy;
  size_t max_name_length = 16;
};

using ListPtr = std::shared_ptr<const UserList>;

struct HistoryPage {
  std::vector<store::AuditRecord> records;
  int64_t total = 0;
};

struct ServiceStats {
  uint64_t lists = 0;
  uint64_t entries = 0;
};

// Set once by the composition root, before serving. DeleteGuard: why a list may not be deleted
// (another object uses it), or nullopt. ChangeListener: called after every published change of
// an account's lists (writes, once per group commit, and expiry sweeps), with that account's
// write lock held, so calls for one account arrive in commit order; it may read Snapshot() but
// must not call Load().
struct ServiceHooks {
  std::function<std::optional<std::string>(const std::string& org_id, const std::string& list_id)> delete_guard;
  std::function<void(const std::string& org_id)> on_change;
};

class UserListService {
 public:
  UserListService(store::ListStore& store, const Clock& clock, ServiceOptions opts);
  UserListService(const UserListService&) = delete;
  UserListService& operator=(const UserListService&) = delete;

  // Blocking. Loads the account's lists into memory if they are not there yet.
  Result<AccountListsPtr> Load(const std::string& org_id);
  // Non-blocking. The current snapshot, or nullptr if the account was never loaded.
  AccountListsPtr Snapshot(const std::string& org_id) const;
  // Forgets the organization's lists: the next Load reads the store (another process changed it).
  void Drop(const std::string& org_id);

  // Blocking writes. NotFound for ids not in the actor's organization.
  Result<ListPtr> Create(const Actor& actor, ListKind kind, const ListInput& in);
  Result<ListPtr> Patch(const Actor& actor, ListKind kind, const std::string& id, const ListInput& in);
  Result<ListPtr> Replace(const Actor& actor, ListKind kind, const std::string& id, const ListInput& in);
  Result<ListPtr> Delete(const Actor& actor, ListKind kind, const std::string& id);

  // Blocking. Removes every entry whose expiry day has ended, in every loaded account, each
  // purge audited as action "expire". Returns the number of entries removed.
  Result<size_t> SweepExpired();

  // Blocking. Audit records of one list, newest first; `page` counts from 1.
  Result<HistoryPage> History(const std::string& org_id, ListKind kind, const std::string& id,
                              int64_t page, int64_t per_page);
  // The audit trail of any object of the account by id (policies and devices share the trail),
  // newest first; the caller checks that the object exists. Blocking.
  Result<HistoryPage> AuditPage(const std::string& org_id, const std::string& id, int64_t page, int64_t per_page);

  void SetHooks(ServiceHooks hooks) { hooks_ = std::move(hooks); }

  ParseOptions CurrentParseOptions() const {
    return {opts_.date_order, Date::Of(clock_.Now()), opts_.max_name_length};
  }
  const Clock& clock() const { return clock_; }
  ServiceStats Stats() const;
  // Updates of the account waiting for the next group commit (tests and metrics).
  size_t QueuedWrites(const std::string& org_id) const;

 private:
  // A queued update: its change, the snapshot it leads to, and its outcome once committed.
  struct Queued {
    store::ListChange change;
    AccountListsPtr after;
    ListPtr list;
    bool done = false;
    std::optional<Error> error;
  };
  struct Slot {
    std::mutex write_mu;  // guards the fields below and orders writes (and the initial load)
    std::condition_variable committed;  // a group finished
    std::atomic<AccountListsPtr> current;  // published: durable
    AccountListsPtr pending;  // the state after every queued change; null: `current`
    std::vector<std::shared_ptr<Queued>> queue;  // not yet handed to the store
    bool committing = false;  // a writer is committing a group and will take the queue next
  };

  std::shared_ptr<Slot> SlotFor(const std::string& org_id);
  Result<AccountListsPtr> LoadLocked(Slot& slot, const std::string& org_id);
  Result<ListPtr> Modify(const Actor& actor, ListKind kind, const std::string& id,
                         const ListInput& in, bool replace);
  Result<void> ApplySettings(const AccountLists& all, const ListInput& in, UserList& l) const;
  Result<void> ApplyEntries(const std::vector<EntryInput>& inputs, bool replace, UserList& l,
                            store::ListChange& change) const;
  // Commits one change alone (after the queue drained); write_mu held.
  Result<ListPtr> Commit(Slot& slot, const AccountLists& base, UserList next,
                         store::ListChange change, bool removed);
  // Queues an update and returns once its group is durable (or failed); `lock` holds write_mu.
  Result<ListPtr> CommitQueued(Slot& slot, std::unique_lock<std::mutex>& lock, const AccountLists& base,
                               UserList next, store::ListChange change);
  // Takes the whole queue as one group and commits it in one store transaction; `lock` holds
  // write_mu and is released while the store works.
  void CommitGroup(Slot& slot, std::unique_lock<std::mutex>& lock, const std::string& org_id);
  // Waits until no group is queued or committing; `lock` holds write_mu.
  static void Drain(Slot& slot, std::unique_lock<std::mutex>& lock);
  // Fills in the change's list row and audit fields from `next`.
  void Describe(const UserList& next, store::ListChange& change) const;

  store::ListStore& store_;
  ServiceHooks hooks_;
  const Clock& clock_;
  const ServiceOptions opts_;
  mutable std::mutex slots_mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace rampart::userlists
