"""End to end: lists and a DNS policy created through the API are enforced by real BIND and
Unbound resolvers that pull rampart's RPZ zone (AXFR, then NOTIFY + IXFR), on loopback only."""
import os
import re
import subprocess

import pytest

from conftest import Client, Server
from resolvers import Resolvers, dig, wait_for



def zone_of(server, policy="corp", account="demo"):
    """The default zone name of `policy`: <policy>.<the account's zone suffix>.rpz.<server_name>."""
    suffix = [a for a in server.admin("org", "list") if a["name"] == account][0]["zone_suffix"]
    return "%s.%s.rpz.rampart" % (policy, suffix)
PROPAGATION_BOUND_S = 30  # how long a change may take to reach a resolver before the test fails


def create(c, path, body):
    r = c.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]["object_id"]


@pytest.fixture
def lab(tmp_path):
    server = Server(str(tmp_path / "rampart"), log_level="info").start()
    res = Resolvers(str(tmp_path), zone_of(server), server.dns_port)
    yield server, res
    res.stop()


def lab_lists(c):
    """The lab's block list (blocked.lab.example) and allow list (ok.blocked.lab.example inside it)."""
    block = create(c, "/v4.0/user_domain_lists", {"list_name": "block", "list_type": "block",
                                                  "addresses": [{"value": "blocked.lab.example"}]})
    allow = create(c, "/v4.0/user_domain_lists", {"list_name": "allow", "list_type": "allow",
                                                  "addresses": [{"value": "ok.blocked.lab.example"}]})
    return block, allow


def answers(res, name):
    return {"bind": dig(res.bind_port, name), "unbound": dig(res.unbound_port, name)}


def test_bind_and_unbound_enforce_the_policy_and_follow_changes(lab):
    server, res = lab
    c = Client(server.url, server.demo_token)
    block, allow = lab_lists(c)
    ips = create(c, "/v4.0/user_ip_lists", {"list_name": "ips", "list_type": "block",
                                            "addresses": [{"value": "45.33.32.0/24"}]})
    policy = create(c, "/v4.0/policies", {"name": "corp", "type": "dns", "lists": [
        {"list_id": block, "behavior": "nxdomain"}, {"list_id": allow}, {"list_id": ips, "behavior": "nxdomain"}]})
    create(c, "/v4.0/devices", {"name": "resolvers", "type": "dns", "policy_id": policy,
                                "transfer_acl": ["127.0.0.0/8"], "notify": res.notify_targets})
    res.start()

    # Both resolvers load the zone and rewrite: the domain and its subdomains, and an answer
    # address inside the blocked network; the allowed host inside the blocked domain passes.
    def enforced():
        a = answers(res, "blocked.lab.example")
        return a["bind"][0] == "NXDOMAIN" and a["unbound"][0] == "NXDOMAIN"
    assert wait_for(enforced, 30) is not None, (res.log("bind")[-3000:], res.log("unbound")[-3000:])
    for name in ("blocked.lab.example", "www.blocked.lab.example", "ip.lab.example"):
        assert answers(res, name) == {"bind": ("NXDOMAIN", []), "unbound": ("NXDOMAIN", [])}, name
    for name, addr in (("ok.blocked.lab.example", "1.1.1.1"), ("clean.lab.example", "9.9.9.9")):
        assert answers(res, name) == {"bind": ("NOERROR", [addr]), "unbound": ("NOERROR", [addr])}, name

    # PATCH-remove the blocked domain: NOTIFY, then each resolver fetches an IXFR and stops blocking.
    mark = len(server.log_text())
    r = c.patch("/v4.0/user_domain_lists/" + block, {"addresses": [{"value": "blocked.lab.example", "action": "remove"}]})
    assert r.status_code == 200, r.text

    def lifted():
        a = answers(res, "blocked.lab.example")
        return a["bind"] == ("NOERROR", ["1.0.0.1"]) and a["unbound"] == ("NOERROR", ["1.0.0.1"])
    # A generous bound (not a speed claim: benchmarks measure that): a lost NOTIFY is retried after
    # 1, 2, 4, 8 s, and the resolvers' SOA refresh follows later still.
    took = wait_for(lifted, PROPAGATION_BOUND_S)
    assert took is not None, server.log_text()[mark:]
    print("both resolvers stopped blocking %.3f s after the PATCH returned" % took)
    after = server.log_text()[mark:]
    assert len(re.findall(r"dns IXFR zone=%s serial=\d+->\d+ client=127\.0\.0\.1 tcp=1" % re.escape(res.zone), after)) >= 2, after
    assert "dns AXFR" not in after and "IXFR-AXFR" not in after, after
    assert "dns NOTIFY-ACK" in after, after

    # Restart rampart on the same DNS port: the journal and serial survive, so the next change
    # still reaches both resolvers incrementally.
    server.restart()
    c = Client(server.url, server.demo_token)
    mark = len(server.log_text())
    r = c.patch("/v4.0/user_domain_lists/" + block, {"addresses": [{"value": "blocked.lab.example", "action": "add"}]})
    assert r.status_code == 200, r.text
    assert wait_for(enforced, PROPAGATION_BOUND_S) is not None, server.log_text()[mark:]
    after = server.log_text()[mark:]
    assert len(re.findall(r"dns IXFR zone=%s " % re.escape(res.zone), after)) >= 2, after
    assert "dns AXFR" not in after and "IXFR-AXFR" not in after, after


