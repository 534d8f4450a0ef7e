#include "store/sqlite/migrations.hpp"

#include <string>

namespace rampart::store::sqlite {
namespace {

// Append-only: never edit a shipped migration, add the next one.
constexpr const char* kMigrations[] = {
    // V1: accounts, API tokens, user lists, entries, audit trail.
    R"sql(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  secret_hash TEXT NOT NULL,
  perm TEXT NOT NULL CHECK (perm IN ('userlists:read', 'userlists:write')),
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER,
  revoked_at_ms INTEGER
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);
CREATE TABLE user_lists (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('ip', 'domain')),
  name TEXT NOT NULL COLLATE NOCASE,
  list_type TEXT NOT NULL CHECK (list_type IN ('block', 'allow')),
  description TEXT NOT NULL,
  expires TEXT,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (account_id, kind, name)
);
CREATE TABLE list_entries (
  list_id TEXT NOT NULL REFERENCES user_lists(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  address_type TEXT NOT NULL,
  comments TEXT NOT NULL,
  expires TEXT,
  seq INTEGER NOT NULL,
  PRIMARY KEY (list_id, value)
) WITHOUT ROWID;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  list_id TEXT NOT NULL,
  list_kind TEXT NOT NULL,
  list_name TEXT NOT NULL,
  token_id TEXT NOT NULL,
  action TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  changes_json TEXT NOT NULL
);
CREATE INDEX audit_by_list ON audit_log(account_id, list_id, id);
)sql",
    // V2: Threat Stack identity: organizations, users, memberships, Hawk API keys (sealed).
    R"sql(
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'user', 'reader')),
  PRIMARY KEY (user_id, org_id)
) WITHOUT ROWID;
CREATE TABLE hawk_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(id),
  sealed_key TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  valid_until_ms INTEGER
);
CREATE INDEX hawk_keys_user ON hawk_keys(user_id);
)sql",
    // V3: agents (the wire document, plus the columns queries filter and page on).
    R"sql(
CREATE TABLE agents (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('online', 'offline')),
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX agents_page ON agents(org_id, status, created_at_ms DESC, id DESC);
)sql",
    // V4: alerts and their events.
    R"sql(
CREATE TABLE alerts (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  is_dismissed INTEGER NOT NULL CHECK (is_dismissed IN (0, 1)),
  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
  rule_id TEXT,
  agent_id TEXT,
  doc TEXT NOT NULL,
  events TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX alerts_page ON alerts(org_id, is_dismissed, created_at_ms DESC, id DESC);
)sql",
    // V5: v2 configuration objects, vulnerabilities, and the v2 audit log.
    R"sql(
CREATE TABLE v2_objects (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id)
) WITHOUT ROWID;
CREATE INDEX v2_objects_children ON v2_objects(org_id, kind, parent_id, created_at_ms, id);
CREATE TABLE vulnerabilities (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  cve TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  is_suppressed INTEGER NOT NULL CHECK (is_suppressed IN (0, 1)),
  has_notices INTEGER NOT NULL CHECK (has_notices IN (0, 1)),
  package TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, cve)
) WITHOUT ROWID;
CREATE INDEX vulnerabilities_page ON vulnerabilities(org_id, created_at_ms DESC, cve DESC);
CREATE TABLE v2_audit (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX v2_audit_page ON v2_audit(org_id, created_at_ms DESC, id DESC);
)sql",
    // V6: enforcement policies and devices, and the versions (journal) of the RPZ zones.
    R"sql(
CREATE TABLE policy_objects (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('policy', 'device')),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, kind, id),
  UNIQUE (account_id, kind, name)
);  -- a rowid table: rowid is the creation order when created_at_ms ties
CREATE TABLE zone_versions (
  seq INTEGER PRIMARY KEY,
  zone TEXT NOT NULL,
  serial INTEGER NOT NULL,
  from_serial INTEGER,
  delta TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX zone_versions_zone ON zone_versions(zone, seq);
)sql",
    // V7: the lists each policy uses, so that a list's deletion and a policy naming it cannot both
    // succeed (the foreign key refuses the later one in its own transaction). Backfilled from the
    // V6 policy documents; a reference to a list that is already gone is dropped.
    R"sql(
