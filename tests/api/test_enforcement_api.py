"""/v4.0/policies and /v4.0/devices: validation, in-use protection, isolation, durability, and
the firewall exports loaded for real (nft, ipset) inside a network namespace the test creates."""
import os
import re
import subprocess
import uuid

import pytest

from conftest import Client, assert_error


def create(c, path, body):
    r = c.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]


def lists(c):
    dom = create(c, "/v4.0/user_domain_lists", {"list_name": "dom", "list_type": "block",
                                                "addresses": [{"value": "evil.example"}]})
    ip = create(c, "/v4.0/user_ip_lists", {"list_name": "ip", "list_type": "block", "addresses": [
        {"value": "45.33.32.0/24"}, {"value": "45.33.33.0/24"}, {"value": "45.33.32.9"},
        {"value": "2a00:1450::/32"}, {"value": "81.2.69.1-81.2.69.6"}]})
    allow = create(c, "/v4.0/user_ip_lists", {"list_name": "allowip", "list_type": "allow",
                                              "addresses": [{"value": "45.33.32.7"}]})
    return dom["object_id"], ip["object_id"], allow["object_id"]


def test_policy_validation_and_in_use_protection(client):
    dom, ip, allow = lists(client)
    assert_error(client.post("/v4.0/policies", {"name": "p", "type": "firewall"}), 400, 11400)
    assert_error(client.post("/v4.0/policies", {"name": "bad name!", "type": "dns"}), 400, 11400)
    assert_error(client.post("/v4.0/policies", {"name": "p", "type": "ip", "lists": [{"list_id": dom}]}), 400, 11400)
    assert_error(client.post("/v4.0/policies", {"name": "p", "type": "dns", "lists": [{"list_id": str(uuid.uuid4())}]}),
                 400, 11400)
    assert_error(client.post("/v4.0/policies", {"name": "p", "type": "dns",
                                                "lists": [{"list_id": dom, "behavior": "sinkhole"}]}), 400, 11400)
    assert_error(client.post("/v4.0/policies", {"name": "p", "type": "dns",
                                                "lists": [{"list_id": dom, "behavior": "cname"}]}), 400, 11400)
    assert_error(client.post("/v4.0/policies", {"name": "p", "type": "dns", "colour": "red"}), 400, 11400)
    assert_error(client.req("POST", "/v4.0/policies", raw="{", headers={"Content-Type": "application/json"}), 400, 10003)
    p = create(client, "/v4.0/policies", {"name": "p", "type": "dns", "lists": [
        {"list_id": dom, "behavior": "cname", "cname": "Garden.Example.COM"}, {"list_id": ip, "behavior": "drop"},
        {"list_id": allow, "behavior": "nxdomain"}]})
    assert re.fullmatch(r"p\.[0-9a-f]{8}\.rpz\.rampart", p["zone_name"]) and isinstance(p["serial"], int)
    assert p["lists"][0] == {"list_id": dom, "behavior": "cname", "cname": "garden.example.com"}
    assert p["lists"][2]["behavior"] == "passthru"  # allow lists always pass through
    assert_error(client.post("/v4.0/policies", {"name": "P", "type": "ip"}), 400, 19000)
    assert_error(client.put("/v4.0/policies/" + p["object_id"], {"type": "ip"}), 400, 11400)
    zone = client.get("/v4.0/policies/%s/zone" % p["object_id"]).text
    assert "evil.example IN CNAME garden.example.com." in zone and "32.7.32.33.45.rpz-ip IN CNAME rpz-passthru." in zone

    # A list a policy uses cannot be deleted; nor a policy a device uses.
    assert_error(client.delete("/v4.0/user_domain_lists/" + dom), 400, 19060)
    dev = create(client, "/v4.0/devices", {"name": "ns1", "type": "dns", "policy_id": p["object_id"],
                                           "transfer_acl": ["127.0.0.1", "10.0.0.0/8"], "notify": ["127.0.0.1:5301"]})
    assert dev["transfer_acl"] == ["127.0.0.1/32", "10.0.0.0/8"] and dev["notify"] == ["127.0.0.1:5301"]
    assert_error(client.post("/v4.0/devices", {"name": "fw", "type": "ip", "policy_id": p["object_id"]}), 400, 11400)
    assert_error(client.post("/v4.0/devices", {"name": "x", "type": "dns", "policy_id": p["object_id"],
                                               "notify": ["not-an-address"]}), 400, 11400)
    assert_error(client.delete("/v4.0/policies/" + p["object_id"]), 400, 19060)
    assert client.delete("/v4.0/devices/" + dev["object_id"]).status_code == 200
    assert client.delete("/v4.0/policies/" + p["object_id"]).status_code == 200
    assert client.delete("/v4.0/user_domain_lists/" + dom).status_code == 200
    assert_error(client.get("/v4.0/policies/" + p["object_id"]), 404, 10300)


