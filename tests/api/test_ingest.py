"""Agents end to end over HTTP (docs/ingest.md): a synthetic agent enrolls with a deploy key,
sends gzip JSON-lines batches signed with its own Hawk key, and the alerts the Base Rule Set opens
appear through /v2, read by the reference Hawk client (@hapi/hawk). Plus re-enrollment, revocation,
rotation, liveness, the bad-input battery, organization isolation, the deploy-key API and the rule
test."""
import gzip
import json
import time

import pytest
import requests

from agent_client import NDJSON, Agent, enroll, server_now_s
from conftest import Server
from test_v2_hawk import hawk, make_user

FAST = ["--agent-flush-interval-s", "1", "--sweep-interval-s", "1"]


def eventually(check, seconds=15):
    deadline = time.time() + seconds
    while not check():
        assert time.time() < deadline, "not within %d s" % seconds
        time.sleep(0.1)


def sudo(user="alice", ts=1):
    return {"event_type": "audit", "timestamp": ts, "syscall": "execve", "command": "sudo", "exe": "/usr/bin/sudo",
            "user": user, "uid": 1000, "arguments": "sudo systemctl restart nginx", "pid": 4242, "ppid": 4000,
            "cwd": "/home/" + user}


@pytest.fixture
def agents(tmp_path):
    s = Server(tmp_path / "data", FAST).start()
    creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
    key = s.admin("deploy-key", "create", "--org", "Acme", "--description", "ci")["key"]
    return s, creds, key


def enrolled(s, key, **kw):
    r = enroll(s.url, key, **kw)
    assert r.status_code in (200, 201), r.text
    return Agent(s.url, r.json())


def test_an_agent_enrolls_sends_events_and_its_alerts_appear_through_v2(agents):
    s, creds, key = agents
    r = enroll(s.url, key)
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"agentId", "hawk", "heartbeatIntervalSeconds", "reenrolled", "rulesets"}
    assert body["hawk"]["id"] == body["agentId"] and len(body["hawk"]["key"]) == 43 and body["reenrolled"] is False
    agent = Agent(s.url, body)
    sent = agent.send([sudo("alice"), {"event_type": "audit", "timestamp": 2, "command": "ls", "user": "alice"}])
    assert sent.status_code == 200, sent.text
    assert sent.json() == {"ack": 1, "accepted": 2, "duplicate": False, "alertsOpened": 1}
    assert agent.reply_verifies(sent), sent.headers
    # At-least-once from the agent, exactly once here: the same batch again is acknowledged only.
    again = agent.send([sudo("alice"), {"event_type": "audit", "timestamp": 2, "command": "ls", "user": "alice"}], seq=1)
    assert again.json() == {"ack": 1, "accepted": 0, "duplicate": True, "alertsOpened": 0}
    # The alert, as a puller sees it with the reference client (signature and response verified).
    listed = hawk(s.url + "/v2/alerts", creds)
    assert listed["status"] == 200 and listed["verified"] is True, listed
    alerts = json.loads(listed["body"])["alerts"]
    assert len(alerts) == 1
    a = alerts[0]
    assert a["title"] == "alice ran sudo: sudo systemctl restart nginx"
    assert a["agentId"] == agent.id and a["severity"] == 3 and a["isDismissed"] is False and a["dataSource"] == "agent"
    assert a["aggregates"] == [{"fieldName": "user", "value": "alice"}]
    events = hawk(s.url + "/v2/alerts/%s/events" % a["id"], creds)
    assert events["verified"] is True
    (e,) = json.loads(events["body"])["events"]
    assert e["exe"] == "/usr/bin/sudo" and e["command"] == "sudo" and e["event_type"] == "audit"
    assert e["agent_id"] == agent.id and e["agent"] == "web-1" and e["organization_id"] == creds["org_id"]
    # The agent as /v2/agents shows it: the facts it reported.
    got = hawk(s.url + "/v2/agents/" + agent.id, creds)
    doc = json.loads(got["body"])
    assert doc["hostname"] == "web-1" and doc["kernel"] == "6.1.0-18-amd64" and doc["osVersion"] == "debian 12"
    assert doc["status"] == "online" and doc["agentType"] == "investigate" and doc["version"] == "0.1.0"
    assert doc["ipAddresses"] == {"private": ["10.0.0.5/24"], "link_local": ["fe80::1/64"], "public": []}


