"""Every v4.0 user-list endpoint and every documented error code, against the real binary."""
import requests

from conftest import assert_error
from testclock import days, mdy, today

IP = "/v4.0/user_ip_lists"
DOM = "/v4.0/user_domain_lists"


def create(client, path=IP, **body):
    body.setdefault("list_name", "t1")
    r = client.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]


def test_create_returns_seed_shape(client, server):
    soon = today(server) + days(120)  # the seed's sample date, moved relative to the server's clock
    r = client.post(IP, {"addresses": [{"comments": "created via API", "value": "1.2.3.4"},
                                       {"comments": "will expire soon", "expires": mdy(soon), "value": "4.3.2.1/32"}],
                         "list_name": "api1test", "list_type": "block", "shared": False})
    assert r.status_code == 201
    body = r.json()
    obj = body["_data"][0]
    assert body["_links"]["self"]["href"] == server.url + IP
    assert obj["_links"]["self"]["href"] == server.url + IP + "/" + obj["object_id"]
    assert obj["addresses"] == [
        {"address_type": "ip", "comments": "created via API", "expires": None, "value": "1.2.3.4"},
        {"address_type": "netmask", "comments": "will expire soon", "expires": soon.isoformat(), "value": "4.3.2.1/32"}]
    assert obj["list_name"] == "api1test" and obj["list_type"] == "block" and obj["shared"] is False
    assert obj["description"] == ""
    assert len(obj["object_id"]) == 36 and obj["object_id"][14] == "4"


def test_collection_counts_and_meta(client):
    create(client, addresses=[{"value": "8.8.8.0/24"}, {"value": "9.9.9.1-9.9.9.10"}, {"value": "1.1.1.1"}])
    create(client, DOM, list_name="d1", addresses=[{"value": "example.com"}])
    r = client.get(IP)
    assert r.status_code == 200
    body = r.json()
    assert body["_meta"]["count"] == 1
    meta = body["_data"][0]["_meta"]["addresses"]
    assert meta == {"address_count": 256 + 10 + 1, "record_count": 3}
    assert "addresses" not in body["_data"][0]
    d = client.get(DOM).json()
    assert d["_meta"]["count"] == 1
    assert d["_data"][0]["_meta"]["addresses"] == {"address_count": 1, "record_count": 1}


def test_get_object_and_normalization(client):
    obj = create(client, addresses=[{"value": "4.3.2.1/24"}, {"value": "2600:1F18:0:0::5"},
                                    {"value": "8.8.8.1 - 8.8.8.3"}])
    r = client.get(IP + "/" + obj["object_id"])
    assert r.status_code == 200
    values = [(a["value"], a["address_type"]) for a in r.json()["_data"][0]["addresses"]]
    assert values == [("4.3.2.0/24", "netmask"), ("2600:1f18::5", "ip"), ("8.8.8.1-8.8.8.3", "range")]
    dom = create(client, DOM, list_name="d", addresses=[{"value": "WWW.Example.COM."}, {"value": "bücher.example"}])
    values = [a["value"] for a in dom["addresses"]]
    assert values == ["www.example.com", "xn--bcher-kva.example"]
    # remove matches the normalized value whatever form is sent
    r = client.patch(DOM + "/" + dom["object_id"], {"addresses": [{"value": "www.EXAMPLE.com.", "action": "remove"}]})
    assert r.json()["_meta"]["addresses"]["record_count"] == 1