def test_knot_resolver_enforces_the_zone_file_and_follows_changes(lab):
    """Knot Resolver 5 takes the zone as a file (GET …/zone), watched: the set-up the docs show."""
    server, res = lab
    c = Client(server.url, server.demo_token)
    block, allow = lab_lists(c)
    policy = create(c, "/v4.0/policies", {"name": "corp", "type": "dns", "lists": [
        {"list_id": block, "behavior": "nxdomain"}, {"list_id": allow}]})

    def fetch_zone():
        r = c.get("/v4.0/policies/%s/zone" % policy)
        assert r.status_code == 200, r.text
        res.install_zone_file(r.text)

    fetch_zone()
    res.start(which=("auth", "kresd"))

    def kresd(name):
        return dig(res.kresd_port, name)
    # Up: the zone is loaded and the lab's authoritative server answers through it.
    up = lambda: kresd("blocked.lab.example")[0] == "NXDOMAIN" and kresd("clean.lab.example")[0] == "NOERROR"
    assert wait_for(up, 30, interval=0.2) is not None, res.log("kresd")[-3000:]
    assert kresd("www.blocked.lab.example") == ("NXDOMAIN", [])
    assert kresd("ok.blocked.lab.example") == ("NOERROR", ["1.1.1.1"])  # the allowed host passes
    assert kresd("clean.lab.example") == ("NOERROR", ["9.9.9.9"])

    r = c.patch("/v4.0/user_domain_lists/" + block, {"addresses": [{"value": "blocked.lab.example", "action": "remove"}]})
    assert r.status_code == 200, r.text
    fetch_zone()  # what a cron job or systemd timer does
    took = wait_for(lambda: kresd("blocked.lab.example") == ("NOERROR", ["1.0.0.1"]), PROPAGATION_BOUND_S)
    assert took is not None, res.log("kresd")[-3000:]
    print("Knot Resolver stopped blocking %.3f s after the new zone file was in place" % took)