CREATE TABLE policy_list_refs (
  account_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  list_id TEXT NOT NULL REFERENCES user_lists(id),
  PRIMARY KEY (policy_id, list_id)
) WITHOUT ROWID;
CREATE INDEX policy_list_refs_list ON policy_list_refs(list_id);
INSERT OR IGNORE INTO policy_list_refs(account_id, policy_id, list_id)
  SELECT p.account_id, p.id, json_extract(l.value, '$.list_id')
  FROM policy_objects p, json_each(p.doc, '$.lists') l
  WHERE p.kind = 'policy' AND json_extract(l.value, '$.list_id') IN (SELECT id FROM user_lists);
)sql",
    // V8: policy_list_refs as a rowid table. SQLite 3.40's PRAGMA integrity_check misreports the
    // V7 shape (WITHOUT ROWID, a NOT NULL column outside the key) as "NULL value in
    // policy_list_refs.account_id" on every database with a policy; an operator's check after a
    // crash must say "ok". Same rows, same uniqueness, same foreign key.
    R"sql(
CREATE TABLE policy_list_refs_v8 (
  account_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  list_id TEXT NOT NULL REFERENCES user_lists(id),
  UNIQUE (policy_id, list_id)
);
INSERT INTO policy_list_refs_v8(account_id, policy_id, list_id)
  SELECT account_id, policy_id, list_id FROM policy_list_refs;
DROP TABLE policy_list_refs;
ALTER TABLE policy_list_refs_v8 RENAME TO policy_list_refs;
CREATE INDEX policy_list_refs_list ON policy_list_refs(list_id);
)sql",
    // V9: each account's own zone label (random, immutable; existing zones keep their names) and
    // the zone suffixes an operator granted an account.
    R"sql(
ALTER TABLE accounts ADD COLUMN zone_suffix TEXT;
UPDATE accounts SET zone_suffix = lower(hex(randomblob(4))) WHERE zone_suffix IS NULL;
CREATE UNIQUE INDEX accounts_zone_suffix ON accounts(zone_suffix);
CREATE TABLE zone_grants (
  suffix TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id)
);
)sql",
    // V10: one tenant for both APIs. Every ThreatSTOP account becomes an organization (merged into
    // the Threat Stack organization of the same name, case-insensitively, when there is one; else a
    // new 24-hex id), keeping its zone suffix so existing zone names keep working. Every table that
    // named an account names the organization; v4.0 tokens become API keys with the same id and
    // secret (a write token may write lists and policies, a read token read them); audit records
    // name their actor ("key:<id>", "system"). Users gain a display name, a password hash and a
    // disabled mark. Runs with foreign keys off (tables are rebuilt); Migrate checks them after.
    R"sql(
ALTER TABLE orgs RENAME TO organizations;
ALTER TABLE organizations ADD COLUMN zone_suffix TEXT;
CREATE TEMP TABLE v10_map AS
  SELECT a.id AS account_id,
         COALESCE((SELECT o.id FROM organizations o WHERE o.name = a.name), lower(hex(randomblob(12)))) AS org_id,
         a.name AS name, a.created_at_ms AS created_at_ms, a.zone_suffix AS zone_suffix
  FROM accounts a;
INSERT INTO organizations(id, name, created_at_ms, zone_suffix)
  SELECT org_id, name, created_at_ms, zone_suffix FROM v10_map WHERE org_id NOT IN (SELECT id FROM organizations);
UPDATE organizations SET
  zone_suffix = (SELECT m.zone_suffix FROM v10_map m WHERE m.org_id = organizations.id),
  created_at_ms = min(created_at_ms, (SELECT m.created_at_ms FROM v10_map m WHERE m.org_id = organizations.id))
  WHERE zone_suffix IS NULL AND id IN (SELECT org_id FROM v10_map);
UPDATE organizations SET zone_suffix = lower(hex(randomblob(4))) WHERE zone_suffix IS NULL;
CREATE UNIQUE INDEX organizations_zone_suffix ON organizations(zone_suffix);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  secret_hash TEXT NOT NULL,
  perms TEXT NOT NULL,
  networks TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER,
  revoked_at_ms INTEGER,
  last_used_at_ms INTEGER
);
CREATE INDEX api_keys_org ON api_keys(org_id);
INSERT INTO api_keys(id, org_id, secret_hash, perms, networks, description, created_at_ms, expires_at_ms,
                     revoked_at_ms, last_used_at_ms)
  SELECT t.id, m.org_id, t.secret_hash,
         CASE t.perm WHEN 'userlists:write' THEN 'userlists:write,policies:write' ELSE 'userlists:read,policies:read' END,
         '', t.description, t.created_at_ms, t.expires_at_ms, t.revoked_at_ms, NULL
  FROM api_tokens t JOIN v10_map m ON m.account_id = t.account_id;