def test_accounts_see_only_their_policies_and_writes_survive_kill9(server, client):
    _, ip, _ = lists(client)
    p = create(client, "/v4.0/policies", {"name": "edge", "type": "ip", "lists": [{"list_id": ip}]})
    _, other_token = server.new_account("other")
    other = Client(server.url, other_token)
    assert other.get("/v4.0/policies").json()["_data"] == []
    assert_error(other.get("/v4.0/policies/" + p["object_id"]), 404, 10300)
    assert_error(other.post("/v4.0/policies", {"name": "x", "type": "ip", "lists": [{"list_id": ip}]}), 400, 11400)
    _, reader = server.new_account("reader", perm="userlists:read")
    dns = create(client, "/v4.0/policies", {"name": "dnsp", "type": "dns", "lists": [{"list_id": ip}]})
    server.kill9()
    server.start()
    c = Client(server.url, server.demo_token)
    names = [x["name"] for x in c.get("/v4.0/policies").json()["_data"]]
    assert names == ["edge", "dnsp"]
    assert c.get("/v4.0/policies/" + dns["object_id"]).json()["_data"][0]["serial"] == dns["serial"]


def netns(name):
    subprocess.run(["ip", "netns", "add", name], check=True)
    return name


def test_ip_exports_load_into_nft_and_ipset(tmp_path, client):
    _, ip, allow = lists(client)
    p = create(client, "/v4.0/policies", {"name": "fw-1", "type": "ip", "lists": [{"list_id": ip}, {"list_id": allow}]})
    base = "/v4.0/policies/%s/export?format=" % p["object_id"]
    plain = client.get(base + "plain")
    assert plain.status_code == 200 and plain.headers["Content-Type"].startswith("text/plain")
    # 45.33.32.0/23 merged, minus the allowed 45.33.32.7; the contained /32 folded in; the range split.
    assert plain.text.splitlines() == [
        "45.33.32.0/30", "45.33.32.4/31", "45.33.32.6", "45.33.32.8/29", "45.33.32.16/28", "45.33.32.32/27",
        "45.33.32.64/26", "45.33.32.128/25", "45.33.33.0/24", "81.2.69.1", "81.2.69.2/31", "81.2.69.4/31",
        "81.2.69.6", "2a00:1450::/32"]
    assert_error(client.get(base + "pf"), 400, 11400)
    nft = client.get(base + "nft").text
    ipset = client.get(base + "ipset").text
    (tmp_path / "rules.nft").write_text(nft)
    (tmp_path / "sets.ipset").write_text(ipset)
    ns = netns("rampart-test-%d" % os.getpid())
    try:
        run = lambda *cmd: subprocess.run(["ip", "netns", "exec", ns, *cmd], capture_output=True, text=True)
        r = run("nft", "-c", "-f", str(tmp_path / "rules.nft"))
        assert r.returncode == 0, r.stderr
        for _ in range(2):  # loading twice is a full replacement, not an error
            r = run("nft", "-f", str(tmp_path / "rules.nft"))
            assert r.returncode == 0, r.stderr
        listed = run("nft", "list", "set", "inet", "rampart", "rampart_fw_1_v4").stdout
        assert "45.33.32.6" in listed and "45.33.33.0/24" in listed and "45.33.32.7 " not in listed
        for _ in range(2):
            r = run("ipset", "restore", "-exist", "-file", str(tmp_path / "sets.ipset"))
            assert r.returncode == 0, r.stderr
        members = run("ipset", "list", "rampart_fw_1_4").stdout
        assert "45.33.33.0/24" in members and "81.2.69.6" in members
        assert run("ipset", "test", "rampart_fw_1_4", "45.33.32.7").returncode != 0  # allowed
        assert run("ipset", "test", "rampart_fw_1_4", "45.33.32.9").returncode == 0
        assert run("ipset", "test", "rampart_fw_1_6", "2a00:1450::1").returncode == 0
    finally:
        subprocess.run(["ip", "netns", "exec", ns, "ipset", "destroy"], capture_output=True)
        subprocess.run(["ip", "netns", "delete", ns], capture_output=True)


