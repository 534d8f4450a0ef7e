"""Boundaries of the v4.0 user lists API that a one-character change in the server would move:
expiry days (inclusive, list-level defaults), object_id in PATCH/PUT bodies, the /12 and /32 span
limits, history paging, and address counts beyond 2^64."""
import json
import re

import requests

from conftest import assert_error
from testclock import advance_to_last_second_of, advance_to_start_of, days, today

IP = "/v4.0/user_ip_lists"
DOM = "/v4.0/user_domain_lists"


def create(client, path, body):
    r = client.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["_data"][0]


def entries(client, path):
    obj = client.get(path).json()["_data"][0]
    return obj, {a["value"]: a["expires"] for a in obj["addresses"]}


def listed(client, ioc):
    return client.get("/v4.0/check_ioc?ioc=" + ioc).json()["_data"][0]["listed"]


def test_list_expiry_day_is_inclusive_for_inherited_and_own_expiries(server, client):
    d = today(server) + days(1)  # the expiry day
    later = (d + days(5)).isoformat()
    ip = create(client, IP, {"list_name": "exp", "expires": d.isoformat(), "addresses": [
        {"value": "1.1.1.1"},                                  # inherits the list's expiry
        {"value": "2.2.2.2", "expires": d.isoformat()},        # its own, the same day
        {"value": "3.3.3.3", "expires": later}]})              # its own, later
    dom = create(client, DOM, {"list_name": "exp", "expires": d.isoformat(), "addresses": [
        {"value": "inherit.example"}, {"value": "own.example", "expires": d.isoformat()},
        {"value": "later.example", "expires": later}]})
    ip_path, dom_path = IP + "/" + ip["object_id"], DOM + "/" + dom["object_id"]
    all_ip = {"1.1.1.1": d.isoformat(), "2.2.2.2": d.isoformat(), "3.3.3.3": later}
    all_dom = {"inherit.example": d.isoformat(), "own.example": d.isoformat(), "later.example": later}

    # On the expiry day, from its first second to its last, nothing expires and the list keeps its default.
    for move in (advance_to_start_of, advance_to_last_second_of):
        assert move(server, d)["purged"] == 0, move.__name__
        obj, got = entries(client, ip_path)
        assert (obj["expires"], got) == (d.isoformat(), all_ip), move.__name__
        assert obj["_meta"]["addresses"] == {"address_count": 3, "record_count": 3}
        obj, got = entries(client, dom_path)
        assert (obj["expires"], got) == (d.isoformat(), all_dom), move.__name__
        for ioc in ("1.1.1.1", "2.2.2.2", "www.inherit.example", "own.example"):
            assert listed(client, ioc), (move.__name__, ioc)

    # The day after: both kinds of expired entries are swept, the later one stays, the default is cleared.
    assert advance_to_start_of(server, d + days(1))["purged"] == 4
    obj, got = entries(client, ip_path)
    assert (obj["expires"], got) == (None, {"3.3.3.3": later})
    assert obj["_meta"]["addresses"] == {"address_count": 1, "record_count": 1}
    obj, got = entries(client, dom_path)
    assert (obj["expires"], got) == (None, {"later.example": later})
    for ioc in ("1.1.1.1", "2.2.2.2", "inherit.example", "own.example"):
        assert not listed(client, ioc), ioc
    assert listed(client, "3.3.3.3") and listed(client, "later.example")
    h = client.get(ip_path + "/history").json()["_data"][0]
    assert h["action"] == "expire" and h["token_id"] == "system"
    assert sorted(h["changes"]["removed"]) == ["1.1.1.1", "2.2.2.2"]
    assert client.get(IP).json()["_data"][0]["expires"] is None

    # An entry added later does not inherit the past date: it is active and survives the next sweeps.
    r = client.patch(ip_path, {"addresses": [{"value": "4.4.4.4", "action": "add"}]})
    assert r.status_code == 200, r.text
    assert {a["value"]: a["expires"] for a in r.json()["_data"][0]["addresses"]}["4.4.4.4"] is None
    assert advance_to_start_of(server, d + days(2))["purged"] == 0
    assert entries(client, ip_path)[1] == {"3.3.3.3": later, "4.4.4.4": None}