def test_patch_add_remove_update(client, server):
    obj = create(client, addresses=[{"value": "1.2.3.4", "comments": "a"}])
    path = IP + "/" + obj["object_id"]
    later = (today(server) + days(400)).isoformat()
    r = client.patch(path, {"addresses": [{"value": "5.6.7.8", "action": "add", "expires": later}]})
    assert r.status_code == 200
    assert r.json()["_meta"]["addresses"] == {"address_count": 2, "record_count": 2}
    # add of an existing entry updates it (idempotent)
    r = client.patch(path, {"addresses": [{"value": "5.6.7.8", "action": "add", "comments": "again"}]})
    entries = {a["value"]: a for a in r.json()["_data"][0]["addresses"]}
    assert entries["5.6.7.8"]["comments"] == "again" and entries["5.6.7.8"]["expires"] == later
    assert r.json()["_meta"]["addresses"]["record_count"] == 2
    # update (no action) of an existing entry
    r = client.patch(path, {"addresses": [{"value": "1.2.3.4", "comments": "new comment"}]})
    assert {a["value"]: a["comments"] for a in r.json()["_data"][0]["addresses"]}["1.2.3.4"] == "new comment"
    # remove of an absent entry is a no-op
    r = client.patch(path, {"addresses": [{"value": "9.9.9.9", "action": "remove"}]})
    assert r.status_code == 200 and r.json()["_meta"]["addresses"]["record_count"] == 2
    # update of an absent entry is 400/11400
    assert_error(client.patch(path, {"addresses": [{"value": "9.9.9.9", "comments": "x"}]}), 400, 11400)
    # settings via PATCH
    r = client.patch(path, {"description": "d", "list_type": "allow"})
    assert r.json()["_data"][0]["description"] == "d" and r.json()["_data"][0]["list_type"] == "allow"


def test_put_replaces_addresses_keeps_settings(client):
    obj = create(client, description="keep", list_type="allow", addresses=[{"value": "1.2.3.4"}, {"value": "2.3.4.5"}])
    r = client.put(IP + "/" + obj["object_id"], {"addresses": [{"value": "3.4.5.6"}]})
    assert r.status_code == 200
    o = r.json()["_data"][0]
    assert [a["value"] for a in o["addresses"]] == ["3.4.5.6"]
    assert o["description"] == "keep" and o["list_type"] == "allow"
    assert_error(client.put(IP + "/" + obj["object_id"], {"description": "x"}), 400, 11400)


def test_delete_object_then_404(client):
    obj = create(client)
    path = IP + "/" + obj["object_id"]
    r = client.delete(path)
    assert r.status_code == 200
    assert r.json()["_data"][0]["object_id"] == obj["object_id"]
    assert_error(client.get(path), 404, 10300)
    assert_error(client.delete(path), 404, 10300)
    assert client.get(IP).json()["_meta"]["count"] == 0


def test_method_errors(client):
    obj = create(client)
    assert_error(client.delete(IP), 405, 10303)
    assert_error(client.delete(DOM), 405, 10303)
    r = client.req("PATCH", IP, {"addresses": []})
    assert_error(r, 405, 10001)
    assert set(m.strip() for m in r.headers["Allow"].split(",")) == {"GET", "POST"}
    assert_error(client.post(IP + "/" + obj["object_id"], {"list_name": "x"}), 400, 10301)
    assert_error(client.post(IP, {"list_name": "x", "object_id": obj["object_id"]}), 400, 10301)
    assert_error(client.get("/v4.0/nothing_here"), 404, 10000)


def test_validation_codes(client, server):
    cases = [
        ({"list_name": "muchtoolongtoname"}, 11400),  # 17 characters: past the default 16
        ({"list_name": "bad name"}, 11400),
        ({"list_name": "a", "description": "x" * 1025}, 11400),
        ({"list_name": "a", "shared": True}, 11400),
        ({"list_name": "a", "expires": "2001-01-01"}, 11400),
        ({"list_name": "a", "expires": "31-31-2030"}, 11400),
        ({"list_name": 12}, 11400),
        ({"list_name": "a", "addresses": [{"value": "10.1.2.3"}]}, 19012),
        ({"list_name": "a", "addresses": [{"value": "172.16.5.0/24"}]}, 19012),
        ({"list_name": "a", "addresses": [{"value": "8.0.0.0/8"}]}, 19012),
        ({"list_name": "a", "addresses": [{"value": "127.0.0.1"}]}, 19012),
        ({"list_name": "a", "addresses": [{"value": "fd12::1"}]}, 19012),
        ({"list_name": "a", "addresses": [{"value": "example.com"}]}, 19050),
        ({"list_name": "a", "addresses": [{"value": "not-an-ip"}]}, 19050),
    ]
    for body, code in cases:
        b = assert_error(client.post(IP, body), 400, code)
        assert b["additional_info"]["detail"], body
    b = assert_error(client.post(IP, {"list_name": "a", "addresses": [{"value": "192.168.7.7"}]}), 400, 19012)
    assert "192.168.7.7" in b["additional_info"]["detail"]
    long_domain = ".".join(["a" * 50] * 4) + ".example.com"  # 215 characters
    assert_error(client.post(DOM, {"list_name": "a", "addresses": [{"value": long_domain}]}), 400, 19013)
    assert_error(client.post(DOM, {"list_name": "a", "addresses": [{"value": "1.2.3.4"}]}), 400, 19050)
    # nothing was created by any of these
    assert client.get(IP).json()["_meta"]["count"] == 0
    assert client.get(DOM).json()["_meta"]["count"] == 0