def test_expiry_sweep_removes_entries_from_the_zone_with_a_new_serial(server, client):
    from testclock import days, mdy, today
    tomorrow = mdy(today(server) + days(1))  # the server's clock, not the machine's
    lst = create(client, "/v4.0/user_domain_lists", {"list_name": "temp", "list_type": "block", "addresses": [
        {"value": "short.example", "expires": tomorrow}, {"value": "long.example"}]})
    p = create(client, "/v4.0/policies", {"name": "exp", "type": "dns", "lists": [{"list_id": lst["object_id"]}]})
    create(client, "/v4.0/devices", {"name": "ns", "type": "dns", "policy_id": p["object_id"], "transfer_acl": ["127.0.0.1"]})
    zone = client.get("/v4.0/policies/%s/zone" % p["object_id"]).text
    assert "short.example IN CNAME ." in zone
    server.advance_clock(3 * 86400)  # past the expiry; the hook runs the sweep
    after = client.get("/v4.0/policies/" + p["object_id"]).json()["_data"][0]
    assert after["serial"] != p["serial"]
    zone = client.get("/v4.0/policies/%s/zone" % p["object_id"]).text
    assert "short.example" not in zone and "long.example IN CNAME ." in zone
    ixfr = subprocess.run(["dig", "+tcp", "@127.0.0.1", "-p", str(server.dns_port), p["zone_name"],
                           "IXFR=%d" % p["serial"]], capture_output=True, text=True).stdout
    assert "short.example.%s." % p["zone_name"] in ixfr and "long.example" not in ixfr, ixfr  # only the removal


def test_a_transfer_client_that_stops_reading_is_dropped(tmp_path):
    """A secondary that asks for a large AXFR and then reads nothing must not hold the transfer
    forever: past dns_write_timeout_ms for one message it is dropped, and the server serves on."""
    import socket
    import struct
    from conftest import Client, Server
    from resolvers import dig, wait_for
    # Both ends' socket buffers are fixed (server SO_SNDBUF 64 KiB, client SO_RCVBUF 4 KiB; the
    # kernel doubles each), so whether the transfer fits in them does not depend on the host's
    # tcp_wmem/tcp_rmem: ~2 MB of zone is many times what they hold.
    server = Server(str(tmp_path / "rampart"), extra_args=["--dns-write-timeout-ms", "300",
                                                           "--dns-send-buffer-bytes", "65536"],
                    log_level="info").start()
    c = Client(server.url, server.demo_token)
    lists = []
    for i in range(2):  # 25,000 entries -> ~50,000 records, ~2 MB
        r = c.post("/v4.0/user_domain_lists", {"list_name": "big%d" % i, "list_type": "block", "addresses": [
            {"value": "h%06d.stall%d.example" % (j, i)} for j in range(12500)]})
        assert r.status_code == 201, r.text[:500]
        lists.append(r.json()["_data"][0]["object_id"])
    r = c.post("/v4.0/policies", {"name": "big", "type": "dns", "lists": [{"list_id": l} for l in lists]})
    assert r.status_code == 201, r.text[:500]
    zone = r.json()["_data"][0]["zone_name"]
    r = c.post("/v4.0/devices", {"name": "sec", "type": "dns", "policy_id": r.json()["_data"][0]["object_id"],
                                 "transfer_acl": ["127.0.0.1"]})
    assert r.status_code == 201, r.text[:500]
    qname = b"".join(bytes([len(l)]) + l.encode() for l in zone.split(".")) + b"\0"
    query = struct.pack(">HHHHHH", 0x4242, 0, 1, 0, 0, 0) + qname + struct.pack(">HH", 252, 1)  # AXFR IN
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # and then never read
    try:
        s.connect(("127.0.0.1", server.dns_port))
        s.sendall(struct.pack(">H", len(query)) + query)
        aborted = wait_for(lambda: "dns AXFR-ABORTED zone=%s" % zone in server.log_text(), 60, interval=0.1)
        assert aborted is not None, server.log_text()[-2000:]
        line = [l for l in server.log_text().splitlines() if "dns AXFR-ABORTED" in l][-1]
        sent = int(line.split("bytes=")[1].split()[0])
        print(line)
    finally:
        s.close()
    # The server is not stuck: the next client gets its answer, and the whole transfer (which a
    # reading client gets) is bigger than what the stalled one was sent.
    status, soa = dig(server.dns_port, zone, "SOA", ["+norec"])
    assert status == "NOERROR" and len(soa) == 1
    full = subprocess.run(["dig", "@127.0.0.1", "-p", str(server.dns_port), zone, "AXFR"],
                          capture_output=True, text=True, timeout=60).stdout
    total = int(re.search(r"XFR size: \d+ records \(messages \d+, bytes (\d+)\)", full).group(1))
    assert 0 < sent < total / 2, (line, total)  # some of it went out, far from all