def test_heartbeats_keep_an_agent_online_and_silence_takes_it_offline(agents):
    s, creds, key = agents
    agent = enrolled(s, key)
    hb = agent.heartbeat({"modules": {"audit": {"healthy": True, "status": "RUNNING"},
                                      "fim": {"healthy": False, "status": "STOPPED", "detail": "inotify limit"}},
                          "counters": {"auditLost": 3, "spoolDropped": 0}})
    assert hb.status_code == 200 and hb.json()["heartbeatIntervalSeconds"] == 30, hb.text

    def doc():
        return json.loads(hawk(s.url + "/v2/agents/" + agent.id, creds)["body"])

    eventually(lambda: doc()["agentModuleHealth"].get("audit") is not None)
    health = doc()["agentModuleHealth"]
    assert health["isHealthy"] is False and health["fim"] == {"isHealthy": False, "status": "STOPPED",
                                                              "detail": "inotify limit"}
    assert health["counters"] == {"auditLost": 3, "spoolDropped": 0}
    s.advance_clock(121)  # past agent_offline_after_s (120)
    eventually(lambda: doc()["status"] == "offline")
    listed = json.loads(hawk(s.url + "/v2/agents?status=offline", creds)["body"])["agents"]
    assert agent.id in [x["id"] for x in listed]
    assert agent.heartbeat({}).status_code == 200
    eventually(lambda: doc()["status"] == "online")


def test_reenrollment_revocation_and_rotation_take_effect_at_once(agents):
    s, creds, key = agents
    first = enrolled(s, key, machine_id="aaaaaaaaaaaaaaaa")
    second = enroll(s.url, key, machine_id="aaaaaaaaaaaaaaaa")
    assert second.status_code == 200 and second.json()["reenrolled"] is True
    assert second.json()["agentId"] == first.id  # the same host keeps its id and history
    assert first.send([sudo()]).status_code == 401  # its old key stopped
    current = Agent(s.url, second.json())
    assert current.send([sudo()]).status_code == 200
    audit = json.loads(hawk(s.url + "/v2/auditlogs", creds)["body"])["recs"]
    assert [r["action"] for r in audit][:2] == ["agent.reenroll", "agent.enroll"]
    # Rotation: the old secret stops enrolling, enrolled agents keep working.
    from hawk_py import HawkSession
    owner = HawkSession(s.url, creds)
    key_id = key[4:20]
    rotated = owner.post("/v2/deploykeys/%s/rotate" % key_id, {})
    assert rotated.status_code == 200 and rotated.json()["key"] != key
    assert enroll(s.url, key, machine_id="bbbbbbbbbbbbbbbb").status_code == 401
    assert enroll(s.url, rotated.json()["key"], machine_id="bbbbbbbbbbbbbbbb").status_code == 201
    assert current.send([sudo()]).status_code == 200
    listed = owner.get("/v2/deploykeys").json()["deployKeys"]
    assert [k["id"] for k in listed] == [key_id] and "key" not in listed[0]
    assert listed[0]["lastUsedHost"] == "web-1" and listed[0]["rotatedAt"] is not None
    # Revocation: the agent's key stops at once, and the host cannot enroll its way back.
    assert owner.post("/v2/agents/%s/revoke" % current.id, {}).status_code == 200
    assert current.send([sudo()]).status_code == 401
    assert current.heartbeat({}).status_code == 401
    assert enroll(s.url, rotated.json()["key"], machine_id="aaaaaaaaaaaaaaaa").status_code == 403
    assert owner.delete("/v2/deploykeys/" + key_id).status_code == 200
    assert enroll(s.url, rotated.json()["key"], machine_id="cccccccccccccccc").status_code == 401


def test_a_revoked_agent_from_the_cli_is_refused_by_the_running_server(agents):
    s, creds, key = agents
    agent = enrolled(s, key)
    assert agent.send([sudo()]).status_code == 200
    s.admin("agent", "revoke", "--org", "Acme", agent.id)
    eventually(lambda: agent.send([sudo()]).status_code == 401)