def test_malformed_json_and_content_type(client, server):
    h = {"Authorization": "Bearer " + server.demo_token}
    r = requests.post(server.url + IP, data='{"list_name": ', headers=dict(h, **{"Content-Type": "application/json"}))
    assert_error(r, 400, 10003)
    r = requests.post(server.url + IP, data='{"list_name": "a"}', headers=h)
    assert_error(r, 415, 11401)
    r = requests.post(server.url + IP, data='{"list_name": "a"}', headers=dict(h, **{"Content-Type": "text/plain"}))
    assert_error(r, 415, 11401)
    r = requests.post(server.url + IP, data='{"list_name": "ok1"}',
                      headers=dict(h, **{"Content-Type": "application/json; charset=utf-8"}))
    assert r.status_code == 201


def test_duplicate_name_per_kind(client):
    create(client, list_name="dup")
    assert_error(client.post(IP, {"list_name": "dup"}), 400, 19000)
    assert_error(client.post(IP, {"list_name": "DUP"}), 400, 19000)
    create(client, DOM, list_name="dup")  # the other kind is a separate namespace
    other = create(client, list_name="other")
    assert_error(client.patch(IP + "/" + other["object_id"], {"list_name": "dup"}), 400, 19000)


def test_record_limit_and_atomicity(client):
    obj = create(client, addresses=[{"value": "1.1.1.1"}])
    path = IP + "/" + obj["object_id"]
    many = [{"value": "44.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255), "action": "add"} for i in range(32000)]
    assert_error(client.patch(path, {"addresses": many}), 400, 19011)
    assert client.get(path).json()["_meta"]["addresses"]["record_count"] == 1
    # one bad entry among 32,000 rejects everything
    bad = many[:31998] + [{"value": "10.0.0.1", "action": "add"}]
    assert_error(client.patch(path, {"addresses": bad}), 400, 19012)
    assert client.get(path).json()["_meta"]["addresses"]["record_count"] == 1
    r = client.patch(path, {"addresses": many[:31999]})
    assert r.status_code == 200
    assert r.json()["_meta"]["addresses"]["record_count"] == 32000


def test_history_records_every_change(client, server):
    obj = create(client, addresses=[{"value": "1.2.3.4"}])
    path = IP + "/" + obj["object_id"]
    client.patch(path, {"addresses": [{"value": "5.5.5.5", "action": "add"}, {"value": "1.2.3.4", "action": "remove"}]})
    client.put(path, {"addresses": [{"value": "6.6.6.6"}]})
    r = client.get(path + "/history")
    assert r.status_code == 200
    data = r.json()["_data"]
    assert [d["action"] for d in data] == ["replace", "update", "create"]
    assert data[1]["changes"] == {"added": ["5.5.5.5"], "removed": ["1.2.3.4"], "updated": []}
    assert data[0]["token_id"] == server.demo_token[4:20]
    assert r.json()["_meta"]["total"] == 3
    r = client.get(path + "/history?page=2&per_page=2")
    assert [d["action"] for d in r.json()["_data"]] == ["create"]
    assert_error(client.get(path + "/history?per_page=0"), 400, 11400)
    audit = server.admin("audit", "--account", "demo")
    assert [a["action"] for a in audit][:3] == ["replace", "update", "create"]


def test_check_ioc(client):
    blk = create(client, list_name="blk", addresses=[{"value": "8.8.8.0/24"}, {"value": "9.9.9.1-9.9.9.5"}])
    create(client, list_name="host", list_type="allow", addresses=[{"value": "8.8.8.8"}])
    create(client, DOM, list_name="doms", addresses=[{"value": "evil.example"}])
    r = client.post("/v4.0/check_ioc", {"iocs": [{"ioc": "8.8.8.8"}, {"ioc": "9.9.9.3"}, {"ioc": "a.b.evil.example"},
                                                 {"ioc": "example"}, {"ioc": "7.7.7.7"}]})
    assert r.status_code == 200
    res = r.json()["_data"]
    assert [(m["list_name"], m["matched_value"]) for m in res[0]["matches"]] == [("blk", "8.8.8.0/24"), ("host", "8.8.8.8")]
    assert res[1]["matches"][0]["object_id"] == blk["object_id"]
    assert res[2]["matches"][0]["matched_value"] == "evil.example"
    assert res[3]["listed"] is False and res[4]["listed"] is False
    assert_error(client.post("/v4.0/check_ioc", {"iocs": [{"ioc": "1.1.1.1"}] * 11}), 400, 11400)
    assert_error(client.post("/v4.0/check_ioc", {"iocs": [{"ioc": "not an ioc!"}]}), 400, 11400)
    assert_error(client.post("/v4.0/check_ioc", {"nope": []}), 400, 11400)
    r = client.get("/v4.0/check_ioc?ioc=9.9.9.1")
    assert r.json()["_data"][0]["listed"] is True
    # the snapshot follows changes immediately
    client.patch(IP + "/" + blk["object_id"], {"addresses": [{"value": "9.9.9.1-9.9.9.5", "action": "remove"}]})
    assert client.get("/v4.0/check_ioc?ioc=9.9.9.1").json()["_data"][0]["listed"] is False


def test_get_with_body_is_rejected(client, server):
    r = requests.get(server.url + IP, data="{}", headers={"Authorization": "Bearer " + server.demo_token})
    assert_error(r, 400, 10003)


def test_double_slash_and_trailing_slash_paths(client, server):
    h = {"Authorization": "Bearer " + server.demo_token}
    # the seed's example POSTs to base + '/' + '/v4.0/...'
    r = requests.post(server.url + "//v4.0/user_ip_lists", json={"list_name": "slash", "addresses": [{"value": "1.2.3.4"}]},
                      headers=h)
    assert r.status_code == 201, r.text
    oid = r.json()["_data"][0]["object_id"]
    r = requests.get(server.url + "//v4.0/user_ip_lists/", headers=h)
    assert r.status_code == 200
    body = r.json()
    assert body["_links"]["self"]["href"] == server.url + IP  # links are canonical
    assert body["_meta"]["count"] == 1 and [d["object_id"] for d in body["_data"]] == [oid]
    assert body["_data"][0]["list_name"] == "slash"
    r = requests.get(server.url + "//v4.0//user_ip_lists//" + oid + "/", headers=h)
    assert r.status_code == 200
    assert r.json() == client.get(IP + "/" + oid).json()
    assert [a["value"] for a in r.json()["_data"][0]["addresses"]] == ["1.2.3.4"]
    r = requests.patch(server.url + "/v4.0/user_ip_lists/" + oid + "//", headers=h,
                       json={"addresses": [{"value": "5.6.7.8", "action": "add"}]})
    assert r.status_code == 200 and r.json()["_meta"]["addresses"]["record_count"] == 2
    r = requests.get(server.url + "//v4.0/user_ip_lists/" + oid + "//history/", headers=h)
    assert [d["action"] for d in r.json()["_data"]] == ["update", "create"]
    assert_error(requests.get(server.url + "//v4.0//nothing_here/", headers=h), 404, 10000)
