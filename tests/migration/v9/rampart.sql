PRAGMA user_version = 9;
BEGIN TRANSACTION;
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at_ms INTEGER NOT NULL
, zone_suffix TEXT);
INSERT INTO "accounts" VALUES('d3324275-ab32-4588-87ca-49196a87a80e','demo',1796103398826,'4a14931c');
INSERT INTO "accounts" VALUES('cda97d32-a481-44b2-932e-0e17b170fb22','Acme',1796103398859,'ec8b1fab');
INSERT INTO "accounts" VALUES('d2400a71-33ad-4e2a-8524-e62b9d0d5f73','solo',1796103398868,'eeec0a2a');
CREATE TABLE agents (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('online', 'offline')),
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
INSERT INTO "agents" VALUES('6b0e5ce665ab80332d7c0667','agent-1','online',1796016998000,'{"id":"agent-1","instanceId":null,"status":"online","createdAt":"2026-11-30T05:36:38.000Z","lastReportedAt":null,"version":null,"name":null,"description":null,"hostname":"host-agent-1","ipAddresses":{"private":[],"link_local":[],"public":[]},"tags":[],"agentType":null,"osVersion":null,"kernel":null,"agentModuleHealth":null}');
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
INSERT INTO "alerts" VALUES('6b0e5ce665ab80332d7c0667','alert-1',1796016998000,0,1,'rule-a','agent-1','{"id":"alert-1","title":"Alert alert-1","dataSource":"auditd","createdAt":"2026-11-30T05:36:38.000Z","isDismissed":false,"dismissedAt":null,"dismissReason":null,"dismissReasonText":null,"dismissedBy":null,"severity":1,"agentId":"agent-1","ruleId":"rule-a","rulesetId":"rs-1","aggregates":[]}','[{"id":"alert-1"}]');
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
INSERT INTO "api_tokens" VALUES('38bfc2cd4bb3c3f8','d3324275-ab32-4588-87ca-49196a87a80e','55c0272f1ac539fb2237a78e086f3da71f9361b423d317a80bb3e22a7a028877','userlists:write','',1796103398835,NULL,NULL);
INSERT INTO "api_tokens" VALUES('e4cc4068141e627f','cda97d32-a481-44b2-932e-0e17b170fb22','63b8e2e8f766f26160f4222ed3dc95cbcd80fa6f4f0020efd648e35cf1b7f167','userlists:write','',1796103398875,NULL,NULL);
INSERT INTO "api_tokens" VALUES('24854fd1c01addd3','cda97d32-a481-44b2-932e-0e17b170fb22','5cceb87d1d9544aa56133463c9f6957269a4b90afac438cc2174890f9bf6aacf','userlists:read','',1796103398883,NULL,NULL);
INSERT INTO "api_tokens" VALUES('b0196331bd677d02','d2400a71-33ad-4e2a-8524-e62b9d0d5f73','d870e9bd8e3cebd0cdc1b60ceea502aeaa618862c76a9224cfdbacdb76b4bae0','userlists:write','',1796103398891,NULL,NULL);
INSERT INTO "api_tokens" VALUES('2f950bbca48a21ac','d2400a71-33ad-4e2a-8524-e62b9d0d5f73','bd27f348ad5a08c9b27432e766d583c03ccf548d2589a3c7f879a868ae389585','userlists:read','',1796103398899,NULL,NULL);
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
INSERT INTO "audit_log" VALUES(1,'cda97d32-a481-44b2-932e-0e17b170fb22','5463d935-9b74-4af5-b27d-881adc7fc850','ip','badips','e4cc4068141e627f','create',1796103398000,'{"added":["203.0.113.7","198.51.100.0/24"],"removed":[],"updated":[]}');
INSERT INTO "audit_log" VALUES(2,'cda97d32-a481-44b2-932e-0e17b170fb22','254c8c30-504d-4789-b898-d6bd370897f8','domain','baddoms','e4cc4068141e627f','create',1796103398000,'{"added":["evil.example"],"removed":[],"updated":[]}');
INSERT INTO "audit_log" VALUES(3,'cda97d32-a481-44b2-932e-0e17b170fb22','0061d113-f7fa-4c01-becf-e96e4e9fecdd','policy','corp','e4cc4068141e627f','create',1796103398000,'{"before":null,"after":{"type":"dns","zone_name":"corp.ec8b1fab.rpz.rampart","lists":[{"list_id":"254c8c30-504d-4789-b898-d6bd370897f8","behavior":"nxdomain","cname":""},{"list_id":"5463d935-9b74-4af5-b27d-881adc7fc850","behavior":"drop","cname":""}]}}');
INSERT INTO "audit_log" VALUES(4,'cda97d32-a481-44b2-932e-0e17b170fb22','641f156d-58e6-472b-9169-4f95d8c22e81','device','ns1','e4cc4068141e627f','create',1796103398000,'{"before":null,"after":{"name":"ns1","type":"dns","policy_id":"0061d113-f7fa-4c01-becf-e96e4e9fecdd","transfer_acl":["127.0.0.1/32"],"notify":[],"tsig_key_name":null}}');
INSERT INTO "audit_log" VALUES(5,'cda97d32-a481-44b2-932e-0e17b170fb22','254c8c30-504d-4789-b898-d6bd370897f8','domain','baddoms','e4cc4068141e627f','update',1796103398000,'{"added":["worse.example"],"removed":[],"updated":[]}');
INSERT INTO "audit_log" VALUES(6,'d2400a71-33ad-4e2a-8524-e62b9d0d5f73','5047b11d-dd2d-4cc7-a1e9-a09890844113','ip','soloips','b0196331bd677d02','create',1796103398000,'{"added":["192.0.2.1"],"removed":[],"updated":[]}');
CREATE TABLE hawk_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(id),
  sealed_key TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  valid_until_ms INTEGER
);
INSERT INTO "hawk_keys" VALUES(1,'6b0e5ce682ca3982732c37e9','IQDm9C1I1fYouY2TFoabrKiCGkvmeh5bAP3KEqHymujrAasvRE26AjuDt98qDaMlrCoIxmQnhSZohGd/r6yPzI00qpe6OroRJ3/fDGAEgW8=',1796103398938,NULL);
INSERT INTO "hawk_keys" VALUES(2,'6b0e5ce6623b74c1674bfaad','2jtAIp+3AUD46eJpvg2EslX+/H3eCHs8WP5/0qxiv1X6VMh3eLfWDMmAI2rbfZlN3kMjSl9pjmaf/CnEIooQcjn8CGJWvWIVIj3pdgRkEQA=',1796103398946,NULL);
CREATE TABLE list_entries (
  list_id TEXT NOT NULL REFERENCES user_lists(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  address_type TEXT NOT NULL,
  comments TEXT NOT NULL,
  expires TEXT,
  seq INTEGER NOT NULL,
  PRIMARY KEY (list_id, value)
) WITHOUT ROWID;
INSERT INTO "list_entries" VALUES('254c8c30-504d-4789-b898-d6bd370897f8','evil.example','domain','',NULL,1);
INSERT INTO "list_entries" VALUES('254c8c30-504d-4789-b898-d6bd370897f8','worse.example','domain','',NULL,2);
INSERT INTO "list_entries" VALUES('5047b11d-dd2d-4cc7-a1e9-a09890844113','192.0.2.1','ip','',NULL,1);
INSERT INTO "list_entries" VALUES('5463d935-9b74-4af5-b27d-881adc7fc850','198.51.100.0/24','netmask','',NULL,2);
INSERT INTO "list_entries" VALUES('5463d935-9b74-4af5-b27d-881adc7fc850','203.0.113.7','ip','',NULL,1);
CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'user', 'reader')),
  PRIMARY KEY (user_id, org_id)
) WITHOUT ROWID;
INSERT INTO "memberships" VALUES('6b0e5ce6623b74c1674bfaad','6b0e5ce65e333ae5aa097251','owner');
INSERT INTO "memberships" VALUES('6b0e5ce682ca3982732c37e9','6b0e5ce665ab80332d7c0667','owner');
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at_ms INTEGER NOT NULL
);
INSERT INTO "orgs" VALUES('6b0e5ce665ab80332d7c0667','acme',1796103398922);
INSERT INTO "orgs" VALUES('6b0e5ce65e333ae5aa097251','Other Org',1796103398930);
CREATE TABLE "policy_list_refs" (
  account_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  list_id TEXT NOT NULL REFERENCES user_lists(id),
  UNIQUE (policy_id, list_id)
);
INSERT INTO "policy_list_refs" VALUES('cda97d32-a481-44b2-932e-0e17b170fb22','0061d113-f7fa-4c01-becf-e96e4e9fecdd','254c8c30-504d-4789-b898-d6bd370897f8');
INSERT INTO "policy_list_refs" VALUES('cda97d32-a481-44b2-932e-0e17b170fb22','0061d113-f7fa-4c01-becf-e96e4e9fecdd','5463d935-9b74-4af5-b27d-881adc7fc850');
CREATE TABLE policy_objects (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('policy', 'device')),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, kind, id),
  UNIQUE (account_id, kind, name)
);
INSERT INTO "policy_objects" VALUES('cda97d32-a481-44b2-932e-0e17b170fb22','policy','0061d113-f7fa-4c01-becf-e96e4e9fecdd','corp',1796103398000,'{"type":"dns","zone_name":"corp.ec8b1fab.rpz.rampart","lists":[{"list_id":"254c8c30-504d-4789-b898-d6bd370897f8","behavior":"nxdomain","cname":""},{"list_id":"5463d935-9b74-4af5-b27d-881adc7fc850","behavior":"drop","cname":""}]}');
INSERT INTO "policy_objects" VALUES('cda97d32-a481-44b2-932e-0e17b170fb22','device','641f156d-58e6-472b-9169-4f95d8c22e81','ns1',1796103398000,'{"type":"dns","policy_id":"0061d113-f7fa-4c01-becf-e96e4e9fecdd","transfer_acl":["127.0.0.1/32"],"notify":[]}');
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
INSERT INTO "user_lists" VALUES('5463d935-9b74-4af5-b27d-881adc7fc850','cda97d32-a481-44b2-932e-0e17b170fb22','ip','badips','block','',NULL,1796103398000);
INSERT INTO "user_lists" VALUES('254c8c30-504d-4789-b898-d6bd370897f8','cda97d32-a481-44b2-932e-0e17b170fb22','domain','baddoms','block','',NULL,1796103398000);
INSERT INTO "user_lists" VALUES('5047b11d-dd2d-4cc7-a1e9-a09890844113','d2400a71-33ad-4e2a-8524-e62b9d0d5f73','ip','soloips','allow','',NULL,1796103398000);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at_ms INTEGER NOT NULL
);
INSERT INTO "users" VALUES('6b0e5ce682ca3982732c37e9','soc@acme.example',1796103398938);
INSERT INTO "users" VALUES('6b0e5ce6623b74c1674bfaad','a@other.example',1796103398946);
CREATE TABLE v2_audit (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
INSERT INTO "v2_audit" VALUES('6b0e5ce665ab80332d7c0667','6b0e5ce60a0a8629b914567c',1796103398000,'{"id":"6b0e5ce60a0a8629b914567c","userEmail":"soc@acme.example","userId":"6b0e5ce682ca3982732c37e9","organizationId":"6b0e5ce665ab80332d7c0667","result":"success","crud":"create","action":"ruleset.create","source":"api","description":"Created ruleset base","eventTime":"2026-12-01T05:36:38.000Z","context":{"rulesetId":"094743b6-bbef-40f2-95b6-a225b35f6d5c"}}');
CREATE TABLE v2_objects (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id)
) WITHOUT ROWID;
INSERT INTO "v2_objects" VALUES('6b0e5ce665ab80332d7c0667','ruleset','094743b6-bbef-40f2-95b6-a225b35f6d5c','',1796103398000,'{"id":"094743b6-bbef-40f2-95b6-a225b35f6d5c","name":"base","description":"d","createdAt":"2026-12-01T05:36:38.000Z","updatedAt":"2026-12-01T05:36:38.000Z"}');
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
INSERT INTO "vulnerabilities" VALUES('6b0e5ce665ab80332d7c0667','CVE-2024-0001',1796016998000,0,0,'openssl','{"cveNumber":"CVE-2024-0001","reportedPackage":"openssl 1.0.2k","systemPackage":"openssl 1.0.2k-1.x86_64","vectorType":"network","severity":"high","isSuppressed":false,"securityNotices":[],"agents":[{"agentId":"a1","hostname":"host-a1"}]}');
CREATE TABLE zone_grants (
  suffix TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id)
);
CREATE TABLE zone_versions (
  seq INTEGER PRIMARY KEY,
  zone TEXT NOT NULL,
  serial INTEGER NOT NULL,
  from_serial INTEGER,
  delta TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
INSERT INTO "zone_versions" VALUES(1,'corp.ec8b1fab.rpz.rampart',1796103398,NULL,'','5a74a8b5d9f7e76bb58076dc3042b9c9',1796103398000);
INSERT INTO "zone_versions" VALUES(2,'corp.ec8b1fab.rpz.rampart',1796103399,1796103398,'+worse.example .
+*.worse.example .
','f331228846f9d2b7efb83dbca3180c61',1796103398000);
CREATE INDEX api_tokens_account ON api_tokens(account_id);
CREATE INDEX audit_by_list ON audit_log(account_id, list_id, id);
CREATE INDEX hawk_keys_user ON hawk_keys(user_id);
CREATE INDEX agents_page ON agents(org_id, status, created_at_ms DESC, id DESC);
CREATE INDEX alerts_page ON alerts(org_id, is_dismissed, created_at_ms DESC, id DESC);
CREATE INDEX v2_objects_children ON v2_objects(org_id, kind, parent_id, created_at_ms, id);
CREATE INDEX vulnerabilities_page ON vulnerabilities(org_id, created_at_ms DESC, cve DESC);
CREATE INDEX v2_audit_page ON v2_audit(org_id, created_at_ms DESC, id DESC);
CREATE INDEX zone_versions_zone ON zone_versions(zone, seq);
CREATE INDEX policy_list_refs_list ON policy_list_refs(list_id);
CREATE UNIQUE INDEX accounts_zone_suffix ON accounts(zone_suffix);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('audit_log',6);
INSERT INTO "sqlite_sequence" VALUES('hawk_keys',2);
COMMIT;