def test_bad_input_gets_a_clear_4xx_and_nothing_is_stored(agents):
    s, creds, key = agents
    agent = enrolled(s, key)
    bomb = gzip.compress(b"0" * (64 << 20))  # 64 MiB of zeros in about 64 KiB
    cases = [
        (agent.signed("POST", "/ingest/v1/events?seq=1", b"{}", "application/json"), 415, "x-ndjson"),
        (agent.signed("POST", "/ingest/v1/events", b'{"event_type":"audit","timestamp":1}', NDJSON), 400, "seq"),
        (agent.signed("POST", "/ingest/v1/events?seq=x", b'{"event_type":"audit","timestamp":1}', NDJSON), 400, "seq"),
        (agent.send([{"event_type": "audit"}]), 400, "line 1: 'timestamp' is required"),
        (agent.send([sudo(), {"event_type": "audit", "timestamp": 1, "agent_id": "someone-else"}]), 400,
         "line 2: 'agent_id' is set by the server"),
        (agent.send([{"event_type": "audit", "timestamp": 1, "colour": "red"}]), 400, "unknown key 'colour'"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b"not json\n", NDJSON), 400, "line 1: not valid JSON"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b"\x1f\x8bnot gzip", NDJSON, headers={"Content-Encoding": "gzip"}),
         400, "gzip"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", bomb, NDJSON, headers={"Content-Encoding": "gzip"}), 413,
         "inflates past"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b"x" * (5 << 20), NDJSON), 413, ""),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b'{"event_type":"audit","timestamp":1}', NDJSON,
                      sign_hash=False), 401, "payload hash"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b'{"event_type":"audit","timestamp":1}', NDJSON,
                      hash_of=b"something else"), 401, "Bad payload hash"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b'{"event_type":"audit","timestamp":1}', NDJSON, ts=1), 401,
         "Stale timestamp"),
        (agent.signed("POST", "/ingest/v1/events?seq=9", b"x", NDJSON, headers={"Content-Encoding": "br"}), 415, "gzip"),
        (agent.heartbeat({"modules": {"audit": {"status": "RUNNING"}}}), 400, "healthy"),
        (enroll(s.url, key, machine_id="short"), 400, "machineId"),
        (enroll(s.url, "rdk_0123456789abcdef_" + "a" * 43), 401, "invalid deploy key"),
        (enroll(s.url, "not a key"), 401, ""),
    ]
    for resp, status, says in cases:
        assert resp.status_code == status, (status, says, resp.status_code, resp.text[:300])
        assert resp.headers["Content-Type"].startswith("application/json")
        assert says in resp.json()["errors"][0], (says, resp.text[:300])
        # A refusal of an authenticated agent is signed (an agent drops or splits a batch only on a
        # signed one); a request that did not authenticate cannot be answered with a signature.
        if hasattr(resp, "hawk_artifacts") and status in (400, 413):
            assert agent.reply_verifies(resp), (says, resp.headers)
        if status == 401:
            assert "Server-Authorization" not in resp.headers, says
    import requests
    plain = requests.post(s.url + "/ingest/v1/events?seq=1", data=b"{}", headers={"Content-Type": NDJSON}, timeout=30)
    assert plain.status_code == 401 and plain.headers["WWW-Authenticate"].startswith("Hawk")
    assert requests.get(s.url + "/ingest/v1/nope", timeout=30).status_code == 404
    # Nothing of the refused batches was stored: the rule test sees no event.
    from hawk_py import HawkSession
    tested = HawkSession(s.url, creds).post("/v2/rules/test", {"filter": "event_type = 'audit'"})
    assert tested.status_code == 200 and tested.json()["examined"] == 0, tested.text


def test_an_agent_cannot_reach_another_organization_or_the_user_surface(agents):
    s, creds, key = agents
    agent = enrolled(s, key)
    assert agent.send([sudo("mallory")]).status_code == 200
    other = make_user(s, role="owner", org="Other", email="owner@other.example")
    assert json.loads(hawk(s.url + "/v2/alerts", other)["body"])["alerts"] == []
    assert hawk(s.url + "/v2/agents/" + agent.id, other)["status"] == 404
    # The agent's key is not a user's: /v2 refuses it whatever organization it names.
    as_user = {"user_id": agent.id, "api_key": agent.key, "org_id": creds["org_id"]}
    assert hawk(s.url + "/v2/alerts", as_user)["status"] == 401
    # A deploy key is not a v4.0 API key.
    import requests
    r = requests.get(s.url + "/v4.0/user_ip_lists", headers={"Authorization": "Bearer " + key}, timeout=30)
    assert r.status_code in (401, 403)
    # Another organization's deploy key enrolls into that organization only.
    other_key = s.admin("deploy-key", "create", "--org", "Other")["key"]
    theirs = enrolled(s, other_key, machine_id="0123456789abcdef0123456789abcdef")  # the same machine id
    assert theirs.id != agent.id
    assert theirs.send([sudo("eve")]).status_code == 200
    mine = json.loads(hawk(s.url + "/v2/alerts", creds)["body"])["alerts"]
    assert [a["agentId"] for a in mine] == [agent.id]