def test_policy_and_device_changes_are_audited_with_history(server, client):
    """Every policy, device and TSIG key change leaves who/what/before/after, served at
    /v4.0/policies/{id}/history and /v4.0/devices/{id}/history in the lists' history shape; a
    TSIG secret never appears there, only that one was generated."""
    dom, ip, allow = lists(client)
    p = create(client, "/v4.0/policies", {"name": "audited", "type": "dns", "lists": [{"list_id": dom}]})
    r = client.put("/v4.0/policies/" + p["object_id"], {"name": "audited2"})
    assert r.status_code == 200, r.text
    dev = create(client, "/v4.0/devices", {"name": "ns-a", "type": "dns", "policy_id": p["object_id"],
                                           "transfer_acl": ["127.0.0.1"], "tsig": True})
    secret = dev["tsig_secret"]  # shown once, in this answer
    r = client.put("/v4.0/devices/" + dev["object_id"], {"transfer_acl": ["127.0.0.2"]})
    assert r.status_code == 200, r.text
    h = client.get("/v4.0/policies/%s/history" % p["object_id"]).json()
    assert h["_meta"]["total"] == 2 and [e["action"] for e in h["_data"]] == ["update", "create"]
    newest = h["_data"][0]
    assert newest["object_id"] == p["object_id"] and newest["token_id"] and newest["list_name"] == "audited2"
    assert newest["changes"]["before"]["lists"] and newest["changes"]["after"]["lists"]
    assert h["_data"][1]["changes"]["before"] is None
    assert h["_links"]["self"]["href"].endswith("/v4.0/policies/%s/history" % p["object_id"])
    dh = client.get("/v4.0/devices/%s/history" % dev["object_id"])
    assert dh.status_code == 200, dh.text
    entries = dh.json()["_data"]
    assert [e["action"] for e in entries] == ["update", "create"]
    assert entries[1]["changes"]["after"]["tsig_secret"] == "generated"
    assert entries[0]["changes"]["before"]["transfer_acl"] == ["127.0.0.1/32"]
    assert entries[0]["changes"]["after"]["transfer_acl"] == ["127.0.0.2/32"]
    assert "tsig_secret" not in entries[0]["changes"]["after"]  # unchanged key: not "generated" again
    assert "sealed" not in dh.text and secret not in dh.text
    assert client.delete("/v4.0/devices/" + dev["object_id"]).status_code == 200
    assert_error(client.get("/v4.0/devices/%s/history" % dev["object_id"]), 404, 10300)
    assert_error(client.get("/v4.0/policies/nope/history"), 404, 10300)


def test_admin_check_says_ok_on_a_database_with_policies_and_explains_damage(server, client):
    """PRAGMA integrity_check used to report "NULL value in policy_list_refs.account_id" on every
    database with a policy (SQLite 3.40 and that table's old shape); `rampart admin check` runs the
    check and explains it."""
    import sqlite3
    dom, ip, allow = lists(client)
    create(client, "/v4.0/policies", {"name": "checked", "type": "dns", "lists": [{"list_id": dom}]})
    db = os.path.join(server.data_dir, "rampart.db")
    out = subprocess.run([os.environ["RAMPART_BIN"], "admin", "check", "--data-dir", server.data_dir],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("ok"), out.stdout + out.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        c.execute("PRAGMA foreign_keys = OFF")
        c.execute("INSERT INTO policy_list_refs(org_id, policy_id, list_id) VALUES ('a', 'p', 'no-such-list')")
    out = subprocess.run([os.environ["RAMPART_BIN"], "admin", "check", "--data-dir", server.data_dir, "--json"],
                         capture_output=True, text=True, timeout=60)
    report = __import__("json").loads(out.stdout)
    assert out.returncode == 1 and report["ok"] is False, out.stdout + out.stderr
    assert any("policy_list_refs" in p and "user_lists" in p for p in report["problems"]), report
