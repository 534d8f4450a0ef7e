#include "store/sqlite/sqlite_vulns.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "store/sqlite/vuln_queries.hpp"

namespace rampart::store::sqlite {
namespace {

FeedRecord ReadFeed(const Stmt& s) {
  return {s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5), s.Int(6), s.Text(7), s.Int(8), s.Int(9) != 0};
}

FindingRecord ReadFinding(const Stmt& s) {
  return {s.Text(0), s.Text(1),    s.Text(2),  s.Text(3),  s.Text(4),  s.Text(5), s.Text(6),
          s.Text(7), s.OptText(8), s.Text(9),  s.Text(10), s.Text(11), s.Int(12), s.Int(13)};
}

InventoryRecord ReadInventory(const Stmt& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)};
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  for (size_t at = 0; at < s.size();) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    if (comma > at) out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

// Recomputes the organization's summary rows of these CVEs from their findings: one CVE at a
// time, or all of the organization's in one pass when these are most of them (a re-match).
Result<void> RefreshMatched(Db& db, const std::string& org_id, const std::set<std::string>& cves) {
  if (cves.size() >= 256) {
    Stmt count(db, q::kCountMatched);
    count.Bind(1, org_id);
    RAMPART_TRY(row, count.Step());
    const int64_t known = row ? count.Int(0) : 0;
    count.Reset();
    if (static_cast<int64_t>(cves.size()) * 2 >= known) {
      Stmt drop(db, q::kDropMatchedOfOrg), refresh(db, q::kRefreshMatchedOfOrg);
      RAMPART_CHECK(drop.Bind(1, org_id).Run());
      return refresh.Bind(1, org_id).Run();
    }
  }
  Stmt drop(db, q::kDropMatchedCve), refresh(db, q::kRefreshMatchedCve);
  for (const std::string& cve : cves) {
    RAMPART_CHECK(drop.Bind(1, org_id).Bind(2, cve).Run());
    RAMPART_CHECK(refresh.Bind(1, org_id).Bind(2, cve).Run());
  }
  return {};
}

// The number of an agent's inventory (its findings' host key); nullopt when it has none.
Result<std::optional<int64_t>> HostOf(Stmt& s, const std::string& agent_id) {
  s.Bind(1, agent_id);
  RAMPART_TRY(row, s.Step());
  std::optional<int64_t> host;
  if (row) host = s.Int(0);
  s.Reset();
  return host;
}

// What replacing or forgetting a host's findings needs of the old ones.
struct OldFinding {
  std::string org_id, cve, package, arch;
  int64_t first_seen_ms = 0;
};

Result<std::vector<OldFinding>> OldFindingsOf(Db& db, int64_t host) {
  Stmt s(db, q::kFindingKeysOfHost);
  s.Bind(1, host);
  return CollectRows<OldFinding>(
      s, [](const Stmt& st) { return OldFinding{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)}; });
}

Result<void> DeleteOld(Stmt& del, int64_t host, const OldFinding& f) {
  return del.Bind(1, f.org_id).Bind(2, f.cve).Bind(3, host).Bind(4, f.package).Bind(5, f.arch).Run();
}

}  // namespace

Result<int64_t> SqliteVulns::StageFeed(const FeedRecord& m) {
  std::lock_guard lock(c_.write_mu);
  Stmt s(c_.writer, q::kStageFeed);
  s.Bind(1, m.format).Bind(2, m.name).Bind(3, m.sha256).Bind(4, m.bytes).Bind(5, m.feed_date);
  RAMPART_CHECK(s.Bind(6, m.imported_at_ms).Bind(7, m.imported_by).Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(c_.writer.get()));
}

