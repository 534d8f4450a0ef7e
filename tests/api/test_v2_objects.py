"""The writable v2 surface: rulesets/rules/tags, alert dismissal, vulnerabilities and
suppressions, members and invites, audit logs — shapes, validation, isolation, durability."""
import json

from hawk_py import HawkSession
from test_v2_hawk import alert_line, hawk, make_user


def session(server, creds):
    return HawkSession(server.url, creds)


RULE = {"name": "sudo use", "title": "Sudo: {{command}}", "type": "host", "severityOfAlerts": 2,
        "alertDescription": "someone ran sudo", "aggregateFields": ["user"], "filter": "command = 'sudo'",
        "window": 3600, "threshold": 1, "suppressions": [], "enabled": True}


def test_rulesets_rules_and_tags(server):
    creds = make_user(server, role="owner")
    s = session(server, creds)
    # Created with the reference client: payload hash signed, Server-Authorization verified.
    body = json.dumps({"name": "API Test Ruleset", "description": "x", "ruleIds": []})
    r = hawk(server.url + "/v2/rulesets", creds, method="POST", payload=body)
    assert r["status"] == 200 and r["verified"] is True, r
    rs = json.loads(r["body"])
    assert rs["name"] == "API Test Ruleset" and rs["rules"] == [] and rs["createdAt"].endswith("Z")
    rule = s.post("/v2/rulesets/%s/rules" % rs["id"], RULE)
    assert rule.status_code == 200, rule.text
    rule = rule.json()
    assert rule["type"] == "Host" and rule["rulesetId"] == rs["id"] and rule["alertDescription"] == "someone ran sudo"
    # responses say `rules`, writes take `ruleIds` (or `rules`)
    listed = s.get("/v2/rulesets").json()
    assert list(listed) == ["rulesets", "token"] and listed["token"] is None
    assert listed["rulesets"][0]["rules"] == [rule["id"]]
    upd = s.put("/v2/rulesets/" + rs["id"], {"name": "renamed", "description": "y", "ruleIds": [rule["id"]]})
    assert upd.status_code == 200 and upd.json()["name"] == "renamed" and upd.json()["rules"] == [rule["id"]]
    upd = s.put("/v2/rulesets/" + rs["id"], {"name": "renamed", "rules": ["not-a-rule"]})
    assert upd.status_code == 400 and "errors" in upd.json()
    # alertDescription is required, with the reference's message
    bad = s.put("/v2/rulesets/%s/rules/%s" % (rs["id"], rule["id"]), {k: v for k, v in RULE.items() if k != "alertDescription"})
    assert bad.status_code == 400
    assert bad.json() == {"errors": ["Validation failed: body has invalid alertDescription value.  "
                                     "Must be between 1 and 300 characters long."]}
    assert s.post("/v2/rulesets/%s/rules" % rs["id"], dict(RULE, type="Mainframe")).status_code == 400
    assert s.post("/v2/rulesets/%s/rules" % rs["id"], dict(RULE, alertDescription="x" * 301)).status_code == 400
    ok = s.put("/v2/rulesets/%s/rules/%s" % (rs["id"], rule["id"]), dict(RULE, type="FILE", severityOfAlerts=1,
                                                                        fileIntegrityPaths=[{"path": "/etc", "recursive": True}]))
    assert ok.status_code == 200 and ok.json()["type"] == "File" and ok.json()["fileIntegrityPaths"][0]["path"] == "/etc"
    rules = s.get("/v2/rulesets/%s/rules" % rs["id"]).json()
    assert list(rules) == ["rules", "token"] and [x["id"] for x in rules["rules"]] == [rule["id"]]
    # tags
    none = s.get("/v2/rules/%s/tags" % rule["id"])
    assert none.status_code == 404 and "No tags found for rule" in none.json()["errors"][0]
    tags = {"inclusion": [{"source": "ec2", "key": "Environment", "value": "production"}], "exclusion": []}
    assert s.post("/v2/rules/%s/tags" % rule["id"], tags).json() == tags
    assert s.get("/v2/rules/%s/tags" % rule["id"]).json() == tags
    # delete rule → {}, delete ruleset → server_ids
    assert s.delete("/v2/rulesets/%s/rules/%s" % (rs["id"], rule["id"])).json() == {}
    assert s.get("/v2/rulesets/%s/rules/%s" % (rs["id"], rule["id"])).status_code == 404
    assert s.delete("/v2/rulesets/" + rs["id"]).json() == {"server_ids": []}
    assert s.get("/v2/rulesets/" + rs["id"]).status_code == 404
    # another organization sees nothing of it
    other = make_user(server, role="owner", org="Beta", email="b@beta.example")
    assert session(server, other).get("/v2/rulesets").json() == {"rulesets": [], "token": None}


