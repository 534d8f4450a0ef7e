"""Bearer auth codes, read-only tokens, revocation, expiry, and cross-account isolation."""
import requests

from conftest import Client, assert_error

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
    tok = server.token("demo", "userlists:read", "--expires", "1h")
    c = Client(server.url, tok)
    assert c.get(IP).status_code == 200
    server.advance_clock(3601)
    assert_error(c.get(IP), 403, 11002)


def test_revoked_token(server):
    tok = server.token("demo", "userlists:write")
    c = Client(server.url, tok)
    assert c.get(IP).status_code == 200
    server.admin("token", "revoke", tok[4:20])
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


def test_secrets_never_logged_or_stored(server):
    Client(server.url, server.demo_token).get(IP)
    with open(server.access_log) as f:
        log = f.read()
    assert server.demo_token[21:] not in log
    with open(server.data_dir + "/rampart.db", "rb") as f:
        assert server.demo_token[21:].encode() not in f.read()
    tokens = server.admin("token", "list", "--account", "demo")
    assert all("token" not in t for t in tokens)