Result<void> SqliteVulns::AddFeedEntries(int64_t feed_id, const std::vector<vuln::FeedEntry>& entries) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt s(c_.writer, q::kInsertFeedEntry), d(c_.writer, q::kInsertFeedDescription);
  std::string last_cve, last_description;
  for (const vuln::FeedEntry& e : entries) {
    s.Bind(1, feed_id).Bind(2, e.release).Bind(3, e.source).Bind(4, e.cve).Bind(5, e.status).Bind(6, e.fixed_version);
    RAMPART_CHECK(s.Bind(7, e.urgency).Bind(8, int64_t{e.nodsa}).Bind(9, Join(e.notices)).Run());
    // A CVE's releases come one after another with the same text: it is written once.
    if (e.description.empty() || (e.cve == last_cve && e.description == last_description)) continue;
    RAMPART_CHECK(d.Bind(1, feed_id).Bind(2, e.cve).Bind(3, e.description).Run());
    last_cve = e.cve;
    last_description = e.description;
  }
  return txn.Commit();
}

Result<void> SqliteVulns::ActivateFeed(int64_t feed_id, int64_t entries, const std::string& sha256, int64_t bytes) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  // All of it, or it does not become current (an overlapping import's activation may have
  // dropped what this one wrote).
  Stmt count(c_.writer, q::kCountFeedEntries);
  count.Bind(1, feed_id);
  RAMPART_TRY(row, count.Step());
  const int64_t have = row ? count.Int(0) : 0;
  count.Reset();
  if (have != entries) {
    return Error::Conflict("the feed holds " + std::to_string(have) + " of its " + std::to_string(entries) +
                           " entries (another import overlapped): import it again");
  }
  Stmt off(c_.writer, q::kUncurrentFeeds);
  RAMPART_CHECK(off.Run());
  Stmt on(c_.writer, q::kMakeCurrent);
  RAMPART_CHECK(on.Bind(1, feed_id).Bind(2, entries).Bind(3, sha256).Bind(4, bytes).Run());
  if (sqlite3_changes(c_.writer.get()) == 0) return Error::NotFound("no staged feed " + std::to_string(feed_id));
  Stmt drop(c_.writer, q::kDropOtherEntries), drop_text(c_.writer, q::kDropOtherDescriptions);
  RAMPART_CHECK(drop.Bind(1, feed_id).Run());
  RAMPART_CHECK(drop_text.Bind(1, feed_id).Run());
  return txn.Commit();
}

Result<std::optional<FeedRecord>> SqliteVulns::CurrentFeed() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kCurrentFeed);
  RAMPART_TRY(rows, CollectRows<FeedRecord>(s, ReadFeed));
  if (rows.empty()) return std::optional<FeedRecord>();
  return std::optional<FeedRecord>(std::move(rows[0]));
}

Result<std::vector<FeedRecord>> SqliteVulns::ListFeeds() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListFeeds);
  return CollectRows<FeedRecord>(s, ReadFeed);
}

Result<void> SqliteVulns::ScanFeedEntries(int64_t feed_id, const std::optional<std::vector<std::string>>& releases,
                                          const std::function<void(vuln::FeedEntry&&)>& visit) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, releases ? q::kFeedEntriesOfRelease : q::kFeedEntries);
  auto scan = [&]() -> Result<void> {
    for (;;) {
      RAMPART_TRY(row, s.Step());
      if (!row) break;
      visit(vuln::FeedEntry{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.OptText(4), s.Text(5), s.Int(6) != 0,
                            Split(s.Text(7)), {}});
    }
    s.Reset();
    return {};
  };
  if (!releases) {
    s.Bind(1, feed_id);
    return scan();
  }
  RAMPART_CHECK(db.Exec("BEGIN"));  // one snapshot for all the releases
  Result<void> out;
  for (const std::string& release : *releases) {
    s.Bind(1, feed_id).Bind(2, release);
    if (out = scan(); !out) break;
  }
  db.Exec("COMMIT");
  return out;
}