def test_readers_cannot_write_and_writes_survive_kill9(server):
    owner = make_user(server, role="owner")
    reader = server.admin("user", "create", "--org", "Acme", "--role", "reader", "--email", "r@acme.example")
    r = session(server, reader).post("/v2/rulesets", {"name": "nope"})
    assert r.status_code == 403 and "errors" in r.json()
    rs = session(server, owner).post("/v2/rulesets", {"name": "durable"}).json()
    server.kill9()
    server.start()
    assert session(server, owner).get("/v2/rulesets/" + rs["id"]).json()["name"] == "durable"


def test_dismiss_by_ids_and_by_query_then_undismiss(server, tmp_path):
    creds = make_user(server)
    lines = [alert_line(i, "2024-01-01T00:00:%02dZ" % i, rule="rule-b" if i % 2 else "rule-a") for i in range(20)]
    f = tmp_path / "alerts.jsonl"
    f.write_text("\n".join(lines))
    server.admin("import", "--org", "Acme", str(f))
    s = session(server, creds)
    r = s.post("/v2/alerts/dismiss", {"ids": ["alert-000001", "alert-000002"], "dismissReason": "OTHER",
                                      "dismissReasonText": "test noise"})
    assert r.status_code == 200 and r.json() == {}
    a = s.get("/v2/alerts/alert-000001").json()
    assert a["isDismissed"] is True and a["dismissReason"] == "OTHER" and a["dismissReasonText"] == "test noise"
    assert a["dismissedBy"] == creds["user_id"] and a["dismissedAt"].endswith("Z")
    # by query: ruleID (capital ID in this body) within a window
    r = s.post("/v2/alerts/dismiss", {"from": "2024-01-01T00:00:00Z", "until": "2024-01-01T00:00:09Z",
                                      "ruleID": "rule-b", "dismissReason": "MAINTENANCE"})
    assert r.status_code == 200, r.text
    dismissed = {x["id"] for x in s.get("/v2/alerts?status=dismissed").json()["alerts"]}
    assert dismissed == {"alert-000001", "alert-000002", "alert-000003", "alert-000005", "alert-000007", "alert-000009"}
    assert len(s.get("/v2/alerts").json()["alerts"]) == 14
    # validation: nothing changes on a bad request
    assert s.post("/v2/alerts/dismiss", {"ids": ["alert-000004"], "dismissReason": "BORED"}).status_code == 400
    assert s.post("/v2/alerts/dismiss", {"from": "2024-01-01", "until": "2024-01-02", "dismissReason": "OTHER"}).status_code == 400
    missing = s.post("/v2/alerts/dismiss", {"ids": ["alert-000004", "nope"], "dismissReason": "OTHER"})
    assert missing.status_code == 404
    assert s.get("/v2/alerts/alert-000004").json()["isDismissed"] is False  # all or nothing
    assert s.post("/v2/alerts/undismiss", {"ids": ["alert-000001"]}).status_code == 200
    a = s.get("/v2/alerts/alert-000001").json()
    assert a["isDismissed"] is False and a["dismissReason"] is None


def vuln_line(cve, agents, notices=(), package="openssl 1.0.2k", created="2024-02-01T00:00:00Z"):
    return json.dumps({"kind": "vulnerability", "data": {
        "cveNumber": cve, "reportedPackage": package, "systemPackage": package + "-1.amzn2.x86_64",
        "vectorType": "network", "severity": "high", "isSuppressed": False, "securityNotices": list(notices),
        "agents": [{"agentId": a, "hostname": "host-" + a} for a in agents], "createdAt": created}})


