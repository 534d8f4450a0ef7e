"""The Threat Stack surface with the reference Hawk client (@hapi/hawk 8.0.0, run by node):
signatures, Server-Authorization, replay, stale timestamps, organizations, rate limits."""
import json
import os
import subprocess

import requests
from urllib.parse import urlsplit

from conftest import Server
from hawk_py import server_now_s
from v2_data import DAY, SECOND, alert, import_records, newest_first, server_ms, tie_groups

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "..", "hawk_client", "request.js")


def hawk(url, creds, method="GET", **extra):
    """One request (or walk) by the reference client, signed with the server's clock unless the
    caller gives a `timestamp` (the test servers' clocks stand still: see hawk_py.server_now_s)."""
    if "timestamp" not in extra:
        u = urlsplit(url)
        extra["timestamp"] = server_now_s("%s://%s" % (u.scheme, u.netloc))
    spec = {"url": url, "method": method, "id": creds["user_id"], "key": creds["api_key"],
            "ext": creds["org_id"], **extra}
    out = subprocess.run(["node", CLIENT, json.dumps(spec)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)


def make_user(server, role="user", org="Acme", email="soc@acme.example"):
    server.admin("org", "create", org, check=False)
    return server.admin("user", "create", "--org", org, "--role", role, "--email", email)


def test_self_test_with_reference_client(server):
    creds = make_user(server)
    r = hawk(server.url + "/help/hawk/self-test", creds)
    assert r["status"] == 200, r
    assert json.loads(r["body"]) == {"authenticated": True}
    assert r["verified"] is True, r  # the client checked Server-Authorization's mac and hash
    assert r["headers"]["content-type"] == "application/json"
    assert "server-authorization" in r["headers"]
    for h in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
        assert h in r["headers"]
    # query strings are signed as received
    r = hawk(server.url + "/help/hawk/self-test?b=2&a=1&x=%20y", creds)
    assert r["status"] == 200 and r["verified"] is True


def test_rejections(server):
    creds = make_user(server)
    url = server.url + "/help/hawk/self-test"
    bad = dict(creds, api_key="x" * 40)
    r = hawk(url, bad)
    assert r["status"] == 401 and r["headers"]["www-authenticate"] == 'Hawk error="Bad mac"'
    assert json.loads(r["body"]) == {"errors": ["Bad mac"]}
    r = hawk(url, dict(creds, user_id="0" * 24))
    assert r["status"] == 401 and json.loads(r["body"]) == {"errors": ["Unknown credentials"]}
    r = hawk(url, creds, nonce="abc123", repeat=True)
    assert r["status"] == 401 and json.loads(r["body"]) == {"errors": ["Invalid nonce"]}
    # stale: the client validates the server's signed time (tsm) before believing it
    r = hawk(url, creds, timestamp=server_now_s(server.url) - 3600)
    assert r["status"] == 401 and "Stale timestamp" in r["headers"]["www-authenticate"]
    assert r["verified"] is True, r
    r = requests.get(url)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Hawk"
    r = requests.get(url, headers={"Authorization": 'Hawk id="a"'})
    assert r.status_code == 400 and r.json() == {"errors": ["Missing attributes"]}


def test_organizations_and_roles(server):
    creds = make_user(server)
    other = server.admin("org", "create", "Other")
    r = hawk(server.url + "/help/hawk/self-test", dict(creds, org_id=other["id"]))
    assert r["status"] == 403 and json.loads(r["body"]) == {"errors": ["not a member of organization " + other["id"]]}
    r = hawk(server.url + "/help/hawk/self-test", dict(creds, org_id=""))
    assert r["status"] == 403
    assert json.loads(r["body"]) == {"errors": ["the Hawk ext attribute must carry the organization id"]}


def test_unknown_v2_route_is_404_errors(server):
    r = requests.get(server.url + "/v2/nothing-here")
    assert r.status_code == 404 and r.json() == {"errors": ["Not Found"]}
    assert "x-rate-limit-remaining" in r.headers


def test_rate_limits_exact_at_the_boundary(tmp_path):
    s = Server(tmp_path / "d", ["--rate-limit-org-per-min", "5", "--rate-limit-ip-per-min", "8",
                                "--rate-limit-ip-lockout-s", "900"]).start()
    creds = make_user(s)
    url = s.url + "/help/hawk/self-test"
    statuses = [hawk(url, creds)["status"] for _ in range(6)]
    assert statuses == [200] * 5 + [429]  # request 6 of 5/min is the first refusal
    r = requests.get(url)  # 7th request from this IP: org limit does not apply (no auth yet)
    assert r.status_code == 401 and r.headers["x-rate-limit-remaining"] == "1"
    requests.get(url)  # 8th: the last one the IP may make
    r = requests.get(url)  # 9th: over the IP limit -> locked out
    assert r.status_code == 429
    assert r.headers["Content-Type"] == "text/plain" and int(r.headers["x-rate-limit-reset"]) == 900000
    assert int(r.headers["Retry-After"]) == 900
    s.advance_clock(60)  # a new minute does not end the IP lockout
    assert requests.get(url).status_code == 429
    s.advance_clock(900)
    assert requests.get(url).status_code == 401  # lockout over; back to normal handling
    s.stop()


def test_agents_import_list_paginate_and_get(server, tmp_path):
    creds = make_user(server)
    lines = []
    for i in range(150):
        lines.append(json.dumps({"kind": "agent", "data": {
            "id": "agent-%03d" % i, "status": "online" if i < 120 else "offline",
            "createdAt": "2024-01-01T00:%02d:%02d.000Z" % (i // 60, i % 60), "hostname": "host-%d" % i,
            "agentType": "investigate", "ipAddresses": {"private": ["10.0.0.%d/24" % i], "link_local": [], "public": []}}}))
    f = tmp_path / "agents.jsonl"
    f.write_text("\n".join(lines) + "\n")
    assert server.admin("import", "--org", "Acme", str(f)) == {"agents": 150, "alerts": 0, "vulnerabilities": 0}
    url = server.url + "/v2/agents"
    first = hawk(url, creds)
    assert first["status"] == 200 and first["verified"] is True, first
    page = json.loads(first["body"])
    assert list(page) == ["agents", "token"] and len(page["agents"]) == 100
    assert page["agents"][0]["id"] == "agent-119"  # newest first
    # the token alone continues the same query (status=online), appended raw as clients do
    second = json.loads(hawk(url + "?token=" + page["token"], creds)["body"])
    assert len(second["agents"]) == 20 and second["token"] is None
    ids = [a["id"] for a in page["agents"] + second["agents"]]
    assert len(set(ids)) == 120
    offline = json.loads(hawk(url + "?status=offline", creds)["body"])
    assert len(offline["agents"]) == 30 and offline["token"] is None
    one = hawk(url + "/agent-007", creds)
    assert one["status"] == 200 and json.loads(one["body"])["hostname"] == "host-7"
    missing = hawk(url + "/nope", creds)
    assert missing["status"] == 404 and json.loads(missing["body"]) == {"errors": ["Agent not found"]}
    bad = hawk(url + "?token=garbage", creds)
    assert bad["status"] == 400 and json.loads(bad["body"]) == {"errors": ["invalid pagination token"]}
    # another organization sees none of them
    server.admin("org", "create", "Other")
    other = server.admin("user", "create", "--org", "Other", "--role", "user", "--email", "x@other.example")
    assert json.loads(hawk(url, other)["body"]) == {"agents": [], "token": None}
    assert hawk(url + "/agent-007", other)["status"] == 404


def test_import_is_all_or_nothing(server, tmp_path):
    creds = make_user(server)
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps({"kind": "agent", "data": {"id": "a1", "status": "online", "createdAt": "2024-01-01"}}) +
                 "\n" + json.dumps({"kind": "agent", "data": {"id": "a2", "status": "sleepy", "createdAt": "2024-01-01"}}))
    out = server.admin("import", "--org", "Acme", str(f), check=False)
    assert out.returncode == 1 and "line 2" in out.stderr
    assert hawk(server.url + "/v2/agents/a1", creds)["status"] == 404  # line 1 was not applied either


def alert_line(i, created, severity=None, rule="rule-a", agent="agent-1", dismissed=False):
    return json.dumps({"kind": "alert", "data": {
        "id": "alert-%06d" % i, "title": "Alert %d" % i, "dataSource": "auditd", "createdAt": created,
        "isDismissed": dismissed, "severity": severity or (i % 3) + 1, "agentId": agent, "ruleId": rule,
        "rulesetId": "rs-1", "aggregates": [], "events": [{"n": i}]}})


def test_alerts_filters_counts_events(server, tmp_path):
    creds = make_user(server)
    lines = [alert_line(i, "2024-01-01T00:00:%02dZ" % i, rule="rule-b" if i % 2 else "rule-a") for i in range(30)]
    lines.append(alert_line(99, "2024-01-02T00:00:00Z", severity=1, dismissed=True))
    f = tmp_path / "alerts.jsonl"
    f.write_text("\n".join(lines))
    assert server.admin("import", "--org", "Acme", str(f)) == {"agents": 0, "alerts": 31, "vulnerabilities": 0}
    base = server.url + "/v2/alerts"
    page = json.loads(hawk(base, creds)["body"])
    assert list(page) == ["alerts", "token"] and len(page["alerts"]) == 30 and page["token"] is None
    assert page["alerts"][0]["id"] == "alert-000029"
    sev2 = json.loads(hawk(base + "?severity=2", creds)["body"])["alerts"]
    assert len(sev2) == 10 and all(a["severity"] == 2 for a in sev2)
    rule_b = json.loads(hawk(base + "?ruleId=rule-b&from=2024-01-01T00:00:10&until=2024-01-01T00%3A00%3A19Z", creds)["body"])
    assert [a["id"] for a in rule_b["alerts"]] == ["alert-%06d" % i for i in (19, 17, 15, 13, 11)]
    dismissed = json.loads(hawk(base + "?status=dismissed", creds)["body"])["alerts"]
    assert [a["id"] for a in dismissed] == ["alert-000099"] and dismissed[0]["isDismissed"] is True
    counts = json.loads(hawk(base + "/severity-counts", creds)["body"])
    assert counts == {"severityCounts": [{"severity": 1, "count": 10}, {"severity": 2, "count": 10},
                                         {"severity": 3, "count": 10}]}
    events = hawk(base + "/alert-000007/events", creds)
    assert json.loads(events["body"]) == {"events": [{"n": 7}]} and events["verified"] is True
    assert json.loads(hawk(base + "/alert-000007", creds)["body"])["title"] == "Alert 7"
    for bad in ("?severity=4", "?from=yesterday", "?from=2024-02-01&until=2024-01-01", "?status=open"):
        r = hawk(base + bad, creds)
        assert r["status"] == 400 and "errors" in json.loads(r["body"]), bad
    assert hawk(base + "/nope", creds)["status"] == 404


def test_pagination_walk_while_another_client_inserts(server, tmp_path):
    """Deterministic interleaving: page 1, then another client imports, then the walk goes on. The
    token is a keyset cursor (createdAt, id) and the order is newest first, so what was inserted
    ahead of the cursor is not listed and what was inserted behind it is, once; nothing repeats or
    is skipped (an offset-based continuation would repeat the last records of page 1)."""
    creds = make_user(server)
    now = server_ms(server)
    alerts = tie_groups(now, "alert-")  # ties straddle both page boundaries
    import_records(server, tmp_path, [alert(i, t) for i, t in alerts])
    url = server.url + "/v2/alerts?status=active"
    first = hawk(url, creds)
    assert first["status"] == 200 and first["verified"] is True, first
    page1 = json.loads(first["body"])
    order = [i for i, _ in newest_first(alerts)]
    assert [a["id"] for a in page1["alerts"]] == order[:100]
    cursor_id = order[99]
    cursor_ms = dict(alerts)[cursor_id]
    assert cursor_ms == dict(alerts)[order[100]]  # the cursor sits inside a tie group
    ahead = [("new-newest", now), ("new-before-cursor", now - DAY + 2 * SECOND), (cursor_id + "z", cursor_ms)]
    behind = [(cursor_id[:-1] + chr(ord(cursor_id[-1]) - 1) + "z", cursor_ms), ("new-oldest", now - 2 * DAY)]
    import_records(server, tmp_path, [alert(i, t) for i, t in ahead + behind], name="insert.jsonl")
    rest = hawk(url, creds, walk="alerts", token=page1["token"])
    assert rest["status"] == 200 and rest["verified"] is True, rest
    seen = [a["id"] for a in page1["alerts"]] + rest["ids"]
    assert len(seen) == len(set(seen)), "an id repeats"
    expected_rest = [i for i, t in newest_first(alerts + behind) if (t, i) < (cursor_ms, cursor_id)]
    assert rest["ids"] == expected_rest  # the originals after the cursor and the two inserted behind it
    assert {i for i, _ in behind} <= set(rest["ids"]) and not {i for i, _ in ahead} & set(seen)
    assert set(seen) == {i for i, _ in alerts + behind}
    # A new walk lists everything, the records inserted ahead of the old cursor included.
    fresh = hawk(url, creds, walk="alerts")
    assert fresh["ids"] == [i for i, _ in newest_first(alerts + ahead + behind)]


def test_x_forwarded_for_only_from_trusted_proxies(tmp_path):
    url_path = "/v2/anything"
    for trusted, expect_b in (("127.0.0.1", 404), ("", 429)):
        args = ["--rate-limit-ip-per-min", "2"] + (["--trusted-proxies", trusted] if trusted else [])
        s = Server(tmp_path / ("d" + trusted), args).start()
        for _ in range(3):
            requests.get(s.url + url_path, headers={"X-Forwarded-For": "198.51.100.1"})
        a = requests.get(s.url + url_path, headers={"X-Forwarded-For": "198.51.100.1"})
        b = requests.get(s.url + url_path, headers={"X-Forwarded-For": "198.51.100.2"})
        assert a.status_code == 429
        assert b.status_code == expect_b, trusted  # behind a trusted proxy, B is a different client
        s.stop()


def test_first_start_demo_organization_is_populated(tmp_path):
    from conftest import Server
    server = Server(str(tmp_path / "d"), demo=True).start()
    creds = server.demo_hawk
    assert creds and len(creds["user_id"]) == 24 and len(creds["api_key"]) == 40
    agents = json.loads(hawk(server.url + "/v2/agents", creds)["body"])
    assert len(agents["agents"]) == 4 and agents["token"] is None  # the fifth demo agent is offline
    alerts = json.loads(hawk(server.url + "/v2/alerts", creds)["body"])
    assert len(alerts["alerts"]) == 21  # 24 demo alerts, 3 of them dismissed
    assert os.stat(os.path.join(server.data_dir, "rampart.db")).st_mode & 0o077 == 0
