"""RPZ primary on the wire, checked by clients that share no code with rampart (dig and dnspython):
TSIG over multi-message transfers and BADTIME, SOA timers, the serial rule, IXFR from the journal,
removing a device key, and zone names unique across accounts."""
import base64
import re
import subprocess

import dns.message
import dns.query
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.zone
import pytest

from conftest import Client, Server, assert_error


def created(r):
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]


def server_now(server):
    return server.advance_clock(0)["now_ms"] // 1000


def key_args(dev):
    if "tsig_secret" not in dev:
        return []
    return ["-y", "hmac-sha256:%s:%s" % (dev["tsig_key_name"], dev["tsig_secret"])]


def dig(server, zone, *args):
    out = subprocess.run(["dig", "@127.0.0.1", "-p", str(server.dns_port), zone, *args],
                         capture_output=True, text=True, timeout=60)
    return out.stdout + out.stderr


def soa_fields(server, zone, dev):
    """(serial, refresh, retry, expire, minimum) of the zone's SOA as dig reads it off the wire."""
    line = dig(server, zone, "SOA", "+short", *key_args(dev)).strip()
    m = re.fullmatch(r"\S+ \S+ (\d+) (\d+) (\d+) (\d+) (\d+)", line)
    assert m, line
    return tuple(int(x) for x in m.groups())


@pytest.fixture
def dnslab(tmp_path):
    """A server with one domain block list in a DNS policy, served to 127.0.0.1 by a TSIG device."""
    server = Server(str(tmp_path / "rampart"), log_level="info").start()
    c = Client(server.url, server.demo_token)
    lst = created(c.post("/v4.0/user_domain_lists", {"list_name": "big", "list_type": "block", "addresses": [
        {"value": "host%d.wire.example" % i} for i in range(3000)]}))["object_id"]
    policy = created(c.post("/v4.0/policies", {"name": "wire", "type": "dns", "lists": [{"list_id": lst}]}))
    dev = created(c.post("/v4.0/devices", {"name": "ns", "type": "dns", "policy_id": policy["object_id"],
                                           "transfer_acl": ["127.0.0.1"], "tsig": True}))
    return server, c, lst, dev, policy["zone_name"]


def test_signed_multi_message_transfer_verifies_in_dig_and_dnspython(dnslab):
    server, _, _, dev, zone = dnslab
    key, secret = dev["tsig_key_name"], dev["tsig_secret"]
    out = dig(server, zone, "AXFR", "-y", "hmac-sha256:%s:%s" % (key, secret))
    m = re.search(r"XFR size: (\d+) records \(messages (\d+)", out)
    assert m and int(m.group(2)) >= 3, out[-2000:]  # several messages, each verified by dig
    assert int(m.group(1)) == 2 * 3000 + 3
    assert "tsig verify failure" not in out.lower() and "Transfer failed" not in out, out[-2000:]
    # dnspython verifies every message of the stream too (it raises on the first bad MAC).
    keyring = dns.tsigkeyring.from_text({key: ("hmac-sha256", secret)})
    z = dns.zone.from_xfr(dns.query.xfr("127.0.0.1", zone, port=server.dns_port, keyring=keyring,
                                        keyalgorithm=dns.tsig.HMAC_SHA256, lifetime=30))
    assert len(z.nodes) == 1 + 2 * 3000


def test_badtime_answer_is_signed(dnslab):
    """A request signed more than 300 s away from the server's clock gets NOTAUTH/BADTIME, signed
    with the key over the request MAC: dig verifies it and reports the clock skew, where an
    unsigned answer would be a TSIG verify failure."""
    server, _, _, dev, zone = dnslab
    server.advance_clock(1000)  # the server's clock is now 1000 s ahead of dig's
    out = dig(server, zone, "SOA", "-y", "hmac-sha256:%s:%s" % (dev["tsig_key_name"], dev["tsig_secret"]))
    assert "BADTIME" in out or "clocks are unsynchronized" in out, out
    assert "tsig verify failure" not in out.lower(), out
    assert "dns TSIG-BADTIME zone=%s" % zone in server.log_text()


def test_soa_timers_and_serial_rule_on_the_wire(dnslab):
    server, c, lst, dev, zone = dnslab
    dev = created_or_ok(c.put("/v4.0/devices/" + dev["object_id"], {"tsig": False}))  # dig signs with wall time
    serial, refresh, retry, expire, minimum = soa_fields(server, zone, dev)
    assert (refresh, retry, expire, minimum) == (600, 60, 30 * 86400, 60)
    # A change a day later takes the clock's unix time (bigger than previous + 1) ...
    server.advance_clock(86400)
    now = server_now(server)
    assert now > serial + 1
    r = c.patch("/v4.0/user_domain_lists/" + lst, {"addresses": [{"action": "add", "value": "later.example"}]})
    assert r.status_code == 200, r.text
    assert soa_fields(server, zone, dev)[0] == now
    # ... and a second change in the same second takes previous + 1.
    r = c.patch("/v4.0/user_domain_lists/" + lst, {"addresses": [{"action": "add", "value": "later2.example"}]})
    assert r.status_code == 200, r.text
    assert soa_fields(server, zone, dev)[0] == now + 1


