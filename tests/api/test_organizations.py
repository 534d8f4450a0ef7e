"""One organization for both APIs: the V9 database migrated by a real server, v4.0 API keys scoped
per service and per client network, users disabled and roles kept with an owner, organizations
deleted with what they hold, and the old CLI spellings."""
import json
import os
import shutil
import sqlite3
import subprocess
import time

import dns.message
import dns.query
import dns.rcode
import dns.zone

from conftest import BIN, Client, Server, assert_error
from hawk_py import HawkSession

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "migration", "v9")


def v9_data_dir(tmp_path):
    """A data directory holding the V9 binary's database (tests/migration/make_v9_fixture.py)."""
    data = tmp_path / "data"
    os.makedirs(data, mode=0o700)
    db = sqlite3.connect(data / "rampart.db")
    with open(os.path.join(FIXTURE, "rampart.sql")) as f:
        db.executescript(f.read())
    db.close()
    os.chmod(data / "rampart.db", 0o600)
    for name in ("master.key", "zone-serials"):
        shutil.copy(os.path.join(FIXTURE, name), data / name)
        os.chmod(data / name, 0o600)
    with open(os.path.join(FIXTURE, "fixture.json")) as f:
        return data, json.load(f)


def test_a_v9_database_keeps_working_after_the_organizations_migration(tmp_path):
    data, fx = v9_data_dir(tmp_path)
    s = Server(data)
    s.demo_token = fx["accounts"]["demo"]["write"]  # the harness makes nothing: the data is the fixture's
    s.start()
    acme_w = Client(s.url, fx["accounts"]["Acme"]["write"])
    acme_r = Client(s.url, fx["accounts"]["Acme"]["read"])
    solo = Client(s.url, fx["accounts"]["solo"]["write"])
    # Old tokens work as before, each on its own organization's data.
    names = sorted(l["list_name"] for l in acme_w.get("/v4.0/user_ip_lists").json()["_data"])
    assert names == ["badips"]
    assert [l["list_name"] for l in solo.get("/v4.0/user_ip_lists").json()["_data"]] == ["soloips"]
    assert acme_r.get("/v4.0/policies").status_code == 200  # a read token reads policies as before
    assert_error(acme_r.post("/v4.0/user_ip_lists", {"list_name": "x", "list_type": "block"}), 403, 11011)
    policy = acme_w.get("/v4.0/policies/" + fx["acme"]["policy"]).json()["_data"][0]
    assert policy["zone_name"] == fx["acme"]["zone_name"]  # zone names did not move
    history = acme_w.get("/v4.0/user_domain_lists/%s/history" % fx["acme"]["domain_list"]).json()["_data"]
    assert history[0]["token_id"] == fx["accounts"]["Acme"]["write"][4:20]
    # The zone is served under its old name, with the journal's latest content, over AXFR.
    xfr = dns.zone.from_xfr(dns.query.xfr("127.0.0.1", fx["acme"]["zone_name"], port=s.dns_port, timeout=10))
    owners = {str(n) for n in xfr.nodes}
    assert "worse.example" in owners and "evil.example" in owners
    # The Threat Stack organization "acme" is the account "Acme" now: Hawk sees its v2 data ...
    hawk = HawkSession(s.url, fx["hawk"]["acme"])
    assert [a["id"] for a in hawk.request("GET", "/v2/agents").json()["agents"]] == ["agent-1"]
    # ... and its rulesets, plus the Base Rule Set every organization gets once (migration V13).
    assert [r["name"] for r in hawk.request("GET", "/v2/rulesets").json()["rulesets"]] == ["base", "Base Rule Set"]
    # ... and the CLI lists one organization for the two.
    orgs = {o["name"]: o for o in s.admin("org", "list")}
    assert set(orgs) == {"demo", "acme", "solo", "Other Org"}
    assert orgs["acme"]["id"] == fx["hawk"]["acme"]["org_id"]
    keys = s.admin("key", "list", "--org", "acme")
    assert {k["perms"] for k in keys} == {"userlists:write,policies:write", "userlists:read,policies:read"}
    assert all("token" not in k and "secret_hash" not in k for k in keys)
    s.stop()


