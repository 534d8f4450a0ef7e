"""Builds tests/migration/v9/: a database made by rampart at schema V9 (commit b62b804, the last
release before organizations), with ThreatSTOP accounts, tokens, lists, policies, devices, zone
versions and Threat Stack organizations, users, Hawk keys and v2 data. The migration test opens a
copy with today's binary.

Run once with the V9 binary (never needed again; the output is committed):
  RAMPART_BIN=<v9 build>/cli/rampart /usr/bin/python3 tests/migration/make_v9_fixture.py
The secrets in fixture.json are test secrets made for this fixture only."""
import json
import pathlib
import os
import shutil
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
from conftest import Client, Server  # noqa: E402
from hawk_py import HawkSession  # noqa: E402
from v2_data import agent, alert, import_records, server_ms, vuln, DAY  # noqa: E402


def create(c, path, body):
    r = c.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]


def main():
    tmp = tempfile.mkdtemp()
    s = Server(os.path.join(tmp, "data")).start()
    out = {"accounts": {}, "hawk": {}}
    # ThreatSTOP side: "demo" (made by the harness), "Acme" (an org of the same name exists too),
    # "solo" (no Threat Stack org).
    for name in ("Acme", "solo"):
        s.admin("account", "create", name)
    out["accounts"]["demo"] = {"write": s.demo_token}
    for name in ("Acme", "solo"):
        out["accounts"][name] = {"write": s.token(name, "userlists:write"), "read": s.token(name, "userlists:read")}
    acme = Client(s.url, out["accounts"]["Acme"]["write"])
    ip = create(acme, "/v4.0/user_ip_lists", {"list_name": "badips", "list_type": "block",
                                              "addresses": [{"value": "203.0.113.7"}, {"value": "198.51.100.0/24"}]})
    dom = create(acme, "/v4.0/user_domain_lists", {"list_name": "baddoms", "list_type": "block",
                                                   "addresses": [{"value": "evil.example"}]})
    pol = create(acme, "/v4.0/policies", {"name": "corp", "type": "dns", "lists": [
        {"list_id": dom["object_id"], "behavior": "nxdomain"}, {"list_id": ip["object_id"], "behavior": "drop"}]})
    dev = create(acme, "/v4.0/devices", {"name": "ns1", "type": "dns", "policy_id": pol["object_id"],
                                         "transfer_acl": ["127.0.0.1"]})
    # A second version of the zone, so the journal has a delta.
    r = acme.patch("/v4.0/user_domain_lists/" + dom["object_id"], {"addresses": [{"value": "worse.example", "action": "add"}]})
    assert r.status_code == 200, r.text
    solo = Client(s.url, out["accounts"]["solo"]["write"])
    solo_list = create(solo, "/v4.0/user_ip_lists", {"list_name": "soloips", "list_type": "allow",
                                                     "addresses": [{"value": "192.0.2.1"}]})
    out["acme"] = {"ip_list": ip["object_id"], "domain_list": dom["object_id"], "policy": pol["object_id"],
                   "zone_name": pol["zone_name"], "device": dev["object_id"]}
    out["solo"] = {"ip_list": solo_list["object_id"]}
    # Threat Stack side: an org named like the account, and one with no account.
    for org in ("acme", "Other Org"):  # "acme": differs from the account's name only in case
        s.admin("org", "create", org)
    out["hawk"]["acme"] = s.admin("user", "create", "--org", "acme", "--role", "owner", "--email", "soc@acme.example")
    out["hawk"]["other"] = s.admin("user", "create", "--org", "Other Org", "--role", "owner", "--email", "a@other.example")
    now = server_ms(s)
    import_records(s, pathlib.Path(tmp), [agent("agent-1", now - DAY), alert("alert-1", now - DAY), vuln("CVE-2024-0001", now - DAY)],
                   org="acme")
    acme_ts = HawkSession(s.url, out["hawk"]["acme"])
    rs = acme_ts.request("POST", "/v2/rulesets", {"name": "base", "description": "d", "rules": []})
    assert rs.status_code == 200, rs.text
    out["acme"]["ruleset"] = rs.json()["id"]
    out["now_ms"] = now
    s.stop()
    dest = os.path.join(HERE, "v9")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    db = sqlite3.connect(os.path.join(s.data_dir, "rampart.db"))
    version = db.execute("PRAGMA user_version").fetchone()[0]
    assert version == 9, version
    with open(os.path.join(dest, "rampart.sql"), "w") as f:
        f.write("PRAGMA user_version = 9;\n")
        for line in db.iterdump():
            f.write(line + "\n")
    shutil.copy(os.path.join(s.data_dir, "master.key"), os.path.join(dest, "master.key"))
    with open(os.path.join(dest, "fixture.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    shutil.copy(os.path.join(s.data_dir, "zone-serials"), os.path.join(dest, "zone-serials")) \
        if os.path.exists(os.path.join(s.data_dir, "zone-serials")) else None
    print("wrote", dest)


if __name__ == "__main__":
    main()