def test_ixfr_from_two_versions_back_is_incremental_on_the_wire(dnslab):
    server, c, lst, dev, zone = dnslab
    y = ["-y", "hmac-sha256:%s:%s" % (dev["tsig_key_name"], dev["tsig_secret"])]
    start = soa_fields(server, zone, dev)[0]
    for name in ("one.example", "two.example"):
        server.advance_clock(1)
        assert c.patch("/v4.0/user_domain_lists/" + lst, {"addresses": [{"action": "add", "value": name}]}).status_code == 200
    out = dig(server, zone, "IXFR=%d" % start, "+tcp", *y)
    assert "one.example.%s." % zone in out and "two.example.%s." % zone in out
    assert "host7.wire.example" not in out  # deltas only, not the zone
    assert "tsig verify failure" not in out.lower()
    assert re.search(r"dns IXFR\+TSIG zone=%s serial=%d->" % (re.escape(zone), start), server.log_text())


def test_tsig_false_removes_the_key(dnslab):
    server, c, _, dev, zone = dnslab
    y = ["-y", "hmac-sha256:%s:%s" % (dev["tsig_key_name"], dev["tsig_secret"])]
    assert "host1.wire.example" in dig(server, zone, "AXFR", *y)
    assert "host1.wire.example" not in dig(server, zone, "AXFR")  # unsigned: refused while keyed
    shown = created_or_ok(c.put("/v4.0/devices/" + dev["object_id"], {"tsig": False}))
    assert shown["tsig_key_name"] is None and "tsig_secret" not in shown, shown
    got = c.get("/v4.0/devices/" + dev["object_id"]).json()["_data"][0]
    assert got["tsig_key_name"] is None and "tsig_algorithm" not in got, got
    assert "host1.wire.example" in dig(server, zone, "AXFR")  # the network alone now suffices
    old_key = dig(server, zone, "AXFR", *y)
    assert "host1.wire.example" not in old_key, old_key[-1000:]
    assert "dns TSIG-BADKEY zone=%s" % zone in server.log_text()


def created_or_ok(r):
    assert r.status_code == 200, r.text
    return r.json()["_data"][0]


def suffix_of(server, name):
    return [x for x in server.admin("org", "list") if x["name"] == name][0]["zone_suffix"]


def test_zone_names_belong_to_their_account(tmp_path):
    """Zone names are no longer first come, first served across tenants (issue 11 §1.3): each
    account names zones under its own random suffix (or a domain an operator granted it); a name
    that is, or is a parent or child of, another account's zone is refused without saying whose."""
    server = Server(str(tmp_path / "rampart")).start()
    _, tok_a = server.new_account("alpha")
    _, tok_b = server.new_account("beta")
    a, b = Client(server.url, tok_a), Client(server.url, tok_b)
    sa, sb = suffix_of(server, "alpha"), suffix_of(server, "beta")
    assert re.fullmatch(r"[0-9a-f]{8}", sa) and sa != sb
    # The same policy name in two accounts: two zones, each under its account's suffix.
    za = created(a.post("/v4.0/policies", {"name": "same", "type": "dns", "lists": []}))["zone_name"]
    zb = created(b.post("/v4.0/policies", {"name": "same", "type": "dns", "lists": []}))["zone_name"]
    assert (za, zb) == ("same.%s.rpz.rampart" % sa, "same.%s.rpz.rampart" % sb)
    # A chosen name must sit under the account's own suffix: the TLD, the shared parent or a
    # victim's zone are refused with a message naming only the caller's own suffix.
    for bad in ("com", "rpz.rampart", za, "x." + za, "victim.rpz.rampart"):
        body = assert_error(b.post("/v4.0/policies", {"name": "q", "type": "dns", "zone_name": bad, "lists": []}), 400, 11400)
        detail = body["additional_info"]["detail"]
        assert sb in detail and sa not in detail and "alpha" not in detail, detail
    ok = created(b.post("/v4.0/policies", {"name": "mine", "type": "dns", "zone_name": "Corp.%s.rpz.rampart" % sb,
                                           "lists": []}))
    assert ok["zone_name"] == "corp.%s.rpz.rampart" % sb
    # Granted suffixes: another account's zone, its parent or its child is "not available", whoever
    # holds it; the error never names it.
    server.admin("org", "grant-zone-suffix", "--org", "alpha", "--suffix", "a.example.net")
    server.admin("org", "grant-zone-suffix", "--org", "beta", "--suffix", "example.net")
    held = created(a.post("/v4.0/policies", {"name": "held", "type": "dns", "zone_name": "z.a.example.net", "lists": []}))
    assert held["zone_name"] == "z.a.example.net"
    for clash in ("z.a.example.net", "a.example.net", "q.z.a.example.net"):
        body = assert_error(b.post("/v4.0/policies", {"name": "clash", "type": "dns", "zone_name": clash, "lists": []}),
                            400, 11400)
        detail = body["additional_info"]["detail"]
        assert "not available" in detail and "z.a.example.net" not in detail, detail
    assert created(b.post("/v4.0/policies", {"name": "free", "type": "dns", "zone_name": "free.example.net",
                                             "lists": []}))["zone_name"] == "free.example.net"
    assert len(a.get("/v4.0/policies").json()["_data"]) == 2 and len(b.get("/v4.0/policies").json()["_data"]) == 3
