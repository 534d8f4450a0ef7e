"""Telemetry for the v2 black-box tests: import lines whose times are relative to the server's
injected clock (never hard-coded dates), and small helpers around them."""
import datetime
import json
import random

from hawk_py import HawkSession

SECOND, MINUTE, HOUR, DAY = 1000, 60 * 1000, 3600 * 1000, 86400 * 1000


def server_ms(server):
    """The server's injected clock, in Unix milliseconds (advancing by 0 moves nothing)."""
    return server.advance_clock(0)["now_ms"]


def iso(ms):
    """Unix milliseconds as the server writes them: 2019-05-01T12:34:56.789Z."""
    t = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def agent(id_, created_ms, status="online"):
    return {"kind": "agent", "data": {"id": id_, "status": status, "createdAt": iso(created_ms),
                                      "hostname": "host-" + id_}}


def alert(id_, created_ms, severity=1, rule="rule-a", agent_id="agent-1", dismissed=False):
    return {"kind": "alert", "data": {"id": id_, "title": "Alert " + id_, "dataSource": "auditd",
                                      "createdAt": iso(created_ms), "isDismissed": dismissed, "severity": severity,
                                      "agentId": agent_id, "ruleId": rule, "rulesetId": "rs-1", "aggregates": [],
                                      "events": [{"id": id_}]}}


def vuln(cve, created_ms, package="openssl 1.0.2k", agents=("a1",)):
    return {"kind": "vulnerability", "data": {
        "cveNumber": cve, "reportedPackage": package, "systemPackage": package + "-1.x86_64", "vectorType": "network",
        "severity": "high", "isSuppressed": False, "securityNotices": [],
        "agents": [{"agentId": a, "hostname": "host-" + a} for a in agents], "createdAt": iso(created_ms)}}


def import_records(server, tmp_path, records, org="Acme", name="import.jsonl"):
    """Imports the records with `rampart admin import` and returns its counts."""
    f = tmp_path / name
    f.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return server.admin("import", "--org", org, str(f))


def owner(server, org="Acme", email="soc@acme.example", role="owner"):
    """A user of `org` (created if needed) and a Hawk session for it."""
    server.admin("org", "create", org, check=False)
    creds = server.admin("user", "create", "--org", org, "--role", role, "--email", email)
    return creds, HawkSession(server.url, creds)


def walk(session, path, collection, first_token=None):
    """Follows `token` from page to page (token only, as pullers do); returns (ids, pages)."""
    ids, pages, token = [], [], first_token
    while True:
        url = path if token is None else path.split("?")[0] + "?token=" + token
        r = session.get(url)
        assert r.status_code == 200, (url, r.text)
        page = r.json()
        assert set(page) == {collection, "token"}, page
        pages.append(page)
        key = "cveNumber" if collection == "cves" else "id"
        ids += [x[key] for x in page[collection]]
        token = page["token"]
        if token is None:
            return ids, pages
        assert len(pages) < 1000, "the walk does not end"


def newest_first(records):
    """(createdAt desc, id desc): the documented order of every paginated v2 collection."""
    return sorted(records, key=lambda kv: (kv[1], kv[0]), reverse=True)


def tie_groups(now, prefix, fmt="%s%03d"):
    """250 (id, created_ms) in three createdAt groups of 30, 150 and 70, newest first: with 100 per
    page both page boundaries (after 100 and 200) fall inside a group. Ids are shuffled so neither
    insertion order nor rowid order matches the (createdAt, id) order."""
    numbers = list(range(250))
    random.Random(7).shuffle(numbers)
    base = now - DAY
    times = [base + 3 * SECOND] * 30 + [base + 2 * SECOND] * 150 + [base + SECOND] * 70
    return [(fmt % (prefix, n), t) for n, t in zip(numbers, times)]