Result<std::string> SqliteVulns::FeedDescription(int64_t feed_id, const std::string& cve) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFeedDescription);
  s.Bind(1, feed_id).Bind(2, cve);
  RAMPART_TRY(rows, CollectRows<std::string>(s, [](const Stmt& st) { return st.Text(0); }));
  return rows.empty() ? std::string() : rows[0];
}

Result<void> SqliteVulns::PutInventory(const InventoryRecord& inv, bool full, const std::vector<PackageRecord>& upserted,
                                       const std::vector<PackageRecord>& removed) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  Stmt head(c_.writer, q::kPutInventory);
  head.Bind(1, inv.agent_id).Bind(2, inv.org_id).Bind(3, inv.codename).Bind(4, inv.version_id);
  RAMPART_CHECK(head.Bind(5, inv.updated_at_ms).Run());
  if (full) {
    Stmt clear(c_.writer, q::kDeletePackages);
    RAMPART_CHECK(clear.Bind(1, inv.agent_id).Run());
  }
  Stmt del(c_.writer, q::kDeletePackage);
  for (const PackageRecord& p : removed) RAMPART_CHECK(del.Bind(1, inv.agent_id).Bind(2, p.name).Bind(3, p.arch).Run());
  Stmt put(c_.writer, q::kPutPackage);
  for (const PackageRecord& p : upserted) {
    put.Bind(1, inv.agent_id).Bind(2, p.name).Bind(3, p.arch).Bind(4, p.version).Bind(5, p.source);
    RAMPART_CHECK(put.Bind(6, p.source_version).Bind(7, p.status).Run());
  }
  return txn.Commit();
}

Result<std::optional<InventoryRecord>> SqliteVulns::GetInventory(const std::string& agent_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kGetInventory);
  s.Bind(1, agent_id);
  RAMPART_TRY(rows, CollectRows<InventoryRecord>(s, ReadInventory));
  if (rows.empty()) return std::optional<InventoryRecord>();
  return std::optional<InventoryRecord>(std::move(rows[0]));
}

Result<std::vector<InventoryRecord>> SqliteVulns::ListInventories() {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kListInventories);
  return CollectRows<InventoryRecord>(s, ReadInventory);
}

Result<std::vector<PackageRecord>> SqliteVulns::PackagesOf(const std::string& agent_id) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kPackagesOf);
  s.Bind(1, agent_id);
  return CollectRows<PackageRecord>(s, [](const Stmt& st) {
    return PackageRecord{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)};
  });
}