def test_deploy_keys_are_for_owners_and_the_rule_test_shows_matches(agents):
    s, creds, key = agents
    from hawk_py import HawkSession
    owner = HawkSession(s.url, creds)
    user = HawkSession(s.url, make_user(s, role="user", org="Acme", email="user@acme.example"))
    made = owner.post("/v2/deploykeys", {"description": "prod hosts"})
    assert made.status_code == 201 and made.json()["key"].startswith("rdk_") and made.json()["lastUsedAt"] is None
    assert user.get("/v2/deploykeys").status_code == 403
    assert user.post("/v2/deploykeys", {}).status_code == 403
    assert owner.post("/v2/deploykeys", {"description": "x" * 300}).status_code == 400
    assert owner.delete("/v2/deploykeys/ffffffffffffffff").status_code == 404
    agent = enrolled(s, made.json()["key"])
    assert agent.send([sudo("alice"), sudo("bob"), {"event_type": "login", "timestamp": 5, "user": "root",
                                                     "success": False}]).status_code == 200
    t = user.post("/v2/rules/test", {"filter": "command = 'sudo'", "suppressions": ["user = 'bob'"]})
    assert t.status_code == 200, t.text
    body = t.json()
    assert body["examined"] == 3 and body["matched"] == 1 and body["suppressed"] == 1 and body["unknownKeys"] == []
    assert body["events"][0]["user"] == "alice"
    bad = user.post("/v2/rules/test", {"filter": "command = "})
    assert bad.status_code == 400 and "column" in bad.json()["errors"][0]
    assert user.post("/v2/rules/test", {"filter": "colour = 'red'"}).json()["unknownKeys"] == ["colour"]
    # The config tells the agent what its File rules watch.
    cfg = agent.config()
    assert cfg.status_code == 200 and "Server-Authorization" in cfg.headers
    paths = {p["path"] for p in cfg.json()["fileIntegrity"]["paths"]}
    assert {"/etc", "/usr/bin", "/etc/shadow"} <= paths


def test_events_past_their_retention_are_dropped_and_alerts_keep_theirs(agents):
    s, creds, key = agents
    agent = enrolled(s, key)
    assert agent.send([sudo()]).status_code == 200
    from hawk_py import HawkSession
    owner = HawkSession(s.url, creds)
    assert owner.post("/v2/rules/test", {"filter": "command = 'sudo'"}).json()["matched"] == 1
    s.advance_clock(73 * 3600)
    eventually(lambda: owner.post("/v2/rules/test", {"filter": "command = 'sudo'"}).json()["examined"] == 0)
    (a,) = owner.get("/v2/alerts").json()["alerts"]
    assert len(owner.get("/v2/alerts/%s/events" % a["id"]).json()["events"]) == 1


def test_deleting_a_ruleset_names_the_agents_evaluated_against_it(agents):
    s, creds, key = agents
    from hawk_py import HawkSession
    owner = HawkSession(s.url, creds)
    base = next(r for r in owner.get("/v2/rulesets").json()["rulesets"] if r["name"] == "Base Rule Set")
    spare = owner.post("/v2/rulesets", {"name": "Spare", "description": "unused"}).json()
    web = enrolled(s, key, hostname="web-1", machine_id="a" * 32)
    db = enrolled(s, key, hostname="db-1", machine_id="b" * 32, rulesets=["Spare"])
    revoked = enrolled(s, key, hostname="old-1", machine_id="c" * 32)
    assert owner.post("/v2/agents/%s/revoke" % revoked.id, {}).status_code == 200
    assert owner.delete("/v2/rulesets/" + base["id"]).json() == {"server_ids": [web.id]}
    # The deleted ruleset's rules no longer see web-1's events; db-1 keeps its own ruleset.
    assert web.send([sudo("alice")]).json()["alertsOpened"] == 0
    assert owner.delete("/v2/rulesets/" + spare["id"]).json() == {"server_ids": [db.id]}
    assert owner.delete("/v2/rulesets/" + spare["id"]).status_code == 404


def test_a_full_nonce_cache_asks_agents_to_retry_instead_of_refusing_their_key(tmp_path):
    # 16 nonces at most: the agent's requests past them are 429 with Retry-After (an agent backs off
    # and retries), not 401 (which an agent reports as its key refused). A replay is still 401.
    s = Server(tmp_path / "data", FAST + ["--nonce-cache-capacity", "16"]).start()
    make_user(s, role="owner", org="Acme", email="owner@acme.example")
    key = s.admin("deploy-key", "create", "--org", "Acme", "--description", "ci")["key"]
    agent = enrolled(s, key)
    data = json.dumps({"modules": {"audit": {"healthy": True, "status": "RUNNING"}}}).encode()
    headers = {"Content-Type": "application/json"}
    first, _ = agent.authorization("POST", "/ingest/v1/heartbeat", data, "application/json", server_now_s(s.url))
    r = requests.post(s.url + "/ingest/v1/heartbeat", data=data, headers={"Authorization": first, **headers})
    assert r.status_code == 200, r.text
    answers = [agent.signed("POST", "/ingest/v1/heartbeat", data, "application/json") for _ in range(20)]
    refused = [r for r in answers if r.status_code != 200]
    assert refused, [r.status_code for r in answers]
    for r in refused:
        assert r.status_code == 429 and r.headers["Retry-After"] == "10", (r.status_code, r.text)
        assert r.json() == {"errors": ["too many requests in the replay window"]}
    replay = requests.post(s.url + "/ingest/v1/heartbeat", data=data, headers={"Authorization": first, **headers})
    assert replay.status_code == 401 and replay.json() == {"errors": ["Invalid nonce"]}, replay.text