def test_keys_are_scoped_per_service(server):
    server.admin("org", "create", "acme")
    scoped = lambda perm: server.admin("key", "create", "--org", "acme", "--perm", perm)["token"]  # noqa: E731
    lists_only = Client(server.url, scoped("userlists:write"))
    policies_ro = Client(server.url, scoped("policies:read"))
    r = lists_only.post("/v4.0/user_ip_lists", {"list_name": "a", "list_type": "block"})
    assert r.status_code == 201, r.text
    body = assert_error(lists_only.get("/v4.0/policies"), 403, 11011)
    assert "policies" in body["additional_info"]["detail"]
    assert_error(lists_only.get("/v4.0/devices"), 403, 11011)  # devices go with policies
    assert policies_ro.get("/v4.0/policies").status_code == 200
    assert_error(policies_ro.post("/v4.0/policies", {"name": "p", "type": "dns"}), 403, 11011)
    assert_error(policies_ro.get("/v4.0/user_ip_lists"), 403, 11011)
    bad = server.admin("key", "create", "--org", "acme", "--perm", "lists:write", check=False)
    assert bad.returncode == 1 and "userlists and policies" in bad.stderr


def test_keys_may_be_limited_to_client_networks(tmp_path):
    s = Server(tmp_path / "d", ["--trusted-proxies", "127.0.0.1"]).start()
    s.admin("org", "create", "acme")
    far = s.key("acme", "write", "--networks", "10.0.0.0/8")["token"]
    near = s.key("acme", "write", "--networks", "127.0.0.0/8,::1")["token"]
    assert_error(Client(s.url, far).get("/v4.0/user_ip_lists"), 403, 11001)
    assert Client(s.url, near).get("/v4.0/user_ip_lists").status_code == 200
    # Behind a trusted proxy the client is X-Forwarded-For's.
    via = {"X-Forwarded-For": "10.1.2.3"}
    assert Client(s.url, far).get("/v4.0/user_ip_lists", headers=via).status_code == 200
    assert_error(Client(s.url, near).get("/v4.0/user_ip_lists", headers=via), 403, 11001)
    listed = {k["id"]: k for k in s.admin("key", "list", "--org", "acme")}
    assert listed[far[4:20]]["networks"] == ["10.0.0.0/8"]
    bad = s.admin("key", "create", "--org", "acme", "--perm", "read", "--networks", "10.0.0.0/8,nope", check=False)
    assert bad.returncode == 1 and "not a network" in bad.stderr
    s.stop()


def test_a_key_revoked_with_the_cli_stops_at_once(server):
    """The test clock stands still, so the key cache never expires on its own: the revocation
    reaches the running server through the change log."""
    made = server.key("demo", "read")
    c = Client(server.url, made["token"])
    assert c.get("/v4.0/user_ip_lists").status_code == 200  # cached now
    server.admin("key", "revoke", made["id"])
    eventually(lambda: c.get("/v4.0/user_ip_lists").status_code == 403)
    assert_error(c.get("/v4.0/user_ip_lists"), 403, 11001)


def test_a_keys_last_use_is_recorded(tmp_path):
    s = Server(tmp_path / "d", ["--sweep-interval-s", "1"]).start()
    assert s.admin("key", "list", "--org", "demo")[0]["last_used_at_ms"] is None
    assert Client(s.url, s.demo_token).get("/v4.0/user_ip_lists").status_code == 200
    now_ms = s.advance_clock(0)["now_ms"]
    deadline = time.time() + 20
    while time.time() < deadline:
        used = s.admin("key", "list", "--org", "demo")[0]["last_used_at_ms"]
        if used is not None:
            break
        time.sleep(0.2)
    assert used == now_ms  # the server's (test) clock at the request
    s.stop()


def eventually(check, seconds=10):
    """Polls `check` (the server's change watcher reads the change log every change_poll_ms, 1 s)."""
    deadline = time.time() + seconds
    while not check():
        assert time.time() < deadline, "not within %d s" % seconds
        time.sleep(0.1)


def test_a_disabled_user_is_refused_at_every_key_at_once_and_roles_keep_an_owner(server):
    """The test server's clock stands still, so its caches never expire on their own: what the
    CLI changes reaches the running server through the change log."""
    server.admin("org", "create", "acme")
    owner = server.admin("user", "create", "--org", "acme", "--role", "owner", "--email", "o@acme.example",
                         "--name", "Olga Owner")
    hawk = HawkSession(server.url, owner)
    assert hawk.request("GET", "/v2/agents").status_code == 200
    rotated = server.admin("user", "key", "--user", owner["user_id"], "--rotate", "--grace", "3600")
    eventually(lambda: HawkSession(server.url, rotated).request("GET", "/v2/agents").status_code == 200)
    assert server.admin("user", "disable", "--user", "o@acme.example")["disabled"] is True
    eventually(lambda: hawk.request("GET", "/v2/agents").status_code == 401)
    assert HawkSession(server.url, rotated).request("GET", "/v2/agents").status_code == 401
    server.admin("user", "enable", "--user", "o@acme.example")
    eventually(lambda: HawkSession(server.url, rotated).request("GET", "/v2/agents").status_code == 200)
    # The last owner cannot be demoted; with a second owner it can.
    out = server.admin("user", "set-role", "--user", "o@acme.example", "--org", "acme", "--role", "reader", check=False)
    assert out.returncode == 1 and "at least one owner" in out.stderr
    server.admin("user", "create", "--org", "acme", "--role", "owner", "--email", "p@acme.example")
    server.admin("user", "set-role", "--user", "o@acme.example", "--org", "acme", "--role", "reader")
    users = {u["email"]: u for u in server.admin("user", "list", "--org", "acme")}
    assert users["o@acme.example"]["role"] == "reader" and users["o@acme.example"]["display_name"] == "Olga Owner"
    assert "api_key" not in json.dumps(users)


