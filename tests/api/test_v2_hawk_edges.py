"""Hawk at its edges: the server's clock (not the wall clock) decides staleness, the exact skew
bounds on both sides, hawk_external_host/port, a full nonce cache, key rotation grace, a bad
payload hash."""
import base64
import hashlib
import json
import time

import pytest

from conftest import Server
from hawk_py import HawkSession, server_now_s
from test_v2_hawk import hawk
from v2_data import owner

SELF_TEST = "/help/hawk/self-test"
OK = {"authenticated": True}


def stale(r, now_s):
    assert r.status_code == 401, (r.status_code, r.text)
    assert r.json() == {"errors": ["Stale timestamp"]}
    www = r.headers["WWW-Authenticate"]
    assert www.startswith('Hawk ts="%d", tsm="' % now_s) and www.endswith('error="Stale timestamp"'), www


def test_requests_sign_with_the_server_clock_after_it_moves_an_hour(server):
    creds, s = owner(server)
    before = server_now_s(server.url)
    server.advance_clock(3600)
    assert server_now_s(server.url) == before + 3600
    r = s.get(SELF_TEST)
    assert r.status_code == 200 and r.json() == OK, r.text
    r = s.post("/v2/rulesets", {"name": "an hour later"})
    assert r.status_code == 200 and r.json()["name"] == "an hour later", r.text
    ref = hawk(server.url + SELF_TEST, creds)  # the reference client, signing with the server's clock too
    assert ref["status"] == 200 and ref["verified"] is True and json.loads(ref["body"]) == OK, ref
    # The server's clock is what counts: a request signed with the wall clock is now an hour stale.
    stale(s.request("GET", SELF_TEST, ts=int(time.time())), before + 3600)


def test_clock_skew_is_inclusive_on_both_sides(tmp_path):
    """hawk_skew_s 60: |ts - now| <= 60 s passes; 61 s either way is stale (hawk.cpp compares with >)."""
    server = Server(tmp_path / "d").start()
    now_ms = server.advance_clock(0)["now_ms"]
    assert now_ms % 1000 == 0, "the test clock starts on a whole second (app.cpp)"
    now = now_ms // 1000
    creds, s = owner(server)
    for ts in (now - 60, now + 60, now):
        r = s.request("GET", SELF_TEST, ts=ts)
        assert r.status_code == 200 and r.json() == OK, (ts - now, r.text)
    for ts in (now - 61, now + 61, "%da" % now):
        stale(s.request("GET", SELF_TEST, ts=ts), now)
    # the reference client believes the stale answer (its tsm verifies)
    ref = hawk(server.url + SELF_TEST, creds, timestamp=now + 61)
    assert ref["status"] == 401 and ref["verified"] is True, ref
    ref = hawk(server.url + SELF_TEST, creds, timestamp=now + 60)
    assert ref["status"] == 200 and ref["verified"] is True, ref


def test_external_host_and_port_are_what_clients_sign(tmp_path):
    server = Server(tmp_path / "d", ["--hawk-external-host", "ts.example.test", "--hawk-external-port", "443"]).start()
    creds, _ = owner(server)
    good = HawkSession(server.url, creds, sign_host="ts.example.test", sign_port=443).get(SELF_TEST)
    assert good.status_code == 200 and good.json() == OK, good.text
    assert good.headers["Server-Authorization"].startswith('Hawk mac="')
    port = server.port
    for host, p in (("127.0.0.1", port), ("ts.example.test", port), ("127.0.0.1", 443)):
        r = HawkSession(server.url, creds, sign_host=host, sign_port=p).get(SELF_TEST)
        assert r.status_code == 401 and r.json() == {"errors": ["Bad mac"]}, (host, p, r.text)


