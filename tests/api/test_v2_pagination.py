"""Keyset pagination of every token-paginated v2 collection (agents, alerts, vulnerabilities,
vulnerabilities by package, audit logs): records that share createdAt across a page boundary are
listed exactly once, newest first by (createdAt, id); tokens carry their query's filters."""
from v2_data import DAY, SECOND, agent, alert, import_records, iso, newest_first, owner, server_ms, tie_groups, vuln, walk

MISMATCH = {"errors": ["query parameters do not match the pagination token"]}


def check_walk(ids, pages, expected, sizes, what):
    assert [len(p[list(p)[0]]) for p in pages] == sizes, what
    assert len(ids) == len(set(ids)), "%s: an id repeats" % what
    assert set(ids) == {i for i, _ in expected}, "%s: ids skipped" % what
    assert ids == [i for i, _ in newest_first(expected)], "%s: not newest first by (createdAt, id)" % what


def test_ties_on_page_boundaries_agents_alerts_vulnerabilities(server, tmp_path):
    creds, s = owner(server)
    now = server_ms(server)
    agents = tie_groups(now, "agent-")
    alerts = tie_groups(now, "alert-")
    cves = tie_groups(now, "CVE-2000-", "%s%05d")
    records = [agent(i, t) for i, t in agents] + [agent("off-%d" % i, now - DAY, "offline") for i in range(3)]
    records += [alert(i, t) for i, t in alerts] + [alert("dismissed-1", now - DAY + SECOND, dismissed=True)]
    records += [vuln(c, t) for c, t in cves] + [vuln("CVE-2000-99999", now - DAY + SECOND, package="bash 4.2")]
    assert import_records(server, tmp_path, records) == {"agents": 253, "alerts": 251, "vulnerabilities": 251}
    # The data straddles the boundaries: the last of page 1 and the first of page 2 share createdAt.
    ordered = newest_first(alerts)
    assert ordered[99][1] == ordered[100][1] and ordered[199][1] == ordered[200][1]

    ids, pages = walk(s, "/v2/agents", "agents")
    check_walk(ids, pages, agents, [100, 100, 50], "agents")
    ids, pages = walk(s, "/v2/alerts", "alerts")
    check_walk(ids, pages, alerts, [100, 100, 50], "alerts")
    ids, pages = walk(s, "/v2/vulnerabilities", "cves")
    check_walk(ids, pages, cves + [("CVE-2000-99999", now - DAY + SECOND)], [100, 100, 51], "vulnerabilities")
    ids, pages = walk(s, "/v2/vulnerabilities/package/openssl", "cves")
    check_walk(ids, pages, cves, [100, 100, 50], "vulnerabilities by package")
    # Bounded by from and until, both exactly on a tie group (inclusive: both groups whole, 220).
    two = [(i, t) for i, t in alerts if t != now - DAY + 3 * SECOND]
    ids, pages = walk(s, "/v2/alerts?from=%s&until=%s" % (iso(now - DAY + SECOND), iso(now - DAY + 2 * SECOND)),
                      "alerts")
    check_walk(ids, pages, two, [100, 100, 20], "alerts from/until")


def test_ties_on_page_boundaries_audit_logs(server):
    creds, s = owner(server)
    # The test clock stands still: 45 records in one millisecond, then 15 a second later. Page 1
    # holds the 15 and 35 of the 45; page 2 the other 10 (50 per page).
    for i in range(60):
        if i == 45:
            server.advance_clock(1)
        r = s.post("/v2/rulesets", {"name": "rs%d" % i})
        assert r.status_code == 200, r.text
    ids, pages = walk(s, "/v2/auditlogs", "recs")
    recs = [r for p in pages for r in p["recs"]]
    assert [len(p["recs"]) for p in pages] == [50, 10]
    assert len(set(ids)) == 60 and {r["action"] for r in recs} == {"ruleset.create"}
    assert pages[0]["recs"][-1]["eventTime"] == pages[1]["recs"][0]["eventTime"]  # a tie on the boundary
    assert [r["description"] for r in recs[:15]] == ["Created ruleset rs%d" % i for i in range(59, 44, -1)]
    assert ids == [i for i, _ in newest_first([(r["id"], r["eventTime"]) for r in recs])]
    assert {r["description"] for r in recs} == {"Created ruleset rs%d" % i for i in range(60)}


