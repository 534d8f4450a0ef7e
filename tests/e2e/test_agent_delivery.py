"""rampart-agent's delivery (issue 14 §3) against a server that goes away and one whose replies get
lost, through a misbehaving loopback proxy: file changes made while the server is unreachable are
spooled and arrive after it returns; a batch whose acknowledgement was lost is sent again and
stored once (the server answers it as a duplicate). The agent runs without audit here
(--no-audit): this is about transport, and needs no privileges."""
import json
import os
import signal
import subprocess
import time

import requests

from conftest import AGENT, Server, wait_for
from flaky_proxy import FlakyProxy
from hawk_py import HawkSession
from test_v2_hawk import hawk, make_user





def status(state):
    out = subprocess.run([AGENT, "status", "--state-dir", state], capture_output=True, text=True)
    return json.load(open(os.path.join(state, "status.json"))) if os.path.exists(os.path.join(state, "status.json")) else None, out


def test_spooled_while_away_delivered_after_and_a_lost_ack_stored_once(tmp_path):
    s = Server(tmp_path / "data", ["--agent-flush-interval-s", "1"], test_hooks=False).start()
    proxy = FlakyProxy(s.port)
    creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
    owner = HawkSession(s.url, creds)
    deploy_key = s.admin("deploy-key", "create", "--org", "Acme")["key"]
    watched = tmp_path / "watched"
    watched.mkdir()
    base = next(r for r in owner.get("/v2/rulesets").json()["rulesets"] if r["name"] == "Base Rule Set")
    rule = owner.post("/v2/rulesets/%s/rules" % base["id"], {
        "name": "watched", "title": "watched file changed", "type": "File", "severityOfAlerts": 2,
        "filter": 'event_type = "file" and path starts_with "%s"' % watched, "window": 3600, "threshold": 1,
        "enabled": True, "fileIntegrityPaths": [{"path": str(watched), "recursive": False}]}).json()
    state = str(tmp_path / "state")
    url = "http://127.0.0.1:%d" % proxy.port
    enrolled = subprocess.run([AGENT, "enroll", "--server", url, "--deploy-key", deploy_key, "--state-dir", state],
                              capture_output=True, text=True, timeout=60)
    assert enrolled.returncode == 0, enrolled.stderr
    log = open(tmp_path / "agent.log", "wb")
    agent = subprocess.Popen([AGENT, "run", "--no-audit", "--state-dir", state], stdout=log, stderr=subprocess.STDOUT)

    def events_of_rule():
        alerts = [a for a in json.loads(hawk(s.url + "/v2/alerts", creds)["body"])["alerts"] if a["ruleId"] == rule["id"]]
        if not alerts:
            return []
        return json.loads(hawk(s.url + "/v2/alerts/%s/events" % alerts[0]["id"], creds)["body"])["events"]

    def paths():
        return {e["path"] for e in events_of_rule()}

    try:
        def watching():
            detail = (status(state)[0] or {}).get("modules", {}).get("fim", {}).get("detail", "0")
            return int(detail.split()[0]) > 0
        wait_for(watching, 30, "the agent watches the File rules' paths")
        (watched / "first").write_text("1")
        wait_for(lambda: str(watched / "first") in paths(), 30, "the first change arrives")

        proxy.mode = "refuse"  # the server is away
        (watched / "while-away").write_text("2")
        wait_for(lambda: (status(state)[0] or {}).get("counters", {}).get("spoolBatches", 0) >= 1, 30,
                 "the change waits in the spool")
        assert str(watched / "while-away") not in paths()
        assert status(state)[0]["modules"]["backend"]["healthy"] is False
        proxy.mode = "pass"
        wait_for(lambda: str(watched / "while-away") in paths(), 90, "the spooled change arrives after the outage")

        proxy.mode = "lose_reply"  # the server stores the batch; the agent never hears
        (watched / "ack-lost").write_text("3")
        wait_for(lambda: proxy.lost_replies >= 1 and str(watched / "ack-lost") in paths(), 30, "a batch whose reply was lost")
        proxy.mode = "pass"

        def duplicates():
            metrics = requests.get(s.url + "/metrics", timeout=30).text
            line = [l for l in metrics.splitlines() if l.startswith("rampart_ingest_duplicate_batches_total")]
            return float(line[0].split()[-1]) if line else 0
        # The agent never saw the acknowledgement, so it sends the batch again; the server knows it.
        wait_for(lambda: duplicates() >= 1, 90, "the resent batch answered as a duplicate")
        resent_at_ms = time.time() * 1000
        wait_for(lambda: (status(state)[0] or {}).get("updatedAt", 0) > resent_at_ms and
                 status(state)[0]["counters"]["spoolBatches"] == 0, 30,
                 "the agent's spool empty afterwards: %s" % (status(state)[0],))
        ids = [e["_id"] for e in events_of_rule()]
        assert len(ids) == len(set(ids)), "an event was stored twice"
        # The agent's own status says what happened.
        printed = subprocess.run([AGENT, "status", "--state-dir", state], capture_output=True, text=True).stdout
        assert "RUNNING" in printed and "spoolDropped" in printed, printed
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=30)
        proxy.close()
        log.close()
        print(open(tmp_path / "agent.log").read())


def test_over_tls_the_agent_trusts_only_the_given_anchor(tmp_path):
    """HTTPS end to end: enrollment with --ca-file verifies the server's certificate and name and the
    agent then reports over TLS; without the anchor (the system store does not know this
    self-signed certificate) and with an anchor for another name, enrollment is refused. The agent
    speaks to the ingest-only listener (TLS with the same certificate, served in rounds), as a
    fleet's agents would."""
    def certificate(name, san):
        cert, key = tmp_path / (name + ".pem"), tmp_path / (name + ".key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=" + name,
                        "-addext", "subjectAltName=" + san], check=True, capture_output=True)
        return cert, key
    cert, key = certificate("loopback", "IP:127.0.0.1")
    other, _ = certificate("elsewhere", "DNS:rampart.example")
    s = Server(tmp_path / "data", ["--tls-cert", str(cert), "--tls-key", str(key), "--agent-flush-interval-s", "1",
                                   "--ingest-listen", "127.0.0.1:0"], test_hooks=False).start()
    assert s.url.startswith("https://") and s.ingest_url.startswith("https://") and s.ingest_port != s.port
    s.admin("org", "create", "Acme")
    deploy_key = s.admin("deploy-key", "create", "--org", "Acme")["key"]
    state = str(tmp_path / "state")

    def enroll(*extra):
        return subprocess.run([AGENT, "enroll", "--server", s.ingest_url, "--deploy-key", deploy_key, "--state-dir", state,
                               *extra], capture_output=True, text=True, timeout=60)
    for refused in (enroll(), enroll("--ca-file", str(other))):
        assert refused.returncode != 0 and "certificate verify failed" in refused.stderr, refused.stderr
        assert not os.path.exists(os.path.join(state, "state"))
    enrolled = enroll("--ca-file", str(cert))
    assert enrolled.returncode == 0, enrolled.stderr
    agent = subprocess.Popen([AGENT, "run", "--state-dir", state, "--no-audit"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        # `status` exits 0 once every module is healthy: the backend module is healthy only after
        # a reply over TLS whose Server-Authorization verified.
        def healthy():
            out = subprocess.run([AGENT, "status", "--state-dir", state], capture_output=True, text=True)
            return out.stdout if out.returncode == 0 else None
        printed = wait_for(healthy, 30, "the agent connected over TLS")
        assert "CONNECTED" in printed, printed
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=30)