def test_list_expiring_today_keeps_its_entries_until_tomorrow(server, client):
    d = today(server)
    obj = create(client, IP, {"list_name": "today", "expires": d.isoformat(), "addresses": [{"value": "5.5.5.5"}]})
    path = IP + "/" + obj["object_id"]
    assert advance_to_last_second_of(server, d)["purged"] == 0
    assert entries(client, path)[1] == {"5.5.5.5": d.isoformat()}
    assert advance_to_start_of(server, d + days(1))["purged"] == 1
    assert entries(client, path)[1] == {}


def test_object_id_in_body_must_equal_the_urls(client):
    for path, value, other_value in ((IP, "1.2.3.4", "5.6.7.8"), (DOM, "a.example", "b.example")):
        obj = create(client, path, {"list_name": "oid", "description": "before", "addresses": [{"value": value}]})
        other = create(client, path, {"list_name": "other"})
        url = path + "/" + obj["object_id"]
        before = client.get(url).json()
        n_history = client.get(url + "/history").json()["_meta"]["total"]
        bodies = {"PATCH": {"description": "after", "addresses": [{"value": other_value, "action": "add"}]},
                  "PUT": {"description": "after", "addresses": [{"value": other_value}]}}
        for method, body in bodies.items():
            for wrong in (other["object_id"], "not-a-uuid"):
                b = assert_error(client.req(method, url, dict(body, object_id=wrong)), 400, 11400)
                assert "object_id" in b["additional_info"]["detail"], b
        # nothing changed: the list, the other list, the audit trail
        assert client.get(url).json() == before
        assert client.get(url + "/history").json()["_meta"]["total"] == n_history
        assert client.get(path + "/" + other["object_id"]).json()["_data"][0]["_meta"]["addresses"]["record_count"] == 0
        # the URL's own id is accepted
        for method, body in bodies.items():
            r = client.req(method, url, dict(body, object_id=obj["object_id"]))
            assert r.status_code == 200, (method, r.text)
            assert r.json()["_data"][0]["description"] == "after"
            assert other_value in [a["value"] for a in r.json()["_data"][0]["addresses"]]


def test_span_limits_are_exact(client):
    accepted = ["44.0.0.0/12", "44.0.0.0-44.15.255.255", "44.0.0.1-44.16.0.0",  # exactly 2^20
                "2600::/32", "2600::-2600:0:ffff:ffff:ffff:ffff:ffff:ffff", "2600::1-2600:1::"]  # exactly 2^96
    rejected = ["44.0.0.0/11", "44.0.0.0-44.16.0.0", "44.0.0.1-44.16.0.1",  # 2^21, 2^20 + 1, 2^20 + 1
                "2600::/31", "2600::-2600:1::", "2600::1-2600:1::1"]  # 2^97, 2^96 + 1, 2^96 + 1
    obj = create(client, IP, {"list_name": "span"})
    path = IP + "/" + obj["object_id"]
    for v in rejected:
        b = assert_error(client.post(IP, {"list_name": "bad", "addresses": [{"value": v}]}), 400, 19012)
        assert v in b["additional_info"]["detail"] and "larger than a /" in b["additional_info"]["detail"], b
        assert_error(client.patch(path, {"addresses": [{"value": v, "action": "add"}]}), 400, 19012)
    assert client.get(path).json()["_meta"]["addresses"]["record_count"] == 0
    for i, v in enumerate(accepted):
        r = client.patch(path, {"addresses": [{"value": v, "action": "add"}]})
        assert r.status_code == 200, (v, r.text)
        assert r.json()["_meta"]["addresses"]["record_count"] == i + 1
    counts = client.get(path).json()["_data"][0]["_meta"]["addresses"]
    assert counts == {"address_count": float(3 * 2 ** 20 + 3 * 2 ** 96), "record_count": 6}  # a double


