"""Bearer auth codes, read-only tokens, revocation, expiry, and cross-account isolation."""
import os

import requests

from conftest import Client, Server, assert_error
from hawk_py import HawkSession

IP = "/v4.0/user_ip_lists"


def test_missing_invalid_tokens(server):
    assert_error(requests.get(server.url + IP), 401, 11000)
    assert_error(requests.get(server.url + IP, headers={"Authorization": "Basic Zm9vOmJhcg=="}), 401, 11000)
    assert_error(requests.get(server.url + IP, headers={"Authorization": "Bearer garbage"}), 403, 11001)
    forged = "rpt_" + server.demo_token[4:20] + "_" + "A" * 43
    assert_error(requests.get(server.url + IP, headers={"Authorization": "Bearer " + forged}), 403, 11001)


def test_read_only_token(server):
    ro = server.token("demo", "userlists:read")
    c = Client(server.url, ro)
    assert c.get(IP).status_code == 200
    assert_error(c.post(IP, {"list_name": "x"}), 403, 11011)
    rw = Client(server.url, server.demo_token)
    obj = rw.post(IP, {"list_name": "x"}).json()["_data"][0]
    for method in ("PATCH", "PUT", "DELETE"):
        assert_error(c.req(method, IP + "/" + obj["object_id"], {"addresses": []}), 403, 11011)
    assert c.get(IP + "/" + obj["object_id"]).status_code == 200


def test_expired_token(server):
    made = server.admin("key", "create", "--org", "demo", "--perm", "read", "--expires", "1h")
    c = Client(server.url, made["token"])
    assert c.get(IP).status_code == 200
    server.advance_clock((made["expires_at_ms"] - server.advance_clock(0)["now_ms"]) // 1000 - 1)
    assert c.get(IP).status_code == 200  # a second before the expiry (set by the CLI's clock)
    server.advance_past(made["expires_at_ms"])
    assert_error(c.get(IP), 403, 11002)


def test_revoked_token(server):
    tok = server.token("demo", "userlists:write")
    c = Client(server.url, tok)
    assert c.get(IP).status_code == 200
    server.admin("key", "revoke", tok[4:20])
    server.advance_clock(6)  # past the token cache TTL (5 s)
    assert_error(c.get(IP), 403, 11001)


def test_accounts_never_see_each_other(server):
    _, tok_a = server.new_account("alpha")
    _, tok_b = server.new_account("beta")
    a, b = Client(server.url, tok_a), Client(server.url, tok_b)
    obj = a.post(IP, {"list_name": "mine", "addresses": [{"value": "1.2.3.4"}]}).json()["_data"][0]
    path = IP + "/" + obj["object_id"]
    assert b.get(IP).json()["_meta"]["count"] == 0
    for method, body in (("GET", None), ("PATCH", {"description": "x"}), ("PUT", {"addresses": []}),
                         ("DELETE", None)):
        assert_error(b.req(method, path, body), 404, 10300)
    assert_error(b.get(path + "/history"), 404, 10300)
    # same list name in another account is fine
    assert b.post(IP, {"list_name": "mine"}).status_code == 201
    assert b.post("/v4.0/check_ioc", {"iocs": [{"ioc": "1.2.3.4"}]}).json()["_data"][0]["listed"] is False
    assert a.post("/v4.0/check_ioc", {"iocs": [{"ioc": "1.2.3.4"}]}).json()["_data"][0]["listed"] is True
    assert a.get(path).json()["_data"][0]["addresses"][0]["value"] == "1.2.3.4"


def files_under(top):
    for d, _, names in os.walk(top):
        for n in names:
            yield os.path.join(d, n)


def test_secrets_never_logged_or_stored(tmp_path):
    """No log the server writes (stdout after the first-start banner, stderr, the access log) nor
    any file of its data directory (the database, its WAL, any log) holds a token secret, a token
    presented and refused, or a Hawk API key, even at the most verbose log level."""
    server = Server(tmp_path / "data", log_level="trace", demo=True).start()
    demo = server.demo_token
    secrets = {"demo token": demo, "demo token secret": demo[21:], "demo Hawk key": server.demo_hawk["api_key"]}
    c = Client(server.url, demo)
    obj = c.post(IP, {"list_name": "s", "addresses": [{"value": "1.2.3.4"}]}).json()["_data"][0]
    c.patch(IP + "/" + obj["object_id"], {"addresses": [{"value": "5.6.7.8", "action": "add"}]})
    c.post(IP, raw="{bad json", headers={"Content-Type": "application/json"})
    c.get("/v4.0/nothing_here")
    # tokens made by the CLI, used, then refused (read-only writing, revoked, expired)
    expiring = server.admin("key", "create", "--org", "demo", "--perm", "read", "--expires", "1h")
    rw, ro, short = server.token("demo", "userlists:write"), server.token("demo", "userlists:read"), expiring["token"]
    secrets.update({"new token": rw, "read-only token": ro, "expiring token": short})
    assert c.get(IP, token=rw).status_code == 200
    assert_error(c.post(IP, {"list_name": "x"}, token=ro), 403, 11011)
    server.admin("key", "revoke", rw[4:20])
    server.advance_past(expiring["expires_at_ms"])  # past the 1 h expiry (and the token cache TTL)
    assert_error(c.get(IP, token=rw), 403, 11001)
    assert_error(c.get(IP, token=short), 403, 11002)
    # presented tokens that are refused: a real id with a wrong secret, and no token at all
    forged = demo[:21] + "Z" * 43
    garbage = "not-a-token-" + demo[21:][::-1]
    secrets.update({"forged secret": forged[21:], "garbage token": garbage})
    assert_error(c.get(IP, token=forged), 403, 11001)
    assert_error(c.get(IP, token=garbage), 403, 11001)
    assert_error(requests.get(server.url + IP, headers={"Authorization": "Basic " + garbage}), 401, 11000)
    # Hawk: a user's key is shown once by the CLI; a signed request and one signed with a wrong key
    user = server.admin("user", "create", "--org", "demo", "--role", "reader", "--email", "s@demo.example")
    wrong = dict(user, api_key=user["api_key"][::-1])
    secrets.update({"Hawk key": user["api_key"], "wrong Hawk key": wrong["api_key"]})
    assert HawkSession(server.url, user).get("/v2/rulesets").status_code == 200
    assert HawkSession(server.url, wrong).get("/v2/rulesets").status_code == 401
    assert server.stop() == 0  # flushes every log

    files = list(files_under(server.data_dir))
    names = {os.path.basename(f) for f in files}
    assert {"stdout.log", "stderr.log", "access.log", "rampart.db"} <= names, names
    with open(server.access_log) as f:
        access = f.read()
    assert "Bearer" not in access and "Hawk " not in access
    assert access.count("\n") >= 15, access  # the requests above were logged
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        for what, secret in secrets.items():
            assert secret.encode() not in data, (what, path)
    tokens = server.admin("key", "list", "--org", "demo")
    assert all("token" not in t for t in tokens)
