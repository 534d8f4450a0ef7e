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
    assert upd.status_code == 400 and upd.json() == {"errors": [
        "Validation failed: body has invalid ruleIds value.  Rule not-a-rule is not in this ruleset "
        "(add rules with POST /v2/rulesets/{id}/rules)."]}
    assert s.get("/v2/rulesets/" + rs["id"]).json()["rules"] == [rule["id"]]  # unchanged
    # alertDescription is optional on PUT and POST (the Terraform provider omits an empty one): the
    # rule's name stands in; an explicit one outside 1-300 characters gets the reference's message
    no_desc = {k: v for k, v in RULE.items() if k != "alertDescription"}
    put = s.put("/v2/rulesets/%s/rules/%s" % (rs["id"], rule["id"]), no_desc)
    assert put.status_code == 200 and put.json()["alertDescription"] == RULE["name"], put.text
    posted = s.post("/v2/rulesets/%s/rules" % rs["id"], dict(no_desc, name="no description"))
    assert posted.status_code == 200 and posted.json()["alertDescription"] == "no description", posted.text
    assert s.delete("/v2/rulesets/%s/rules/%s" % (rs["id"], posted.json()["id"])).status_code == 200
    bad = s.put("/v2/rulesets/%s/rules/%s" % (rs["id"], rule["id"]), dict(RULE, alertDescription=""))
    assert bad.status_code == 400
    assert bad.json() == {"errors": ["Validation failed: body has invalid alertDescription value.  "
                                     "Must be between 1 and 300 characters long."]}
    r = s.post("/v2/rulesets/%s/rules" % rs["id"], dict(RULE, type="Mainframe"))
    assert r.status_code == 400 and r.json() == {"errors": [
        "Validation failed: body has invalid type value.  Must be one of Host, File, CloudTrail, ThreatIntel, "
        "Winsec, KubernetesAudit, KubernetesConfig."]}
    r = s.post("/v2/rulesets/%s/rules" % rs["id"], dict(RULE, alertDescription="x" * 301))
    assert r.status_code == 400 and r.json() == bad.json()
    # A filter or suppression that does not parse is refused at save, naming the column.
    r = s.post("/v2/rulesets/%s/rules" % rs["id"], dict(RULE, filter="command = 'sudo' and"))
    assert r.status_code == 400 and r.json() == {"errors": [
        "Validation failed: body has invalid filter value.  filter: column 21: expected a key, found the end of "
        "the filter."]}
    r = s.post("/v2/rulesets/%s/rules" % rs["id"], dict(RULE, suppressions=["user = 'ok'", "user ! 'x'"]))
    assert r.status_code == 400 and "suppression 2: filter: column 6:" in r.json()["errors"][0]
    assert [x["id"] for x in s.get("/v2/rulesets/%s/rules" % rs["id"]).json()["rules"]] == [rule["id"]]
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
    assert [r["name"] for r in session(server, other).get("/v2/rulesets").json()["rulesets"]] == ["Base Rule Set"]  # its own only


def test_readers_cannot_write_and_writes_survive_kill9(server):
    owner = make_user(server, role="owner")
    reader = server.admin("user", "create", "--org", "Acme", "--role", "reader", "--email", "r@acme.example")
    r = session(server, reader).post("/v2/rulesets", {"name": "nope"})
    assert r.status_code == 403 and r.json() == {"errors": ["readers cannot make changes"]}
    assert [r["name"] for r in session(server, reader).get("/v2/rulesets").json()["rulesets"]] == ["Base Rule Set"]  # its own only
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
    r = s.post("/v2/alerts/dismiss", {"ids": ["alert-000004"], "dismissReason": "BORED"})
    assert r.status_code == 400 and r.json() == {"errors": [
        "Validation failed: body has invalid dismissReason value.  Must be one of BUSINESS_OP, COMPANY_POLICY, "
        "MAINTENANCE, OTHER."]}
    r = s.post("/v2/alerts/dismiss", {"from": "2024-01-01", "until": "2024-01-02", "dismissReason": "OTHER"})
    assert r.status_code == 400 and r.json() == {"errors": ["dismiss by query needs severity, ruleID or agentID"]}
    missing = s.post("/v2/alerts/dismiss", {"ids": ["alert-000004", "nope"], "dismissReason": "OTHER"})
    assert missing.status_code == 404 and missing.json() == {"errors": ["Alert not found: nope"]}
    assert s.get("/v2/alerts/alert-000004").json()["isDismissed"] is False  # all or nothing
    assert len(s.get("/v2/alerts?status=dismissed").json()["alerts"]) == 6
    r = s.post("/v2/alerts/undismiss", {"ids": ["alert-000001"]})
    assert r.status_code == 200 and r.json() == {}
    a = s.get("/v2/alerts/alert-000001").json()
    assert a["isDismissed"] is False and a["dismissReason"] is None
    assert a["dismissedAt"] is None and a["dismissedBy"] is None and a["dismissReasonText"] is None
    assert "alert-000001" in {x["id"] for x in s.get("/v2/alerts").json()["alerts"]}


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
    r = s.post("/v2/vulnerabilities/suppressions", {"cveNumber": "nope"})
    assert r.status_code == 400 and r.json() == {"errors": [
        "Validation failed: body has invalid cveNumber value.  Must look like CVE-2018-19932."]}
    assert len(s.get("/v2/vulnerabilities/suppressions").json()["suppressions"]) == 1
    r = s.delete("/v2/vulnerabilities/suppressions/" + sup.json()["id"])
    assert r.status_code == 200 and r.json() == {}
    assert s.get("/v2/vulnerabilities/suppressions").json() == {"suppressions": [], "token": None}
    assert s.get("/v2/vulnerabilities/CVE-2018-19932").json()["isSuppressed"] is False


