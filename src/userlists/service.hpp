#pragma once
// User lists: the business rules of the ThreatSTOP v4.0 list API, independent of HTTP.
//
// The store is the source of truth; each account's lists are also held in memory as an immutable
// AccountLists snapshot. Writes for one account are serialized: a write builds the new list off
// to the side, commits it (with its audit record) in one store transaction, and only then
// publishes the new snapshot, so a failed commit changes nothing anywhere. Reads pin a snapshot.
//
// Blocking methods (they call the store) must run on the blocking pool. Thread-safe.
#include <atomic>
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
// an account's lists (writes and expiry sweeps), with that account's write lock held, so calls
// for one account arrive in commit order; it may read Snapshot() but must not call Load().
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

 private:
  struct Slot {
    std::mutex write_mu;  // serializes writes (and the initial load) of one account
    std::atomic<AccountListsPtr> current;
  };

  std::shared_ptr<Slot> SlotFor(const std::string& org_id);
  Result<AccountListsPtr> LoadLocked(Slot& slot, const std::string& org_id);
  Result<ListPtr> Modify(const Actor& actor, ListKind kind, const std::string& id,
                         const ListInput& in, bool replace);
  Result<void> ApplySettings(const AccountLists& all, const ListInput& in, UserList& l) const;
  Result<void> ApplyEntries(const std::vector<EntryInput>& inputs, bool replace, UserList& l,
                            store::ListChange& change) const;
  Result<ListPtr> Commit(Slot& slot, const AccountLists& base, UserList next,
                         store::ListChange change, bool removed);

  store::ListStore& store_;
  ServiceHooks hooks_;
  const Clock& clock_;
  const ServiceOptions opts_;
  mutable std::mutex slots_mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace rampart::userlists