def test_tokens_carry_their_filters(server, tmp_path):
    creds, s = owner(server)
    now = server_ms(server)
    records = [alert("s2-%03d" % i, now - i * SECOND, severity=2) for i in range(150)]
    records += [alert("s1-%03d" % i, now - i * SECOND, severity=1) for i in range(60)]
    records += [agent("off-%03d" % i, now - i * SECOND, "offline") for i in range(120)]
    records += [agent("on-%03d" % i, now - i * SECOND) for i in range(5)]
    records += [vuln("CVE-2000-%05d" % i, now - i * SECOND, agents=("a1", "a2") if i % 2 else ("a1",)) for i in range(210)]
    import_records(server, tmp_path, records)

    # alerts: the token alone continues severity=2; the same filter again agrees; another is 400
    first = s.get("/v2/alerts?severity=2").json()
    assert len(first["alerts"]) == 100 and first["token"]
    rest = s.get("/v2/alerts?token=" + first["token"]).json()
    assert [a["id"] for a in rest["alerts"]] == ["s2-%03d" % i for i in range(100, 150)] and rest["token"] is None
    assert s.get("/v2/alerts?severity=2&token=" + first["token"]).json() == rest
    for contradicting in ("severity=1", "status=dismissed", "ruleId=rule-x", "from=" + iso(now - DAY)):
        r = s.get("/v2/alerts?%s&token=%s" % (contradicting, first["token"]))
        assert r.status_code == 400 and r.json() == MISMATCH, contradicting

    # agents: status=offline is carried; status=online with that token is 400
    first = s.get("/v2/agents?status=offline").json()
    rest = s.get("/v2/agents?token=" + first["token"]).json()
    assert [a["id"] for a in rest["agents"]] == ["off-%03d" % i for i in range(100, 120)]
    assert {a["status"] for a in rest["agents"]} == {"offline"} and rest["token"] is None
    assert s.get("/v2/agents?status=offline&token=" + first["token"]).json() == rest
    r = s.get("/v2/agents?status=online&token=" + first["token"])
    assert r.status_code == 400 and r.json() == {"errors": ["status does not match the pagination token"]}

    # vulnerabilities: agentId=a2 is carried (105 of them); agentId=a1 with that token is 400
    first = s.get("/v2/vulnerabilities?agentId=a2").json()
    rest = s.get("/v2/vulnerabilities?token=" + first["token"]).json()
    assert len(first["cves"]) == 100 and rest["token"] is None
    assert [c["cveNumber"] for c in rest["cves"]] == ["CVE-2000-%05d" % i for i in range(201, 210, 2)]
    for contradicting in ("agentId=a1", "status=suppressed", "hasSecurityNotices=true"):
        r = s.get("/v2/vulnerabilities?%s&token=%s" % (contradicting, first["token"]))
        assert r.status_code == 400 and r.json() == MISMATCH, contradicting

    # audit logs: `from` is carried; another `from` with that token is 400
    for i in range(55):
        assert s.post("/v2/rulesets", {"name": "rs%d" % i}).status_code == 200
    since = iso(now)
    first = s.get("/v2/auditlogs?from=" + since).json()
    rest = s.get("/v2/auditlogs?token=" + first["token"]).json()
    assert len(first["recs"]) + len(rest["recs"]) == 55 and rest["token"] is None
    server.advance_clock(1)
    assert s.post("/v2/rulesets", {"name": "later"}).status_code == 200
    r = s.get("/v2/auditlogs?from=%s&token=%s" % (iso(now + SECOND), first["token"]))
    assert r.status_code == 400 and r.json() == MISMATCH
    # a token from one collection is no token for another
    r = s.get("/v2/alerts?token=" + first["token"])
    assert r.status_code == 400 and r.json() == {"errors": ["invalid pagination token"]}