DROP TABLE api_tokens;

CREATE TABLE user_lists_v10 (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  kind TEXT NOT NULL CHECK (kind IN ('ip', 'domain')),
  name TEXT NOT NULL COLLATE NOCASE,
  list_type TEXT NOT NULL CHECK (list_type IN ('block', 'allow')),
  description TEXT NOT NULL,
  expires TEXT,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (org_id, kind, name)
);
INSERT INTO user_lists_v10(id, org_id, kind, name, list_type, description, expires, created_at_ms)
  SELECT l.id, m.org_id, l.kind, l.name, l.list_type, l.description, l.expires, l.created_at_ms
  FROM user_lists l JOIN v10_map m ON m.account_id = l.account_id;
DROP TABLE user_lists;
ALTER TABLE user_lists_v10 RENAME TO user_lists;

ALTER TABLE audit_log RENAME COLUMN account_id TO org_id;
ALTER TABLE audit_log RENAME COLUMN token_id TO actor;
UPDATE audit_log SET org_id = (SELECT m.org_id FROM v10_map m WHERE m.account_id = audit_log.org_id)
  WHERE org_id IN (SELECT account_id FROM v10_map);
UPDATE audit_log SET actor = 'key:' || actor WHERE actor <> 'system';

CREATE TABLE policy_objects_v10 (
  org_id TEXT NOT NULL REFERENCES organizations(id),
  kind TEXT NOT NULL CHECK (kind IN ('policy', 'device')),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id),
  UNIQUE (org_id, kind, name)
);
INSERT INTO policy_objects_v10(rowid, org_id, kind, id, name, created_at_ms, doc)
  SELECT p.rowid, m.org_id, p.kind, p.id, p.name, p.created_at_ms, p.doc
  FROM policy_objects p JOIN v10_map m ON m.account_id = p.account_id;
DROP TABLE policy_objects;
ALTER TABLE policy_objects_v10 RENAME TO policy_objects;

ALTER TABLE policy_list_refs RENAME COLUMN account_id TO org_id;
UPDATE policy_list_refs SET org_id = (SELECT m.org_id FROM v10_map m WHERE m.account_id = policy_list_refs.org_id)
  WHERE org_id IN (SELECT account_id FROM v10_map);

CREATE TABLE zone_grants_v10 (
  suffix TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id)
);
INSERT INTO zone_grants_v10(suffix, org_id)
  SELECT g.suffix, m.org_id FROM zone_grants g JOIN v10_map m ON m.account_id = g.account_id;
DROP TABLE zone_grants;
ALTER TABLE zone_grants_v10 RENAME TO zone_grants;

DROP TABLE accounts;
DROP TABLE v10_map;

ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN disabled_at_ms INTEGER;
)sql",
    // V11: the change log: what another process changed that a running server may have cached
    // (a revoked key, a disabled user, a deleted organization). Written in the change's own
    // transaction; read by the server's change watcher; trimmed after a day.
    R"sql(
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  key TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
)sql",
    // V12: rulesets and rules as typed rows (the rules engine compiles `filter`), moved out of the
    // v2_objects documents; string lists stay JSON arrays in their column. A rule whose ruleset is
    // gone is dropped (it could not be reached through the API). Tags stay in v2_objects.
    R"sql(
CREATE TABLE rulesets (
  org_id TEXT NOT NULL REFERENCES organizations(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (org_id, id)
);
CREATE TABLE rules (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  ruleset_id TEXT NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('Host', 'File', 'CloudTrail', 'ThreatIntel', 'Winsec', 'KubernetesAudit',
                                     'KubernetesConfig')),
  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
  alert_description TEXT NOT NULL,
  filter TEXT NOT NULL,
  aggregate_fields TEXT NOT NULL,
  suppressions TEXT NOT NULL,
  window_s INTEGER NOT NULL,
  threshold INTEGER NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  file_integrity_paths TEXT NOT NULL,
  ignore_files TEXT NOT NULL,
  events_to_monitor TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, ruleset_id) REFERENCES rulesets(org_id, id)
);
CREATE INDEX rules_by_ruleset ON rules(org_id, ruleset_id, created_at_ms, id);
INSERT INTO rulesets(org_id, id, name, description, created_at_ms, updated_at_ms)
  SELECT org_id, id, COALESCE(json_extract(doc, '$.name'), ''), COALESCE(json_extract(doc, '$.description'), ''),
         created_at_ms,
         COALESCE(CAST(round((julianday(json_extract(doc, '$.updatedAt')) - 2440587.5) * 86400000) AS INTEGER),
                  created_at_ms)
  FROM v2_objects WHERE kind = 'ruleset';