def test_history_per_page_is_1_to_500(server, client):
    obj = create(client, IP, {"list_name": "hist"})
    url = server.url + IP + "/" + obj["object_id"]
    with requests.Session() as s:
        s.headers["Authorization"] = "Bearer " + server.demo_token
        for i in range(501):  # 502 records with the creation
            assert s.patch(url, json={"description": str(i)}).status_code == 200
    r = client.get(IP + "/" + obj["object_id"] + "/history?per_page=500")
    assert r.status_code == 200, r.text
    assert r.json()["_meta"] == {"count": 500, "page": 1, "per_page": 500, "total": 502}
    assert len(r.json()["_data"]) == 500 and r.json()["_data"][0]["action"] == "update"
    r = client.get(IP + "/" + obj["object_id"] + "/history?per_page=500&page=2")
    assert r.json()["_meta"] == {"count": 2, "page": 2, "per_page": 500, "total": 502}
    assert [d["action"] for d in r.json()["_data"]] == ["update", "create"]
    for bad in ("501", "0", "-1", "5x"):
        b = assert_error(client.get(IP + "/" + obj["object_id"] + "/history?per_page=" + bad), 400, 11400)
        assert "per_page" in b["additional_info"]["detail"]
    assert client.get(IP + "/" + obj["object_id"] + "/history").json()["_meta"]["per_page"] == 50


def test_address_count_beyond_2_64_is_a_json_number(client):
    # up to 2^64 - 1 the count is an exact integer
    obj = create(client, IP, {"list_name": "v6", "addresses": [{"value": "2a00::1-2a00::ffff:ffff:ffff:ffff"}]})
    path = IP + "/" + obj["object_id"]
    raw = client.get(path).text
    assert re.search(r'"address_count":18446744073709551615\b', raw), raw[:400]
    assert json.loads(raw)["_data"][0]["_meta"]["addresses"]["address_count"] == 2 ** 64 - 1
    # beyond it a double, exact for these sums: 2^64 - 1 + 1, then 2^96 + 2^64 (/32 + /64)
    r = client.patch(path, {"addresses": [{"value": "2a00::", "action": "add"}]})
    assert r.json()["_meta"]["addresses"] == {"address_count": 2 ** 64, "record_count": 2}
    r = client.put(path, {"addresses": [{"value": "2600::/32"}, {"value": "2a00::/64"}]})
    assert r.status_code == 200, r.text
    for body in (r.json(), client.get(path).json(), client.get(IP).json()):
        count = body["_data"][0]["_meta"]["addresses"]["address_count"]
        assert isinstance(count, (int, float)) and not isinstance(count, bool), body
        assert count == 2 ** 96 + 2 ** 64, count


def test_a_nul_inside_a_value_is_refused_naming_it(client):
    """inet_pton and idn2 read C strings: "7.7.7.7\\0junk" used to be stored as 7.7.7.7. Every form
    (address, prefix, range, IDN domain) is refused with 19050 naming the value, and nothing is
    created."""
    cases = [(IP, "7.7.7.7\u0000junk"), (IP, "7.7.7.0\u0000x/24"), (IP, "7.7.7.1\u0000-7.7.7.9"),
             (DOM, "b\u00fccher.example\u0000junk"), (DOM, "example.com\u0000junk")]
    for i, (path, value) in enumerate(cases):
        r = client.post(path, {"list_name": "nul%d" % i, "list_type": "block", "addresses": [{"value": value}]})
        body = assert_error(r, 400, 19050)
        assert value.split("\u0000")[0][:7] in body["additional_info"]["detail"], body
        names = [x["list_name"] for x in client.get(path).json()["_data"]]
        assert "nul%d" % i not in names