Result<void> SqliteVulns::ReplaceFindings(const std::vector<FindingsUpdate>& updates, TouchedCves* defer) {
  std::lock_guard lock(c_.write_mu);
  Db& db = c_.writer;
  Txn txn(db);
  if (!txn.begun()) return txn.begun().error();
  Stmt host_of(db, q::kHostOf), del(db, q::kDeleteFinding), ins(db, q::kInsertFinding);
  TouchedCves touched;
  // Rows are written in key order (org, cve, host, package, arch), not host by host: the findings of
  // many hosts land in the same B-tree pages, which halves the pages written.
  struct Insert {
    const FindingRecord* f;
    const FindingsUpdate* u;
    int64_t host, first_seen;
  };
  std::vector<Insert> inserts;
  for (const FindingsUpdate& u : updates) {
    // An agent revoked since it was matched has no inventory any more: nothing of it is kept.
    RAMPART_TRY(host, HostOf(host_of, u.agent_id));
    if (!host) continue;
    const std::set<std::pair<std::string, std::string>> named(u.packages.begin(), u.packages.end());
    RAMPART_TRY(before, OldFindingsOf(db, *host));
    std::map<std::tuple<std::string, std::string, std::string>, int64_t> first_seen;  // (cve, package, arch)
    std::set<std::string>& cves = touched[u.org_id];
    for (const OldFinding& f : before) {
      if (f.org_id != u.org_id || (!u.all && !named.count({f.package, f.arch}))) continue;
      first_seen[{f.cve, f.package, f.arch}] = f.first_seen_ms;
      cves.insert(f.cve);
      RAMPART_CHECK(DeleteOld(del, *host, f));
    }
    for (const FindingRecord& f : u.findings) {
      auto seen = first_seen.find({f.cve, f.package, f.arch});
      inserts.push_back({&f, &u, *host, seen == first_seen.end() ? u.now_ms : seen->second});
    }
  }
  std::sort(inserts.begin(), inserts.end(), [](const Insert& a, const Insert& b) {
    return std::tie(a.u->org_id, a.f->cve, a.host, a.f->package, a.f->arch) <
           std::tie(b.u->org_id, b.f->cve, b.host, b.f->package, b.f->arch);
  });
  // The inserts' CVEs are touched too; in key order each is added once, at the set's end.
  for (size_t k = 0; k < inserts.size(); ++k) {
    const Insert& i = inserts[k];
    if (k > 0 && i.u->org_id == inserts[k - 1].u->org_id && i.f->cve == inserts[k - 1].f->cve) continue;
    std::set<std::string>& cves = touched[i.u->org_id];
    cves.emplace_hint(cves.end(), i.f->cve);
  }
  for (const Insert& i : inserts) {
    const FindingRecord& f = *i.f;
    ins.Bind(1, i.u->org_id).Bind(2, f.cve).Bind(3, i.host).Bind(4, f.package).Bind(5, f.arch).Bind(6, f.version);
    ins.Bind(7, f.source).Bind(8, f.source_version).Bind(9, f.fixed_version).Bind(10, f.urgency).Bind(11, f.notices);
    RAMPART_CHECK(ins.Bind(12, f.release).Bind(13, f.feed_id).Bind(14, i.first_seen).Run());
  }
  if (defer) {
    for (auto& [org, cves] : touched) defer->operator[](org).merge(cves);
  } else {
    for (const auto& [org, cves] : touched) RAMPART_CHECK(RefreshMatched(db, org, cves));
  }
  return txn.Commit();
}

Result<void> SqliteVulns::SummarizeFindings(const TouchedCves& touched) {
  std::lock_guard lock(c_.write_mu);
  Txn txn(c_.writer);
  if (!txn.begun()) return txn.begun().error();
  for (const auto& [org, cves] : touched) RAMPART_CHECK(RefreshMatched(c_.writer, org, cves));
  Stmt orphans(c_.writer, q::kDropOrphanMatched);
  RAMPART_CHECK(orphans.Run());
  return txn.Commit();
}

Result<std::vector<FindingRecord>> SqliteVulns::FindingsOf(const std::string& org_id, const std::vector<std::string>& cves) {
  auto [lock, db] = c_.Reader();
  Stmt s(db, q::kFindingsOfCve);
  std::vector<FindingRecord> out;
  for (const std::string& cve : cves) {
    s.Bind(1, org_id).Bind(2, cve);
    RAMPART_TRY(rows, CollectRows<FindingRecord>(s, ReadFinding));
    for (auto& r : rows) out.push_back(std::move(r));
  }
  return out;
}

Result<void> ForgetAgentInventory(Db& db, const std::string& org_id, const std::string& agent_id) {
  Stmt host_of(db, q::kHostOf);
  RAMPART_TRY(host, HostOf(host_of, agent_id));
  if (host) {
    RAMPART_TRY(before, OldFindingsOf(db, *host));
    std::set<std::string> touched;
    Stmt del(db, q::kDeleteFinding);
    for (const OldFinding& f : before) {
      touched.insert(f.cve);
      RAMPART_CHECK(DeleteOld(del, *host, f));
    }
    RAMPART_CHECK(RefreshMatched(db, org_id, touched));
  }
  Stmt packages(db, q::kDeletePackages);
  RAMPART_CHECK(packages.Bind(1, agent_id).Run());
  Stmt inventory(db, q::kDeleteInventory);
  return inventory.Bind(1, agent_id).Run();
}

}  // namespace rampart::store::sqlite