INSERT INTO rules
  SELECT o.org_id, o.id, o.parent_id, json_extract(o.doc, '$.name'), json_extract(o.doc, '$.title'),
         json_extract(o.doc, '$.type'), json_extract(o.doc, '$.severityOfAlerts'),
         json_extract(o.doc, '$.alertDescription'), COALESCE(json_extract(o.doc, '$.filter'), ''),
         COALESCE(json_extract(o.doc, '$.aggregateFields'), '[]'), COALESCE(json_extract(o.doc, '$.suppressions'), '[]'),
         COALESCE(json_extract(o.doc, '$.window'), 3600), COALESCE(json_extract(o.doc, '$.threshold'), 1),
         CASE WHEN json_extract(o.doc, '$.enabled') = 0 THEN 0 ELSE 1 END,
         COALESCE(json_extract(o.doc, '$.fileIntegrityPaths'), '[]'), COALESCE(json_extract(o.doc, '$.ignoreFiles'), '[]'),
         COALESCE(json_extract(o.doc, '$.eventsToMonitor'), '[]'), o.created_at_ms,
         COALESCE(CAST(round((julianday(json_extract(o.doc, '$.updatedAt')) - 2440587.5) * 86400000) AS INTEGER),
                  o.created_at_ms)
  FROM v2_objects o
  WHERE o.kind = 'rule' AND EXISTS (SELECT 1 FROM rulesets r WHERE r.org_id = o.org_id AND r.id = o.parent_id);
DELETE FROM v2_objects WHERE kind IN ('ruleset', 'rule');
)sql",
    // V13: agents that enroll themselves. Deploy keys enroll agents into an organization; each
    // enrolled agent has its own sealed Hawk key, found by the host's fingerprint on re-enrollment.
    // Events are kept for a retention (counted per organization for the cap); a batch's sequence
    // number is remembered as long as its events, so a resent batch is stored once. The Base Rule
    // Set is added to each organization once (base_ruleset_id names it), by the server or the CLI;
    // it does not count as something the organization holds when it is deleted.
    R"sql(
CREATE TABLE deploy_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  secret_hash TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  rotated_at_ms INTEGER,
  revoked_at_ms INTEGER,
  last_used_at_ms INTEGER,
  last_used_host TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deploy_keys_org ON deploy_keys(org_id, created_at_ms);
CREATE TABLE agent_keys (
  agent_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  fingerprint TEXT NOT NULL,
  sealed_key TEXT NOT NULL,
  key_created_at_ms INTEGER NOT NULL,
  rulesets TEXT NOT NULL,
  deploy_key_id TEXT NOT NULL,
  revoked_at_ms INTEGER,
  UNIQUE (org_id, fingerprint)
);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX events_org ON events(org_id, seq);
CREATE INDEX events_age ON events(at_ms);
CREATE TABLE event_counts (
  org_id TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE ingest_batches (
  agent_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (agent_id, seq)
) WITHOUT ROWID;
CREATE INDEX ingest_batches_age ON ingest_batches(at_ms);
CREATE INDEX alerts_age ON alerts(created_at_ms);
ALTER TABLE organizations ADD COLUMN base_ruleset_id TEXT;
)sql",
    // V14: alert delivery. An organization's webhooks (the secret sealed) and a durable queue of
    // deliveries, filled in the transaction that stores the alert, retried until delivered or a
    // day has passed.
    R"sql(
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  url TEXT NOT NULL,
  sealed_secret TEXT NOT NULL,
  description TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id, created_at_ms);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  next_at_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  done_at_ms INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_at_ms);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);
)sql",
    // V15: vulnerability matching. Imported Debian security feeds (every import kept as history;
    // only the current one keeps entries), hosts' package inventories, the findings of matching
    // them, and per organization one row per matched CVE (the page key of /v2/vulnerabilities).
    // Imported vulnerabilities say so.
    R"sql(