def test_vulnerabilities_and_suppressions(server, tmp_path):
    creds = make_user(server)
    lines = [vuln_line("CVE-2024-%05d" % i, ["a1"] if i % 2 else ["a1", "a2"], ["ALAS-1"] if i < 5 else (),
                       created="2024-02-01T00:%02d:%02dZ" % (i // 60, i % 60)) for i in range(150)]
    lines.append(vuln_line("CVE-2018-19932", ["a3"], package="binutils 2.25.1"))
    f = tmp_path / "v.jsonl"
    f.write_text("\n".join(lines))
    assert server.admin("import", "--org", "Acme", str(f))["vulnerabilities"] == 151
    s = session(server, creds)
    page = s.get("/v2/vulnerabilities?status=active").json()
    assert list(page) == ["cves", "token"] and len(page["cves"]) == 100 and page["token"]
    rest = s.get("/v2/vulnerabilities?token=" + page["token"]).json()  # token only
    assert len(rest["cves"]) == 51 and rest["token"] is None
    assert len({c["cveNumber"] for c in page["cves"] + rest["cves"]}) == 151
    a2 = s.get("/v2/vulnerabilities?agentId=a2").json()["cves"]
    assert len(a2) == 75 and all(any(x["agentId"] == "a2" for x in c["agents"]) for c in a2)
    assert len(s.get("/v2/vulnerabilities?hasSecurityNotices=true").json()["cves"]) == 5
    one = s.get("/v2/vulnerabilities/CVE-2018-19932").json()
    assert one["reportedPackage"] == "binutils 2.25.1" and one["isSuppressed"] is False
    assert s.get("/v2/vulnerabilities/CVE-2018-19932/servers").json() == {
        "servers": [{"agentId": "a3", "hostname": "host-a3"}], "token": None}
    assert [c["cveNumber"] for c in s.get("/v2/vulnerabilities/package/binutils").json()["cves"]] == ["CVE-2018-19932"]
    assert s.get("/v2/vulnerabilities/CVE-1999-00001").status_code == 404
    # suppress: the CVE leaves status=active and says isSuppressed; removing brings it back
    sup = s.post("/v2/vulnerabilities/suppressions", {"cveNumber": "CVE-2018-19932", "reason": "not exposed"})
    assert sup.status_code == 200, sup.text
    assert s.get("/v2/vulnerabilities/CVE-2018-19932").json()["isSuppressed"] is True
    assert [c["cveNumber"] for c in s.get("/v2/vulnerabilities?status=suppressed").json()["cves"]] == ["CVE-2018-19932"]
    assert s.get("/v2/vulnerabilities/suppressions").json()["suppressions"][0]["cveNumber"] == "CVE-2018-19932"
    assert s.post("/v2/vulnerabilities/suppressions", {"cveNumber": "nope"}).status_code == 400
    assert s.delete("/v2/vulnerabilities/suppressions/" + sup.json()["id"]).status_code == 200
    assert s.get("/v2/vulnerabilities/CVE-2018-19932").json()["isSuppressed"] is False


def test_members_invites_and_audit_logs(server):
    owner = make_user(server, role="owner")
    other = server.admin("user", "create", "--org", "Acme", "--role", "user", "--email", "u@acme.example")
    server.admin("org", "create", "Beta")
    outsider = server.admin("user", "create", "--org", "Beta", "--role", "owner", "--email", "x@beta.example")
    s = session(server, owner)
    members = s.get("/v2/organizations/members").json()
    assert list(members) == ["members"]
    me = [m for m in members["members"] if m["id"] == owner["user_id"]][0]
    assert me["role"] == "owner" and me["email"] == "soc@acme.example" and me["lastAuthenticatedAt"] > 0
    # only owners manage members
    assert session(server, other).post("/v2/organizations/members", {"role": "reader", "id": outsider["user_id"]}).status_code == 403
    added = s.post("/v2/organizations/members", {"role": "reader", "id": outsider["user_id"]})
    assert added.status_code == 200 and added.json()["role"] == "reader"
    # the outsider now reads Acme (and cannot write there)
    ext = dict(outsider, org_id=owner["org_id"])
    assert session(server, ext).get("/v2/rulesets").status_code == 200
    assert session(server, ext).post("/v2/rulesets", {"name": "x"}).status_code == 403
    assert s.delete("/v2/organizations/members/" + outsider["user_id"]).status_code == 204
    assert session(server, ext).get("/v2/rulesets").status_code == 403
    last = s.delete("/v2/organizations/members/" + owner["user_id"])
    assert last.status_code == 400  # the last owner stays
    for method in ("post", "put"):
        inv = getattr(s, method)("/v2/organizations/invites", {"role": "user", "email": "new@acme.example"})
        assert inv.status_code == 200 and inv.json() == {"sentToEmail": "new@acme.example", "role": "user", "status": "pending"}
    assert s.post("/v2/organizations/invites", {"role": "admin", "email": "new@acme.example"}).status_code == 400
    for i in range(55):
        assert s.post("/v2/rulesets", {"name": "rs%d" % i}).status_code == 200
    first = s.get("/v2/auditlogs?from=2020-01-01&until=2099-01-01").json()
    assert list(first) == ["recs", "token"] and len(first["recs"]) == 50 and first["token"]
    rec = first["recs"][0]
    assert set(rec) == {"id", "userEmail", "userId", "organizationId", "result", "crud", "action", "source",
                        "description", "eventTime", "context"}
    assert rec["action"] == "ruleset.create" and rec["organizationId"] == owner["org_id"]
    second = s.get("/v2/auditlogs?token=" + first["token"]).json()  # token only, as pullers send it
    actions = [r["action"] for r in first["recs"] + second["recs"]]
    assert second["token"] is None and len(actions) == 55 + 4
    # Newest first, also among records of the same millisecond (the test clock stands still).
    assert actions == ["ruleset.create"] * 55 + ["organization.invite"] * 2 + [
        "organization.member.delete", "organization.member.put"]
    assert {"organization.member.put", "organization.member.delete", "organization.invite"} <= set(actions)
    assert session(server, outsider).get("/v2/auditlogs").json() == {"recs": [], "token": None}
