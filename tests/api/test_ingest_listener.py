"""The ingest-only listener (`ingest_listen`): agents enroll, send and heartbeat through it and are
seen through the v2 API on the main listener; nothing but /ingest/v1 answers there; a bad setting
stops the server with a reason; a stop with agents connected to it is clean."""
import json
import signal
import subprocess
import threading
import time

import requests

from agent_client import Agent, enroll, server_now_s
from conftest import BIN, Server
from test_ingest import FAST, sudo
from test_v2_hawk import hawk, make_user


def started(tmp_path, *extra):
    s = Server(tmp_path / "data", FAST + ["--ingest-listen", "127.0.0.1:0", *extra]).start()
    assert s.ingest_port and s.ingest_port != s.port
    creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
    key = s.admin("deploy-key", "create", "--org", "Acme", "--description", "ci")["key"]
    return s, creds, key


def test_agents_use_the_ingest_listener_and_are_seen_on_the_main_one(tmp_path):
    s, creds, key = started(tmp_path)
    r = enroll(s.ingest_url, key)
    assert r.status_code == 201, r.text
    agent = Agent(s.ingest_url, r.json())
    now = server_now_s(s.url)  # the injected clock lives on the main listener's test hooks
    sent = agent.send([sudo("alice")], ts=now)
    assert sent.status_code == 200 and sent.json()["alertsOpened"] == 1, sent.text
    assert agent.reply_verifies(sent), sent.headers  # signed for the ingest listener's port
    hb = agent.signed("POST", "/ingest/v1/heartbeat", b"{}", "application/json", ts=now)
    assert hb.status_code == 200, hb.text
    assert agent.signed("GET", "/ingest/v1/config", ts=now).status_code == 200
    alerts = json.loads(hawk(s.url + "/v2/alerts", creds)["body"])["alerts"]
    assert [a["agentId"] for a in alerts] == [agent.id]
    doc = json.loads(hawk(s.url + "/v2/agents/" + agent.id, creds)["body"])
    assert doc["status"] == "online" and doc["hostname"] == "web-1"
    # The same agent may still use the main listener (agents configured before the second one).
    main = Agent(s.url, {"hawk": {"id": agent.id, "key": agent.key}})
    assert main.signed("GET", "/ingest/v1/config", ts=now).status_code == 200


def test_only_the_ingest_surface_answers_on_the_ingest_listener(tmp_path):
    s, creds, key = started(tmp_path)
    token = {"Authorization": "Bearer " + s.demo_token}
    for path in ["/v4.0/user_ip_lists", "/v2/agents", "/healthz", "/metrics", "/_test/clock", "/", "/portal/"]:
        r = requests.get(s.ingest_url + path, headers=token, timeout=10)
        assert r.status_code == 404, (path, r.status_code, r.text)
        assert r.json() == {"errors": [r.json()["errors"][0]]}, (path, r.text)  # the ingest error shape
    assert requests.get(s.url + "/v4.0/user_ip_lists", headers=token, timeout=10).status_code == 200
    # A v2 credential signed for the ingest port is not an agent's: refused like any unknown key.
    signed = hawk(s.ingest_url + "/ingest/v1/config", creds)
    assert signed["status"] == 401, signed
    r = requests.post(s.ingest_url + "/ingest/v1/heartbeat", data=b"{}", timeout=10)
    assert r.status_code == 401 and "errors" in r.json()


def test_a_bad_ingest_listen_stops_the_server_with_a_reason(tmp_path):
    for value, why in [("nocolon", "ingest_listen"), ("127.0.0.1:99999", "ingest_listen"),
                       ("not-an-address:0", "ingest_listen")]:
        out = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"),
                              "--dns-listen", "off", "--ingest-listen", value], capture_output=True, text=True, timeout=30)
        assert out.returncode != 0 and why in out.stderr, (value, out.stderr)
        assert "listening on" not in out.stdout
    # The main listener's own port: refused at start, naming the setting.
    s = Server(tmp_path / "taken").start()
    out = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"),
                          "--dns-listen", "off", "--ingest-listen", "127.0.0.1:%d" % s.port],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "ingest_listen" in out.stderr and "in use" in out.stderr, out.stderr


def test_a_stop_with_agents_connected_to_the_ingest_listener_is_clean(tmp_path):
    s, creds, key = started(tmp_path, "--ingest-round-ms", "50")
    agents = []
    for i in range(4):
        r = enroll(s.ingest_url, key, hostname="h%d" % i, machine_id="%032x" % (i + 1))
        assert r.status_code == 201, r.text
        agents.append(Agent(s.ingest_url, r.json()))
    now = server_now_s(s.url)
    sessions = [requests.Session() for _ in agents]  # kept connections, as rampart-agent holds
    stop = threading.Event()
    failures = []

    def beat(agent, session):
        while not stop.is_set():
            try:
                r = agent.signed("POST", "/ingest/v1/heartbeat", b"{}", "application/json", ts=now, session=session)
                if r.status_code != 200:
                    failures.append(r.text)
            except requests.ConnectionError:
                return  # the server went away: expected once it stops
    threads = [threading.Thread(target=beat, args=pair) for pair in zip(agents, sessions)]
    [t.start() for t in threads]
    time.sleep(1)
    started_at = time.time()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=20) == 0
    stop.set()
    [t.join() for t in threads]
    assert not failures, failures[:3]
    assert time.time() - started_at < 15
