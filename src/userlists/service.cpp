#include "userlists/service.hpp"

#include <unordered_set>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "userlists/convert.hpp"

namespace rampart::userlists {
namespace {

const std::vector<EntryInput> kNoEntries;

void UpdateFields(const EntryInput& in, Entry& e) {
  if (in.comments) e.comments = *in.comments;
  if (in.has_expires) e.expires = in.expires;
}

}  // namespace

UserListService::UserListService(store::ListStore& store, const Clock& clock, ServiceOptions opts)
    : store_(store), clock_(clock), opts_(opts) {}

std::shared_ptr<UserListService::Slot> UserListService::SlotFor(const std::string& org_id) {
  std::lock_guard lock(slots_mu_);
  auto& slot = slots_[org_id];
  if (!slot) slot = std::make_shared<Slot>();
  return slot;
}

AccountListsPtr UserListService::Snapshot(const std::string& org_id) const {
  std::lock_guard lock(slots_mu_);
  auto it = slots_.find(org_id);
  return it == slots_.end() ? nullptr : it->second->current.load();
}

void UserListService::Drop(const std::string& org_id) {
  std::lock_guard lock(slots_mu_);
  slots_.erase(org_id);  // a writer holding the old slot publishes into it, unseen
}

Result<AccountListsPtr> UserListService::Load(const std::string& org_id) {
  auto slot = SlotFor(org_id);
  if (auto cur = slot->current.load()) return cur;
  std::lock_guard lock(slot->write_mu);
  return LoadLocked(*slot, org_id);
}

Result<AccountListsPtr> UserListService::LoadLocked(Slot& slot, const std::string& org_id) {
  if (auto cur = slot.current.load()) return cur;
  RAMPART_TRY(records, store_.LoadLists(org_id));
  auto all = std::make_shared<AccountLists>();
  for (const store::ListRecord& r : records) {
    RAMPART_TRY(list, FromRecord(r));
    all->lists.push_back(std::make_shared<const UserList>(std::move(list)));
  }
  AccountListsPtr published = all;
  slot.current.store(published);
  return published;
}

Result<ListPtr> UserListService::Create(const Actor& actor, ListKind kind, const ListInput& in) {
  auto slot = SlotFor(actor.org_id);
  std::unique_lock lock(slot->write_mu);
  Drain(*slot, lock);
  RAMPART_TRY(base, LoadLocked(*slot, actor.org_id));
  UserList l;
  l.id = crypto::NewUuidV4();
  l.org_id = actor.org_id;
  l.kind = kind;
  l.created_at_ms = UnixMillis(clock_.Now());
  RAMPART_CHECK(ApplySettings(*base, in, l));
  store::ListChange change;
  change.op = store::ListChange::Op::kCreate;
  change.audit.action = "create";
  RAMPART_CHECK(ApplyEntries(in.addresses ? *in.addresses : kNoEntries, false, l, change));
  change.audit.actor = actor.actor;
  return Commit(*slot, *base, std::move(l), std::move(change), false);
}

Result<ListPtr> UserListService::Patch(const Actor& actor, ListKind kind, const std::string& id,
                                       const ListInput& in) {
  return Modify(actor, kind, id, in, false);
}

Result<ListPtr> UserListService::Replace(const Actor& actor, ListKind kind, const std::string& id,
                                         const ListInput& in) {
  return Modify(actor, kind, id, in, true);
}

Result<ListPtr> UserListService::Modify(const Actor& actor, ListKind kind, const std::string& id,
                                        const ListInput& in, bool replace) {
  auto slot = SlotFor(actor.org_id);
  std::unique_lock lock(slot->write_mu);
  RAMPART_TRY(loaded, LoadLocked(*slot, actor.org_id));
  const AccountListsPtr base = slot->pending ? slot->pending : loaded;  // after the queued updates
  ListPtr current = base->Find(kind, id);
  if (!current) return Error::NotFound("no such list " + QuoteForDetail(id));
  if (in.object_id && *in.object_id != id) {
    return Error::Invalid("object_id in the body does not match the URL");
  }
  UserList next = *current;
  RAMPART_CHECK(ApplySettings(*base, in, next));
  store::ListChange change;
  change.op = store::ListChange::Op::kUpdate;
  change.audit.action = replace ? "replace" : "update";
  if (in.addresses || replace) {
    RAMPART_CHECK(ApplyEntries(in.addresses ? *in.addresses : kNoEntries, replace, next, change));
  } else {
    change.audit.changes_json = ChangesJson({}, {}, {});
  }
  change.audit.actor = actor.actor;
  return CommitQueued(*slot, lock, *base, std::move(next), std::move(change));
}

Result<ListPtr> UserListService::Delete(const Actor& actor, ListKind kind, const std::string& id) {
  auto slot = SlotFor(actor.org_id);
  std::unique_lock lock(slot->write_mu);
  Drain(*slot, lock);
  RAMPART_TRY(base, LoadLocked(*slot, actor.org_id));
  ListPtr current = base->Find(kind, id);
  if (!current) return Error::NotFound("no such list " + QuoteForDetail(id));
  if (hooks_.delete_guard) {
    if (auto why = hooks_.delete_guard(actor.org_id, id)) return Error::InUse(*why);
  }
  store::ListChange change;
  change.op = store::ListChange::Op::kDelete;
  change.audit.action = "delete";
  std::vector<std::string> removed;
  for (const Entry& e : current->entries) removed.push_back(e.parsed.value);
  change.audit.changes_json = ChangesJson({}, removed, {});
  change.audit.actor = actor.actor;
  return Commit(*slot, *base, *current, std::move(change), true);
}

Result<void> UserListService::ApplySettings(const AccountLists& all, const ListInput& in, UserList& l) const {
  if (in.name) {
    ListPtr other = all.FindByName(l.kind, *in.name);
    if (other && other->id != l.id) {
      return Error::Conflict("User List name already in use: " + QuoteForDetail(*in.name));
    }
    l.name = *in.name;
  }
  if (in.list_type) l.list_type = *in.list_type;
  if (in.description) l.description = *in.description;
  if (in.has_expires) l.expires = in.expires;
  return {};
}

// Applies `inputs` in order to the list's entries and records what changed in `change` (rows to
// upsert and delete, and the audit summary). Works on slots so that no entry is copied: `pos`
// maps a value to its slot through views into the slots' own strings, which stay put because
// `work` is reserved up front and never reallocates.
Result<void> UserListService::ApplyEntries(const std::vector<EntryInput>& inputs, bool replace,
                                           UserList& l, store::ListChange& change) const {
  std::vector<Entry> old = std::move(l.entries);
  l.entries.clear();
  std::vector<std::optional<Entry>> work;
  std::vector<bool> touched;
  work.reserve((replace ? 0 : old.size()) + inputs.size());
  std::unordered_map<std::string_view, size_t> pos;
  pos.reserve(work.capacity());
  int64_t next_seq = 1;
  if (!replace) {
    for (Entry& e : old) {
      next_seq = std::max(next_seq, e.seq + 1);
      work.emplace_back(std::move(e));
      touched.push_back(false);
      pos.emplace(work.back()->parsed.value, work.size() - 1);
    }
  }
  const size_t n_old = work.size();
  std::vector<std::string> removed;
  for (const EntryInput& in : inputs) {
    auto it = pos.find(in.value.value);
    if (in.action == Action::kRemove) {
      if (it == pos.end()) continue;  // removing an absent entry is a no-op
      size_t idx = it->second;
      pos.erase(it);
      if (idx < n_old) removed.push_back(std::move(work[idx]->parsed.value));
      work[idx].reset();
      continue;
    }
    if (it != pos.end()) {
      UpdateFields(in, *work[it->second]);
      touched[it->second] = true;
    } else if (in.action == Action::kUpdate) {
      return Error::Invalid("no entry " + QuoteForDetail(in.value.value) + " to update (use \"action\": \"add\")");
    } else {
      work.emplace_back(Entry{in.value, in.comments.value_or(""), in.has_expires ? in.expires : std::nullopt, next_seq++});
      touched.push_back(true);
      pos.emplace(work.back()->parsed.value, work.size() - 1);
    }
  }
  if (pos.size() > kMaxRecords) {
    return Error::TooLarge(Reason::kTooManyEntries, std::to_string(pos.size()) + " records after this request; the maximum is 32000");
  }
  std::unordered_set<std::string_view> old_values;  // replace mode: what existed before
  if (replace) {
    old_values.reserve(old.size());
    for (const Entry& e : old) old_values.insert(e.parsed.value);
  }
  std::vector<std::string> added, updated;
  l.entries.reserve(pos.size());
  for (size_t idx = 0; idx < work.size(); ++idx) {
    if (!work[idx]) continue;
    Entry& e = *work[idx];
    if (replace || touched[idx]) {
      change.upserts.push_back(ToRecord(e));
      bool existed = replace ? old_values.erase(e.parsed.value) > 0 : idx < n_old;
      (existed ? updated : added).push_back(e.parsed.value);
    }
    l.entries.push_back(std::move(e));
  }
  if (replace) {
    for (std::string_view v : old_values) removed.emplace_back(v);  // those not re-sent
  } else {
    change.removals = removed;
  }
  change.replace_entries = replace;
  change.audit.changes_json = ChangesJson(added, removed, updated);
  return {};
}

namespace {

// `base` with `list` in place of its old version (added when new; left out when `removed`).
AccountListsPtr WithList(const AccountLists& base, const ListPtr& list, bool removed) {
  auto out = std::make_shared<AccountLists>();
  bool replaced = false;
  for (const ListPtr& l : base.lists) {
    if (l->id != list->id) {
      out->lists.push_back(l);
    } else if (!removed) {
      out->lists.push_back(list);
      replaced = true;
    }
  }
  if (!removed && !replaced) out->lists.push_back(list);
  return out;
}

}  // namespace

void UserListService::Describe(const UserList& next, store::ListChange& change) const {
  change.list = ToRecord(next);
  change.audit.org_id = next.org_id;
  change.audit.list_id = next.id;
  change.audit.list_kind = KindName(next.kind);
  change.audit.list_name = next.name;
  change.audit.at_ms = UnixMillis(clock_.Now());
}

void UserListService::Drain(Slot& slot, std::unique_lock<std::mutex>& lock) {
  slot.committed.wait(lock, [&] { return !slot.committing && slot.queue.empty(); });
}

Result<ListPtr> UserListService::Commit(Slot& slot, const AccountLists& base, UserList next,
                                        store::ListChange change, bool removed) {
  Describe(next, change);
  RAMPART_CHECK(store_.Apply(change));  // nothing is published unless the commit succeeded
  auto list = std::make_shared<const UserList>(std::move(next));
  slot.current.store(WithList(base, list, removed));
  if (hooks_.on_change) hooks_.on_change(list->org_id);
  return ListPtr(list);
}

Result<ListPtr> UserListService::CommitQueued(Slot& slot, std::unique_lock<std::mutex>& lock,
                                              const AccountLists& base, UserList next, store::ListChange change) {
  Describe(next, change);
  auto item = std::make_shared<Queued>();
  item->list = std::make_shared<const UserList>(std::move(next));
  item->after = WithList(base, item->list, false);
  item->change = std::move(change);
  slot.queue.push_back(item);
  slot.pending = item->after;
  // Whoever finds no group committing commits the queue (its own change included) and returns;
  // the others wait for their group, or take the next one.
  while (!item->done) {
    if (!slot.committing) {
      CommitGroup(slot, lock, item->list->org_id);
    } else {
      slot.committed.wait(lock);
    }
  }
  if (item->error) return *item->error;
  return item->list;
}

void UserListService::CommitGroup(Slot& slot, std::unique_lock<std::mutex>& lock, const std::string& org_id) {
  slot.committing = true;
  std::vector<std::shared_ptr<Queued>> group;
  group.swap(slot.queue);
  std::vector<store::ListChange> changes;
  changes.reserve(group.size());
  for (auto& q : group) changes.push_back(std::move(q->change));
  lock.unlock();
  Result<void> applied = store_.ApplyAll(changes);
  lock.lock();
  if (applied) {
    slot.current.store(group.back()->after);
    if (slot.queue.empty()) slot.pending = nullptr;
    if (hooks_.on_change) hooks_.on_change(org_id);
  } else {
    for (auto& q : group) q->error = applied.error();
    // Everything queued meanwhile was built on this group's state: it fails with it.
    for (auto& q : slot.queue) {
      q->error = Error::Unavailable("an earlier change to this account's lists could not be committed; nothing was changed");
      q->done = true;
    }
    slot.queue.clear();
    slot.pending = nullptr;
  }
  for (auto& q : group) q->done = true;
  slot.committing = false;
  slot.committed.notify_all();
}

Result<size_t> UserListService::SweepExpired() {
  std::vector<std::shared_ptr<Slot>> slots;
  {
    std::lock_guard lock(slots_mu_);
    for (auto& [id, slot] : slots_) slots.push_back(slot);
  }
  const SysTime now = clock_.Now();
  size_t purged = 0;
  for (auto& slot : slots) {
    std::unique_lock lock(slot->write_mu);
    Drain(*slot, lock);
    AccountListsPtr cur = slot->current.load();
    if (!cur) continue;
    for (const ListPtr& list : cur->lists) {
      UserList next = *list;
      store::ListChange change;
      std::vector<std::string> expired;
      next.entries.clear();
      for (const Entry& e : list->entries) {
        if (list->IsActive(e, now)) {
          next.entries.push_back(e);
        } else {
          expired.push_back(e.parsed.value);
        }
      }
      bool list_default_passed = list->expires && Date::Of(now) > *list->expires;
      if (expired.empty() && !list_default_passed) continue;
      if (list_default_passed) next.expires.reset();  // later entries must not inherit a past date
      change.op = store::ListChange::Op::kUpdate;
      change.removals = expired;
      change.audit.action = "expire";
      change.audit.actor = "system";
      change.audit.changes_json = ChangesJson({}, expired, {});
      RAMPART_CHECK(Commit(*slot, *slot->current.load(), std::move(next), std::move(change), false));
      purged += expired.size();
    }
  }
  return purged;
}

Result<HistoryPage> UserListService::History(const std::string& org_id, ListKind kind,
                                             const std::string& id, int64_t page, int64_t per_page) {
  RAMPART_TRY(all, Load(org_id));
  if (!all->Find(kind, id)) return Error::NotFound("no such list " + QuoteForDetail(id));
  return AuditPage(org_id, id, page, per_page);
}

Result<HistoryPage> UserListService::AuditPage(const std::string& org_id, const std::string& id, int64_t page,
                                               int64_t per_page) {
  HistoryPage out;
  RAMPART_TRY(records, store_.ReadAudit(org_id, id, (page - 1) * per_page, per_page));
  RAMPART_TRY(total, store_.CountAudit(org_id, id));
  out.records = std::move(records);
  out.total = total;
  return out;
}

size_t UserListService::QueuedWrites(const std::string& org_id) const {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(slots_mu_);
    auto it = slots_.find(org_id);
    if (it == slots_.end()) return 0;
    slot = it->second;
  }
  std::lock_guard lock(slot->write_mu);
  return slot->queue.size();
}

ServiceStats UserListService::Stats() const {
  ServiceStats s;
  std::lock_guard lock(slots_mu_);
  for (const auto& [id, slot] : slots_) {
    AccountListsPtr cur = slot->current.load();
    if (!cur) continue;
    s.lists += cur->lists.size();
    for (const auto& l : cur->lists) s.entries += l->entries.size();
  }
  return s;
}

}  // namespace rampart::userlists