def test_a_restored_older_database_resumes_above_what_secondaries_saw(lab, tmp_path):
    """Restoring a backup used to make the zone's serial go backwards: BIND answered "up to date"
    and kept the newer content, blocking a name the restored lists no longer block. The highest
    serial published is kept outside the database (zone-serials), so after the restore the zone
    is published above it and BIND follows the restored content."""
    import shutil
    import sqlite3
    server, res = lab
    c = Client(server.url, server.demo_token)
    block, allow = lab_lists(c)
    policy = create(c, "/v4.0/policies", {"name": "corp", "type": "dns", "lists": [
        {"list_id": block, "behavior": "nxdomain"}, {"list_id": allow}]})
    create(c, "/v4.0/devices", {"name": "resolvers", "type": "dns", "policy_id": policy,
                                "transfer_acl": ["127.0.0.0/8"], "notify": res.notify_targets})
    res.start(which=("auth", "bind"))
    assert wait_for(lambda: dig(res.bind_port, "blocked.lab.example")[0] == "NXDOMAIN", 30) is not None, res.log("bind")[-3000:]
    db = os.path.join(server.data_dir, "rampart.db")
    backup = str(tmp_path / "backup.db")
    with sqlite3.connect(db) as src, sqlite3.connect(backup) as dst:
        src.backup(dst)  # an online backup, as docs/operations.md shows with sqlite3 .backup
    # After the backup: unblock blocked.lab.example, block clean.lab.example; BIND follows.
    r = c.patch("/v4.0/user_domain_lists/" + block, {"addresses": [
        {"value": "blocked.lab.example", "action": "remove"}, {"value": "clean.lab.example", "action": "add"}]})
    assert r.status_code == 200, r.text
    newer = lambda: (dig(res.bind_port, "blocked.lab.example") == ("NOERROR", ["1.0.0.1"]) and
                     dig(res.bind_port, "clean.lab.example")[0] == "NXDOMAIN")
    assert wait_for(newer, PROPAGATION_BOUND_S) is not None, server.log_text()[-3000:]
    # Restore the older database, as the docs say: stop, replace, drop the WAL, start.
    server.stop()
    shutil.copyfile(backup, db)
    for extra in ("-wal", "-shm"):
        if os.path.exists(db + extra):
            os.remove(db + extra)
    mark = len(server.log_text())
    server.start()
    restored = lambda: (dig(res.bind_port, "blocked.lab.example")[0] == "NXDOMAIN" and
                        dig(res.bind_port, "clean.lab.example") == ("NOERROR", ["9.9.9.9"]))
    took = wait_for(restored, PROPAGATION_BOUND_S)
    assert took is not None, (server.log_text()[mark:], res.log("bind")[-3000:])
    print("BIND followed the restored database %.3f s after the start" % took)
    # An ordinary restart afterwards moves nothing: same serial, no transfer.
    c = Client(server.url, server.demo_token)
    serial = c.get("/v4.0/policies/" + policy).json()["_data"][0]["serial"]
    server.restart()
    c = Client(server.url, server.demo_token)
    assert c.get("/v4.0/policies/" + policy).json()["_data"][0]["serial"] == serial


def test_transfers_are_refused_outside_the_acl_and_for_unknown_zones(server, client):
    ips = create(client, "/v4.0/user_ip_lists", {"list_name": "ips", "list_type": "block",
                                                 "addresses": [{"value": "45.33.32.7"}]})
    policy = create(client, "/v4.0/policies", {"name": "edge", "type": "dns",
                                               "lists": [{"list_id": ips, "behavior": "drop"}]})
    zone = zone_of(server, "edge")
    # No device yet: nobody may transfer or even probe the zone.
    assert dig(server.dns_port, zone, "SOA")[0] == "REFUSED"
    dev = create(client, "/v4.0/devices", {"name": "fw", "type": "dns", "policy_id": policy,
                                           "transfer_acl": ["10.0.0.0/8"]})
    assert dig(server.dns_port, zone, "SOA")[0] == "REFUSED"  # 127.0.0.1 is not in 10/8
    r = client.put("/v4.0/devices/" + dev, {"transfer_acl": ["127.0.0.1"]})
    assert r.status_code == 200, r.text
    status, soa = dig(server.dns_port, zone, "SOA", ["+norec"])
    assert status == "NOERROR" and len(soa) == 1
    assert dig(server.dns_port, "other." + zone.split(".", 1)[1], "SOA")[0] == "REFUSED"
    out = __import__("subprocess").run(["dig", "+tcp", "@127.0.0.1", "-p", str(server.dns_port), zone, "AXFR"],
                                       capture_output=True, text=True).stdout
    assert "32.7.32.33.45.rpz-ip.%s." % zone in out and "rpz-drop." in out
    # The zone text over the API is the same zone.
    text = client.get("/v4.0/policies/%s/zone" % policy).text
    assert "32.7.32.33.45.rpz-ip IN CNAME rpz-drop." in text