def test_a_full_nonce_cache_refuses_new_requests_and_keeps_old_nonces(tmp_path):
    # 16 nonces at most (16 shards of one): the 17th fresh nonce in the window cannot fit.
    server = Server(tmp_path / "d", ["--nonce-cache-capacity", "16"]).start()
    creds, s = owner(server)
    answers = [(n, s.request("GET", SELF_TEST, nonce=n)) for n in ("full-%02d" % i for i in range(17))]
    accepted = [n for n, r in answers if r.status_code == 200]
    refused = [r for _, r in answers if r.status_code != 200]
    assert 1 <= len(accepted) <= 16 and refused, [r.status_code for _, r in answers]
    for r in refused:  # like a rate limit, not bad credentials: retried later
        assert r.status_code == 429 and r.headers["Retry-After"] == "10", (r.status_code, r.text)
        assert "WWW-Authenticate" not in r.headers
    # Full does not mean forgetful: every accepted nonce is still a replay.
    for n in accepted:
        r = s.request("GET", SELF_TEST, nonce=n)
        assert r.status_code == 401 and r.json() == {"errors": ["Invalid nonce"]}, n
    # Once the skew window has passed, the remembered nonces expire and requests pass again.
    server.advance_clock(61)
    r = s.request("GET", SELF_TEST, nonce="after-the-window")
    assert r.status_code == 200 and r.json() == OK, r.text


def test_rotated_key_keeps_working_for_the_grace_period_only(server):
    creds, old = owner(server)
    rotated = server.admin("user", "key", "--user", creds["user_id"], "--rotate", "--grace", "300")
    assert rotated["user_id"] == creds["user_id"] and rotated["api_key"] != creds["api_key"]
    new = HawkSession(server.url, rotated)
    server.advance_clock(6)  # past token_cache_ttl_ms: the server sees the CLI's rotation
    for s in (old, new):
        assert s.get(SELF_TEST).json() == OK
    assert server.admin("user", "key", "--user", creds["user_id"])["api_key"] == rotated["api_key"]
    server.advance_clock(240)  # still within the 300 s grace
    assert old.get(SELF_TEST).json() == OK
    server.advance_clock(120)  # past it
    r = old.get(SELF_TEST)
    assert r.status_code == 401 and r.json() == {"errors": ["Bad mac"]}, r.text
    r = new.get(SELF_TEST)
    assert r.status_code == 200 and r.json() == OK


def test_a_bad_payload_hash_is_refused_and_nothing_is_written(server):
    creds, s = owner(server)
    other = json.dumps({"name": "what was signed"})
    wrong = base64.b64encode(hashlib.sha256(("hawk.1.payload\napplication/json\n%s\n" % other).encode()).digest()).decode()
    r = s.request("POST", "/v2/rulesets", {"name": "what was sent"}, payload_hash=wrong)
    assert r.status_code == 401 and r.json() == {"errors": ["Bad payload hash"]}, r.text
    assert r.headers["WWW-Authenticate"] == 'Hawk error="Bad payload hash"'
    assert [r["name"] for r in s.get("/v2/rulesets").json()["rulesets"]] == ["Base Rule Set"]  # its own only
    assert s.get("/v2/auditlogs").json() == {"recs": [], "token": None}
    # A request without a hash is accepted (the hash is checked whenever it is sent).
    r = s.request("POST", "/v2/rulesets", {"name": "unhashed"}, payload_hash="")
    assert r.status_code == 200 and r.json()["name"] == "unhashed", r.text


# A request dated far ahead is refused as stale, and its nonce is kept no longer than now + 2 x skew
# (hawk.cpp): otherwise anyone with a key could fill the shared nonce cache for as long as they like.
def test_stale_future_dated_requests_take_no_room_in_the_nonce_cache(tmp_path):
    server = Server(tmp_path / "d", ["--nonce-cache-capacity", "16"]).start()
    creds, s = owner(server)
    now = server_now_s(server.url)
    for i in range(150):  # enough to reach every one of the 16 shards (all but surely)
        r = s.request("GET", SELF_TEST, ts=now + 365 * 86400)
        # Stale, full cache or not: the answer carries the server's time, which a client corrects by.
        assert r.status_code == 401 and r.json()["errors"][0] == "Stale timestamp", r.text
    server.advance_clock(180)  # past any window a nonce of a request dated now +/- skew is kept for
    r = s.get(SELF_TEST)
    assert r.status_code == 200 and r.json() == OK, r.text
