"""NOTIFY targets a write token may give a DNS device (issue 11 §1.1). Refused targets are refused at
creation, so nothing is ever sent to them; every target these tests let through is on loopback,
so no NOTIFY leaves the machine."""
import socket
import time

from conftest import Client, Server, assert_error


def create(c, path, body):
    r = c.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]


def policy(c, name="p"):
    lst = create(c, "/v4.0/user_domain_lists", {"list_name": name + "dom", "list_type": "block",
                                                "addresses": [{"value": "evil.example"}]})
    p = create(c, "/v4.0/policies", {"name": name, "type": "dns", "lists": [{"list_id": lst["object_id"]}]})
    return p["object_id"], lst["object_id"]


def test_refused_targets_and_limits(tmp_path):
    s = Server(str(tmp_path / "d"), ["--notify-denied-networks", "127.0.0.2/32, 10.99.0.0/16"]).start()
    c = Client(s.url, s.demo_token)
    pid, _ = policy(c)
    device = {"name": "ns", "type": "dns", "policy_id": pid, "transfer_acl": ["127.0.0.1"]}
    for target, why in (("169.254.169.254", "link-local"), ("[fe80::1]:53", "link-local"),
                        ("224.0.0.251:5353", "multicast"), ("[ff02::1]:53", "multicast"),
                        ("255.255.255.255", "broadcast"), ("0.0.0.0:53", "unspecified"), ("[::]:53", "unspecified"),
                        ("[::ffff:169.254.169.254]:53", "link-local"), ("127.0.0.2:53", "notify_denied_networks"),
                        ("10.99.3.4", "notify_denied_networks")):
        body = assert_error(c.post("/v4.0/devices", dict(device, notify=["127.0.0.1:5301", target])), 400, 11400)
        detail = body["additional_info"]["detail"]
        assert why in detail and target in detail, detail
    assert c.get("/v4.0/devices").json()["_data"] == []  # nothing was created
    # at most 16 per device, 64 per account (all loopback: nothing leaves the machine)
    many = ["127.0.0.1:%d" % (6000 + i) for i in range(17)]
    assert "at most 16" in assert_error(c.post("/v4.0/devices", dict(device, notify=many)), 400, 11400)[
        "additional_info"]["detail"]
    for i in range(4):
        create(c, "/v4.0/devices", dict(device, name="ns%d" % i, notify=["127.0.0.1:%d" % (7000 + 16 * i + j)
                                                                           for j in range(16)]))
    body = assert_error(c.post("/v4.0/devices", dict(device, name="ns5", notify=["127.0.0.1:9000"])), 400, 11400)
    assert "at most 64" in body["additional_info"]["detail"], body
    # a refused update changes nothing
    dev = c.get("/v4.0/devices").json()["_data"][0]
    assert_error(c.put("/v4.0/devices/" + dev["object_id"], {"notify": ["169.254.169.254"]}), 400, 11400)
    assert c.get("/v4.0/devices/" + dev["object_id"]).json()["_data"][0]["notify"] == dev["notify"]
    s.stop()


def test_notify_rounds_are_rate_limited_per_organization(tmp_path):
    """With 2 rounds a minute, a change to a policy with three notified resolvers reaches two of
    them; one log line says the rest were skipped, and later skips in that minute are not logged."""
    receivers = []
    for _ in range(3):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        u.settimeout(0.2)
        receivers.append(u)
    s = Server(str(tmp_path / "d"), ["--notify-per-org-per-min", "2"], log_level="info").start()
    c = Client(s.url, s.demo_token)
    pid, lst = policy(c)
    create(c, "/v4.0/devices", {"name": "ns", "type": "dns", "policy_id": pid, "transfer_acl": ["127.0.0.1"],
                                "notify": ["127.0.0.1:%d" % u.getsockname()[1] for u in receivers]})

    def received():
        got = 0
        deadline = time.time() + 3
        while time.time() < deadline:
            for u in receivers:
                try:
                    u.recvfrom(512)
                    got += 1
                except socket.timeout:
                    pass
        return got

    received()  # the device's own publish may already have used the minute's rounds
    for i in range(2):
        r = c.patch("/v4.0/user_domain_lists/" + lst, {"addresses": [{"value": "bad%d.example" % i, "action": "add"}]})
        assert r.status_code == 200, r.text
    assert received() <= 2 * 5  # at most 2 rounds in the minute (each up to 5 unanswered attempts)
    lines = [l for l in s.log_text().splitlines() if "NOTIFY rate-limited" in l]
    assert len(lines) == 1 and "skipped=" in lines[0], lines
    s.stop()
    for u in receivers:
        u.close()