def signed_policy(tmp_path, list_path, value, name):
    """A server (info log) with one block list holding `value`, a DNS policy `name` over it, and a
    TSIG device for 127.0.0.1. Returns (server, client, the device as created)."""
    server = Server(str(tmp_path / "rampart"), log_level="info").start()
    client = Client(server.url, server.demo_token)
    lst = create(client, list_path, {"list_name": "block", "list_type": "block", "addresses": [{"value": value}]})
    policy = create(client, "/v4.0/policies", {"name": name, "type": "dns", "lists": [{"list_id": lst}]})
    r = client.post("/v4.0/devices", {"name": "ns", "type": "dns", "policy_id": policy,
                                      "transfer_acl": ["127.0.0.1"], "tsig": True})
    assert r.status_code == 201, r.text
    return server, client, r.json()["_data"][0]


def test_tsig_device_transfers_only_with_its_key(tmp_path):
    server, client, dev = signed_policy(tmp_path, "/v4.0/user_ip_lists", "45.33.32.7", "sig")
    key, secret = dev["tsig_key_name"], dev["tsig_secret"]
    assert dev["tsig_algorithm"] == "hmac-sha256" and len(__import__("base64").b64decode(secret)) == 32
    shown = client.get("/v4.0/devices/" + dev["object_id"]).json()["_data"][0]
    assert shown["tsig_key_name"] == key and "tsig_secret" not in shown  # shown once
    zone = zone_of(server, "sig")

    def axfr(*extra):
        return subprocess.run(["dig", "+tcp", "@127.0.0.1", "-p", str(server.dns_port), zone, "AXFR",
                               *extra], capture_output=True, text=True).stdout
    # The right key: dig verifies the signature on every message (it reports failures otherwise).
    good = axfr("-y", "hmac-sha256:%s:%s" % (key, secret))
    assert "32.7.32.33.45.rpz-ip.%s." % zone in good and "Transfer failed" not in good, good
    assert "tsig verify failure" not in good.lower()
    # A wrong secret, and no key at all, are refused.
    wrong = axfr("-y", "hmac-sha256:%s:%s" % (key, "A" * 43 + "="))
    assert "rpz-ip" not in wrong and ("NOTAUTH" in wrong or "failed" in wrong.lower()), wrong
    unsigned = axfr()
    assert "rpz-ip" not in unsigned, unsigned
    log = server.log_text()
    assert "dns AXFR+TSIG zone=%s" % zone in log and "dns TSIG-BADSIG zone=%s" % zone in log
    # The key survives a restart (sealed at rest) and can be rotated: the old one stops working.
    server.restart()
    assert "rpz-ip" in axfr("-y", "hmac-sha256:%s:%s" % (key, secret))
    c = Client(server.url, server.demo_token)
    rotated = c.put("/v4.0/devices/" + dev["object_id"], {"tsig": True}).json()["_data"][0]
    assert rotated["tsig_secret"] != secret
    assert "rpz-ip" not in axfr("-y", "hmac-sha256:%s:%s" % (key, secret))
    assert "rpz-ip" in axfr("-y", "hmac-sha256:%s:%s" % (rotated["tsig_key_name"], rotated["tsig_secret"]))


@pytest.mark.parametrize("right_key", [True, False])
def test_bind_secondary_with_tsig(tmp_path, right_key):
    """BIND as a TSIG-signing secondary: with the device's key it loads the zone and enforces it;
    with a wrong secret rampart refuses it (BADSIG) and BIND has no zone."""
    server, _, dev = signed_policy(tmp_path, "/v4.0/user_domain_lists", "blocked.lab.example", "corp")
    secret = dev["tsig_secret"] if right_key else "A" * 43 + "="
    ZONE = zone_of(server)
    res = Resolvers(str(tmp_path), ZONE, server.dns_port, tsig=(dev["tsig_key_name"], secret))
    try:
        res.start(which=("auth", "bind"))
        if right_key:
            took = wait_for(lambda: dig(res.bind_port, "blocked.lab.example")[0] == "NXDOMAIN", 30)
            assert took is not None, res.log("bind")[-3000:]
            assert re.search(r"dns [AI]XFR\+TSIG zone=%s" % re.escape(ZONE), server.log_text())
        else:
            assert wait_for(lambda: "dns TSIG-BADSIG zone=%s" % ZONE in server.log_text(), 30) is not None
            assert dig(res.bind_port, "blocked.lab.example")[0] != "NXDOMAIN"  # BIND has no policy zone
            assert "+TSIG zone=%s" % ZONE not in server.log_text()
    finally:
        res.stop()