def roles(s):
    return {m["id"]: m["role"] for m in s.get("/v2/organizations/members").json()["members"]}


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
    r = session(server, other).post("/v2/organizations/members", {"role": "reader", "id": outsider["user_id"]})
    assert r.status_code == 403 and r.json() == {"errors": ["only owners of the organization can change its members"]}
    assert outsider["user_id"] not in {m["id"] for m in s.get("/v2/organizations/members").json()["members"]}
    # a user of another organization only, and an unknown id, get the same 404: nothing is shown
    for unknown in (outsider["user_id"], "0" * 24, "nope"):
        r = s.post("/v2/organizations/members", {"role": "reader", "id": unknown})
        assert r.status_code == 404 and r.json() == {"errors": ["Not Found"]}, r.text
        assert "beta" not in r.text
    # once the two share an organization (an operator's doing), the owner may add the user
    server.admin("org", "create", "Shared")
    for who in (owner, outsider):
        server.admin("user", "add-to-org", "--user", who["user_id"], "--org", "Shared", "--role", "user")
    added = s.post("/v2/organizations/members", {"role": "reader", "id": outsider["user_id"]})
    assert added.status_code == 200 and added.json()["role"] == "reader" and added.json()["id"] == outsider["user_id"]
    assert roles(s) == {owner["user_id"]: "owner", other["user_id"]: "user", outsider["user_id"]: "reader"}
    # the outsider now reads Acme (and cannot write there)
    ext = dict(outsider, org_id=owner["org_id"])
    assert [r["name"] for r in session(server, ext).get("/v2/rulesets").json()["rulesets"]] == ["Base Rule Set"]  # its own only
    r = session(server, ext).post("/v2/rulesets", {"name": "x"})
    assert r.status_code == 403 and r.json() == {"errors": ["readers cannot make changes"]}
    gone = s.delete("/v2/organizations/members/" + outsider["user_id"])
    assert gone.status_code == 204 and gone.content == b""
    assert roles(s) == {owner["user_id"]: "owner", other["user_id"]: "user"}
    r = session(server, ext).get("/v2/rulesets")
    assert r.status_code == 403 and r.json() == {"errors": ["not a member of organization " + owner["org_id"]]}
    # The last owner can be neither removed nor demoted, and stays an owner.
    one_owner = {"errors": ["an organization needs at least one owner"]}
    last = s.delete("/v2/organizations/members/" + owner["user_id"])
    assert last.status_code == 400 and last.json() == one_owner
    demote = s.post("/v2/organizations/members", {"role": "user", "id": owner["user_id"]})
    assert demote.status_code == 400 and demote.json() == one_owner
    assert roles(s) == {owner["user_id"]: "owner", other["user_id"]: "user"}
    for method in ("post", "put"):
        inv = getattr(s, method)("/v2/organizations/invites", {"role": "user", "email": "new@acme.example"})
        assert inv.status_code == 200 and inv.json() == {"sentToEmail": "new@acme.example", "role": "user", "status": "pending"}
    r = s.post("/v2/organizations/invites", {"role": "admin", "email": "new@acme.example"})
    assert r.status_code == 400 and r.json() == {"errors": [
        "Validation failed: body has invalid role value.  Must be one of owner, user, reader."]}
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


def test_deleting_a_ruleset_removes_its_rules_and_their_tags(server):
    creds = make_user(server, role="owner")
    s = session(server, creds)
    doomed, kept = (s.post("/v2/rulesets", {"name": n}).json()["id"] for n in ("doomed", "kept"))
    tags = {"inclusion": [{"source": "ec2", "key": "Environment", "value": "production"}], "exclusion": []}
    rules = {}
    for rs, n in ((doomed, 2), (kept, 1)):
        rules[rs] = [s.post("/v2/rulesets/%s/rules" % rs, dict(RULE, name="r%d" % i)).json()["id"] for i in range(n)]
        for rule in rules[rs]:
            assert s.post("/v2/rules/%s/tags" % rule, tags).json() == tags
    assert s.delete("/v2/rulesets/" + doomed).json() == {"server_ids": []}
    gone = {"errors": ["Ruleset not found: " + doomed]}
    assert s.get("/v2/rulesets/" + doomed).json() == gone
    r = s.get("/v2/rulesets/%s/rules" % doomed)
    assert r.status_code == 404 and r.json() == gone
    for rule in rules[doomed]:
        r = s.get("/v2/rulesets/%s/rules/%s" % (doomed, rule))
        assert r.status_code == 404 and r.json() == gone
        # The rule itself is gone (its tags are reached through the rule alone, not the ruleset).
        for r in (s.get("/v2/rules/%s/tags" % rule), s.post("/v2/rules/%s/tags" % rule, tags)):
            assert r.status_code == 404 and r.json() == {"errors": ["Rule not found: " + rule]}
    # The other ruleset keeps its rule and tags.
    assert [x["id"] for x in s.get("/v2/rulesets/%s/rules" % kept).json()["rules"]] == rules[kept]
    assert s.get("/v2/rules/%s/tags" % rules[kept][0]).json() == tags
    assert [x["id"] for x in s.get("/v2/rulesets").json()["rulesets"] if x["name"] != "Base Rule Set"] == [kept]
    rec = s.get("/v2/auditlogs").json()["recs"][0]
    assert rec["action"] == "ruleset.delete" and rec["context"]["rulesetId"] == doomed
    assert sorted(rec["context"]["ruleIds"]) == sorted(rules[doomed])