CREATE TABLE vuln_feeds (
  id INTEGER PRIMARY KEY,
  format TEXT NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  feed_date TEXT NOT NULL,
  imported_at_ms INTEGER NOT NULL,
  imported_by TEXT NOT NULL,
  entries INTEGER NOT NULL,
  is_current INTEGER NOT NULL CHECK (is_current IN (0, 1))
);
CREATE UNIQUE INDEX vuln_feeds_current ON vuln_feeds(is_current) WHERE is_current = 1;
CREATE TABLE vuln_feed_entries (
  feed_id INTEGER NOT NULL,
  release TEXT NOT NULL,
  source TEXT NOT NULL,
  cve TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('resolved', 'open')),
  fixed_version TEXT,
  urgency TEXT NOT NULL,
  nodsa INTEGER NOT NULL CHECK (nodsa IN (0, 1)),
  notices TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (feed_id, release, source, cve)
) WITHOUT ROWID;
CREATE INDEX vuln_feed_entries_cve ON vuln_feed_entries(feed_id, cve);
CREATE TABLE agent_inventories (
  agent_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  codename TEXT NOT NULL,
  version_id TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE agent_packages (
  agent_id TEXT NOT NULL,
  name TEXT NOT NULL,
  arch TEXT NOT NULL,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  source_version TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (agent_id, name, arch)
) WITHOUT ROWID;
CREATE TABLE vuln_findings (
  org_id TEXT NOT NULL REFERENCES organizations(id),
  cve TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  package TEXT NOT NULL,
  arch TEXT NOT NULL,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  source_version TEXT NOT NULL,
  fixed_version TEXT,
  urgency TEXT NOT NULL,
  notices TEXT NOT NULL,
  release TEXT NOT NULL,
  feed_id INTEGER NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (org_id, cve, agent_id, package, arch)
) WITHOUT ROWID;
CREATE INDEX vuln_findings_agent ON vuln_findings(agent_id, package, arch);
CREATE TABLE matched_cves (
  org_id TEXT NOT NULL REFERENCES organizations(id),
  cve TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  source TEXT NOT NULL,
  unfixed INTEGER NOT NULL CHECK (unfixed IN (0, 1)),
  has_notices INTEGER NOT NULL CHECK (has_notices IN (0, 1)),
  PRIMARY KEY (org_id, cve)
) WITHOUT ROWID;
CREATE INDEX matched_cves_page ON matched_cves(org_id, first_seen_ms DESC, cve DESC);
UPDATE vulnerabilities SET doc = json_set(doc, '$.origin', 'imported');
)sql",
    // V16: a feed's descriptions apart from its entries, once per CVE. The tracker repeats a
    // CVE's description for every source and release; kept in the entries they were most of a
    // feed's bytes, and loading the entries for matching read them all (docs/benchmarks.md).
    R"sql(
CREATE TABLE vuln_feed_descriptions (
  feed_id INTEGER NOT NULL,
  cve TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (feed_id, cve)
) WITHOUT ROWID;
INSERT OR IGNORE INTO vuln_feed_descriptions(feed_id, cve, description)
  SELECT feed_id, cve, description FROM vuln_feed_entries WHERE description != '';
DROP INDEX vuln_feed_entries_cve;
ALTER TABLE vuln_feed_entries DROP COLUMN description;
)sql",
    // V17: findings name their host by a number, the inventory's new `host`, instead of the
    // agent id repeated in every finding and in the per-host index: writing a re-match's
    // findings, most of its time, is a third faster (docs/benchmarks.md).
    R"sql(