def test_a_password_is_read_from_stdin_and_stored_as_argon2id(server):
    server.admin("org", "create", "acme")
    server.admin("user", "create", "--org", "acme", "--role", "owner", "--email", "o@acme.example")
    cmd = [BIN, "admin", "user", "set-password", "--user", "o@acme.example", "--data-dir", server.data_dir]
    short = subprocess.run(cmd, input="short\n", capture_output=True, text=True, timeout=30)
    assert short.returncode == 1 and "12 to 1024" in short.stderr
    ok = subprocess.run(cmd, input="correct horse battery staple\n", capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "correct horse" not in ok.stdout + ok.stderr
    with sqlite3.connect(os.path.join(server.data_dir, "rampart.db")) as db:
        (stored,) = db.execute("SELECT password_hash FROM users WHERE email = 'o@acme.example'").fetchone()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert [u["has_password"] for u in server.admin("user", "list", "--org", "acme")] == [True]


def test_deleting_an_organization_refuses_while_it_holds_data_unless_forced(server):
    org_id, token = server.new_account("acme")
    c = Client(server.url, token)
    listed = c.post("/v4.0/user_domain_lists", {"list_name": "a", "list_type": "block",
                                                 "addresses": [{"value": "evil.example"}]}).json()["_data"][0]
    zone = c.post("/v4.0/policies", {"name": "p", "type": "dns", "lists": [{"list_id": listed["object_id"]}]})
    zone_name = zone.json()["_data"][0]["zone_name"]
    c.post("/v4.0/devices", {"name": "ns", "type": "dns", "policy_id": zone.json()["_data"][0]["object_id"],
                             "transfer_acl": ["127.0.0.1"]})
    soa = lambda: dns.query.tcp(dns.message.make_query(zone_name, "SOA"), "127.0.0.1", port=server.dns_port,  # noqa
                                timeout=10).rcode()
    assert soa() == dns.rcode.NOERROR
    out = server.admin("org", "delete", "acme", check=False)
    assert out.returncode == 1 and "1 lists" in out.stderr and "1 API keys" in out.stderr, out.stderr
    assert server.admin("org", "delete", "acme", "--force")["objects_deleted"] == 4
    assert not [o for o in server.admin("org", "list") if o["name"] == "acme"]
    audit = server.admin("audit", "--org", org_id)  # the organization's trail outlives it
    assert audit[0]["action"] == "delete" and audit[0]["actor"] == "admin" and audit[0]["list_kind"] == "organization"
    # The running server forgets it at once (the clock stands still: no cache expires on its own):
    # its key is refused and its zone is no longer served.
    eventually(lambda: c.get("/v4.0/user_ip_lists").status_code == 403)
    assert_error(c.get("/v4.0/user_ip_lists"), 403, 11001)
    eventually(lambda: soa() == dns.rcode.REFUSED)
    empty = server.admin("org", "create", "empty")
    assert server.admin("org", "delete", empty["id"])["objects_deleted"] == 0


def test_the_old_spellings_still_work_and_name_the_new_ones(tmp_path):
    data = str(tmp_path / "d")

    def run(*args):
        return subprocess.run([BIN, "admin", *args, "--data-dir", data, "--json"], capture_output=True, text=True,
                              timeout=30)
    made = run("account", "create", "legacy")
    assert made.returncode == 0 and "`rampart admin org create`" in made.stderr
    assert json.loads(made.stdout)["name"] == "legacy"
    tok = run("token", "create", "--account", "legacy", "--perm", "userlists:write")
    assert tok.returncode == 0 and "`rampart admin key create --org`" in tok.stderr
    made_key = json.loads(tok.stdout)
    assert made_key["perms"] == "userlists:write,policies:write"
    # What the old spelling printed is still there for scripts that parse it.
    assert made_key["perm"] == "userlists:write" and made_key["account_id"] == json.loads(made.stdout)["id"]
    listed = run("token", "list", "--account", "legacy")
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["id"] == json.loads(tok.stdout)["id"]
    assert json.loads(tok.stdout)["token"] not in listed.stdout
    assert run("account", "list").returncode == 0
