"""Alert delivery by webhook, against a loopback receiver: each new alert is POSTed signed
(X-Rampart-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")), retried with backoff when the
receiver fails, marked failed after a day, and every delivery's state is visible to owners."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agent_client import Agent, enroll
from conftest import Server
from hawk_py import HawkSession
from test_ingest import FAST, eventually, sudo
from test_v2_hawk import make_user


class Receiver:
    """A loopback HTTP receiver answering with the statuses it is given, in turn (then the last)."""

    def __init__(self, statuses):
        self.statuses, self.got = list(statuses), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append((dict(self.headers), body))
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d/hooks/rampart?src=test" % self.httpd.server_address[1]

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def setup(tmp_path):
    s = Server(tmp_path / "data", FAST).start()
    creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
    key = s.admin("deploy-key", "create", "--org", "Acme")["key"]
    r = enroll(s.url, key)
    assert r.status_code == 201, r.text
    return s, HawkSession(s.url, creds), Agent(s.url, r.json())


def test_new_alerts_are_delivered_signed_and_retried(setup):
    s, owner, agent = setup
    rx = Receiver([500, 200])
    try:
        made = owner.post("/v2/webhooks", {"url": rx.url, "description": "siem"})
        assert made.status_code == 201, made.text
        secret, hook = made.json()["secret"], made.json()["id"]
        assert secret.startswith("whsec_")
        assert "secret" not in owner.get("/v2/webhooks").json()["webhooks"][0]
        assert agent.send([sudo("alice")]).json()["alertsOpened"] == 1
        eventually(lambda: len(rx.got) == 1)
        deliveries = lambda: owner.get("/v2/webhooks/%s/deliveries" % hook).json()["deliveries"]
        eventually(lambda: deliveries()[0]["attempts"] == 1)
        (d,) = deliveries()
        assert d["status"] == "pending" and d["lastStatus"] == 500 and d["nextAttemptAt"] is not None
        s.advance_clock(15)  # past the first backoff (10 s ± 20 %)
        eventually(lambda: len(rx.got) == 2)
        eventually(lambda: deliveries()[0]["status"] == "delivered")
        headers, body = rx.got[1]
        assert headers["Content-Type"] == "application/json" and headers["X-Rampart-Event"] == "alert.created"
        assert headers["X-Rampart-Delivery"] == rx.got[0][0]["X-Rampart-Delivery"] == str(d["id"])
        sig = dict(part.split("=", 1) for part in headers["X-Rampart-Signature"].split(","))
        want = hmac.new(secret.encode(), sig["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(sig["v1"], want)
        doc = json.loads(body)
        (alert,) = owner.get("/v2/alerts").json()["alerts"]
        assert doc["type"] == "alert.created" and doc["alert"] == alert
        assert doc["organizationId"] == owner.creds["org_id"]
    finally:
        rx.close()


def test_a_receiver_that_keeps_failing_is_given_up_after_a_day(setup):
    s, owner, agent = setup
    rx = Receiver([503])
    try:
        hook = owner.post("/v2/webhooks", {"url": rx.url})
        assert hook.status_code == 201
        agent.send([sudo("bob")])
        eventually(lambda: len(rx.got) >= 1)
        s.advance_clock(25 * 3600)
        get = lambda: owner.get("/v2/webhooks/%s/deliveries" % hook.json()["id"]).json()["deliveries"][0]
        eventually(lambda: get()["status"] == "failed")
        assert get()["lastStatus"] == 503 and get()["doneAt"] is not None
    finally:
        rx.close()


def test_webhooks_are_for_owners_and_urls_are_checked(setup):
    s, owner, agent = setup
    user = HawkSession(s.url, make_user(s, role="user", org="Acme", email="user@acme.example"))
    assert user.get("/v2/webhooks").status_code == 403
    assert user.post("/v2/webhooks", {"url": "http://127.0.0.1:9/x"}).status_code == 403
    for bad in ["ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x", "not a url", "http:///x", ""]:
        r = owner.post("/v2/webhooks", {"url": bad})
        assert r.status_code == 400, (bad, r.text)
    assert owner.post("/v2/webhooks", {}).status_code == 400
    assert owner.delete("/v2/webhooks/nope").status_code == 404
    assert owner.get("/v2/webhooks/nope/deliveries").status_code == 404
    made = s.admin("webhook", "create", "--org", "Acme", "--url", "http://127.0.0.1:9/cli")
    assert made["secret"].startswith("whsec_")
    assert [w["url"] for w in s.admin("webhook", "list", "--org", "Acme")] == ["http://127.0.0.1:9/cli"]
    assert owner.delete("/v2/webhooks/" + made["id"]).json() == {}
    assert owner.get("/v2/webhooks").json() == {"webhooks": []}