CREATE TABLE agent_inventories_v17 (
  host INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  codename TEXT NOT NULL,
  version_id TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
INSERT INTO agent_inventories_v17(agent_id, org_id, codename, version_id, updated_at_ms)
  SELECT agent_id, org_id, codename, version_id, updated_at_ms FROM agent_inventories ORDER BY agent_id;
DROP TABLE agent_inventories;
ALTER TABLE agent_inventories_v17 RENAME TO agent_inventories;
CREATE TABLE vuln_findings_v17 (
  org_id TEXT NOT NULL REFERENCES organizations(id),
  cve TEXT NOT NULL,
  host INTEGER NOT NULL,
  package TEXT NOT NULL,
  arch TEXT NOT NULL,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  source_version TEXT NOT NULL,
  fixed_version TEXT,
  urgency TEXT NOT NULL,
  notices TEXT NOT NULL,
  release TEXT NOT NULL,
  feed_id INTEGER NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (org_id, cve, host, package, arch)
) WITHOUT ROWID;
INSERT INTO vuln_findings_v17
  SELECT f.org_id, f.cve, i.host, f.package, f.arch, f.version, f.source, f.source_version, f.fixed_version,
         f.urgency, f.notices, f.release, f.feed_id, f.first_seen_ms
  FROM vuln_findings f JOIN agent_inventories i ON i.agent_id = f.agent_id;
DROP TABLE vuln_findings;
ALTER TABLE vuln_findings_v17 RENAME TO vuln_findings;
CREATE INDEX vuln_findings_host ON vuln_findings(host, package, arch);
)sql",
    // V18: alerts in a rowid table. As `WITHOUT ROWID` keyed by (org_id, id), each row a page
    // finds through alerts_page was then looked up by that text key: B-tree seeks comparing
    // strings were 15 % of a page's CPU. Now the index points at an integer rowid, and rows as
    // large as an alert with its events stay on the table's leaf pages, not in an index B-tree.
    // Copied oldest first, so the rowids (unused outside this table) follow time. The page index
    // carries the severity: it covers severity-counts (1.1 s -> 0.38 s over a million alerts)
    // and a page filtered by severity skips the rows it excludes without reading them.
    R"sql(
CREATE TABLE alerts_v18 (
  org_id TEXT NOT NULL REFERENCES organizations(id),
  id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  is_dismissed INTEGER NOT NULL CHECK (is_dismissed IN (0, 1)),
  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
  rule_id TEXT,
  agent_id TEXT,
  doc TEXT NOT NULL,
  events TEXT NOT NULL,
  UNIQUE (org_id, id)
);
INSERT INTO alerts_v18(org_id, id, created_at_ms, is_dismissed, severity, rule_id, agent_id, doc, events)
  SELECT org_id, id, created_at_ms, is_dismissed, severity, rule_id, agent_id, doc, events FROM alerts
  ORDER BY created_at_ms, org_id, id;
DROP TABLE alerts;
ALTER TABLE alerts_v18 RENAME TO alerts;
CREATE INDEX alerts_page ON alerts(org_id, is_dismissed, created_at_ms DESC, id DESC, severity);
CREATE INDEX alerts_age ON alerts(created_at_ms);
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

namespace {

Result<int64_t> CountDanglingReferences(Db& db) {
  Stmt check(db, "PRAGMA foreign_key_check");
  int64_t n = 0;
  for (;;) {
    RAMPART_TRY(row, check.Step());
    if (!row) return n;
    ++n;
  }
}

Result<void> MigrateFrom(Db& db, int version, int target) {
  RAMPART_TRY(dangling_before, CountDanglingReferences(db));
  for (int v = version; v < target; ++v) {
    Txn txn(db);
    if (!txn.begun()) return txn.begun().error();
    RAMPART_CHECK(db.Exec(kMigrations[v]));
    RAMPART_TRY(dangling, CountDanglingReferences(db));
    if (dangling > dangling_before) {
      return Error::Unavailable("migration to schema version " + std::to_string(v + 1) +
                                " would leave rows naming missing rows; nothing was changed");
    }
    std::string set = "PRAGMA user_version = " + std::to_string(v + 1);
    RAMPART_CHECK(db.Exec(set.c_str()));
    RAMPART_CHECK(txn.Commit());
  }
  return {};
}

}  // namespace

Result<void> Migrate(Db& db) { return MigrateTo(db, LatestSchemaVersion()); }

Result<void> MigrateTo(Db& db, int target) {
  Stmt get(db, "PRAGMA user_version");
  auto row = get.Step();
  if (!row) return row.error();
  int version = static_cast<int>(get.Int(0));
  get.Reset();
  if (version > LatestSchemaVersion()) {
    return Error::Unavailable("database schema version " + std::to_string(version) +
                              " is newer than this rampart (" +
                              std::to_string(LatestSchemaVersion()) + ")");
  }
  if (version >= target) return {};
  // Foreign keys are off while migrating (a migration may rebuild a table others reference, the
  // documented way: create, copy, drop, rename) and checked before each commit: a migration may not
  // add a dangling reference. The pragma is a no-op inside a transaction, so it is set here.
  RAMPART_CHECK(db.Exec("PRAGMA foreign_keys = OFF"));
  auto migrated = MigrateFrom(db, version, target);
  RAMPART_CHECK(db.Exec("PRAGMA foreign_keys = ON"));
  return migrated;
}

}  // namespace rampart::store::sqlite
