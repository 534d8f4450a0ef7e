"""Alerts at their documented edges: `from`/`until` bound createdAt inclusively (list and severity
counts), a second dismissal keeps the first reason, at most 100,000 alerts per dismiss request."""
from v2_data import DAY, HOUR, alert, import_records, iso, owner, server_ms


def ids_of(session, path):
    r = session.get(path)
    assert r.status_code == 200, r.text
    return [a["id"] for a in r.json()["alerts"]]


def test_from_and_until_are_inclusive(server, tmp_path):
    creds, s = owner(server)
    now = server_ms(server)
    f, u = now - DAY, now - HOUR
    at = {"f-1": f - 1, "f": f, "f+1": f + 1, "u-1": u - 1, "u": u, "u+1": u + 1}
    severity = {"f-1": 1, "f": 2, "f+1": 3, "u-1": 1, "u": 2, "u+1": 3}
    import_records(server, tmp_path, [alert(k, t, severity=severity[k]) for k, t in at.items()])
    assert ids_of(s, "/v2/alerts?from=%s&until=%s" % (iso(f), iso(u))) == ["u", "u-1", "f+1", "f"]
    assert ids_of(s, "/v2/alerts?from=" + iso(f)) == ["u+1", "u", "u-1", "f+1", "f"]
    assert ids_of(s, "/v2/alerts?until=" + iso(u)) == ["u", "u-1", "f+1", "f", "f-1"]
    assert ids_of(s, "/v2/alerts?from=%s&until=%s" % (iso(f), iso(f))) == ["f"]  # a one-millisecond window
    assert ids_of(s, "/v2/alerts?severity=2&from=%s&until=%s" % (iso(f), iso(u))) == ["u", "f"]
    counts = s.get("/v2/alerts/severity-counts?from=%s&until=%s" % (iso(f), iso(u))).json()
    assert counts == {"severityCounts": [{"severity": 1, "count": 1}, {"severity": 2, "count": 2},
                                         {"severity": 3, "count": 1}]}
    counts = s.get("/v2/alerts/severity-counts?from=%s&until=%s" % (iso(u), iso(u))).json()
    assert counts == {"severityCounts": [{"severity": 1, "count": 0}, {"severity": 2, "count": 1},
                                         {"severity": 3, "count": 0}]}
    r = s.get("/v2/alerts?from=%s&until=%s" % (iso(f + 1), iso(f)))
    assert r.status_code == 400 and r.json() == {"errors": ["from must not be after until"]}


def test_a_second_dismissal_keeps_the_first_reason(server, tmp_path):
    creds, s = owner(server)
    _, other = owner(server, email="night-shift@acme.example", role="user")
    now = server_ms(server)
    import_records(server, tmp_path, [alert("a%d" % i, now - HOUR + i) for i in range(1, 4)])
    r = s.post("/v2/alerts/dismiss", {"ids": ["a1"], "dismissReason": "OTHER", "dismissReasonText": "first"})
    assert r.status_code == 200 and r.json() == {}
    first = s.get("/v2/alerts/a1").json()
    assert (first["dismissReason"], first["dismissReasonText"], first["dismissedBy"]) == ("OTHER", "first", creds["user_id"])
    assert first["dismissedAt"] == iso(now)
    server.advance_clock(60)
    r = other.post("/v2/alerts/dismiss", {"ids": ["a1", "a2"], "dismissReason": "MAINTENANCE",
                                          "dismissReasonText": "second"})
    assert r.status_code == 200 and r.json() == {}
    assert s.get("/v2/alerts/a1").json() == first  # reason, text, time and user all unchanged
    a2 = s.get("/v2/alerts/a2").json()
    assert (a2["isDismissed"], a2["dismissReason"], a2["dismissReasonText"]) == (True, "MAINTENANCE", "second")
    assert a2["dismissedAt"] == iso(now + 60000) and a2["dismissedBy"] != creds["user_id"]
    listed = {a["id"]: a for a in s.get("/v2/alerts?status=dismissed").json()["alerts"]}
    assert set(listed) == {"a1", "a2"} and listed["a1"]["dismissReason"] == "OTHER"
    # The audit record names only what changed.
    rec = s.get("/v2/auditlogs").json()["recs"][0]
    assert rec["action"] == "alerts.dismiss" and rec["description"] == "Dismissed 1 alerts (MAINTENANCE)"
    assert rec["context"] == {"alertIds": ["a2"], "dismissReason": "MAINTENANCE"}
    # By query: only a3 is still active, so only a3 changes.
    r = s.post("/v2/alerts/dismiss", {"from": iso(now - DAY), "until": iso(now), "ruleID": "rule-a",
                                      "dismissReason": "BUSINESS_OP"})
    assert r.status_code == 200, r.text
    assert s.get("/v2/alerts/a1").json() == first
    assert s.get("/v2/alerts/a2").json()["dismissReason"] == "MAINTENANCE"
    assert s.get("/v2/alerts/a3").json()["dismissReason"] == "BUSINESS_OP"


def test_at_most_100000_alerts_per_dismiss(server, tmp_path):
    creds, s = owner(server)
    too_many = {"errors": ["Validation failed: body has invalid ids value.  Must list between 1 and 100000 alert ids."]}
    ids = ["missing-%06d" % i for i in range(100001)]
    r = s.post("/v2/alerts/dismiss", {"ids": ids, "dismissReason": "OTHER"})
    assert r.status_code == 400 and r.json() == too_many
    # 100,000 ids pass the cap (the first unknown one is then 404); none at all do not.
    r = s.post("/v2/alerts/dismiss", {"ids": ids[:100000], "dismissReason": "OTHER"})
    assert r.status_code == 404 and r.json() == {"errors": ["Alert not found: missing-000000"]}
    r = s.post("/v2/alerts/dismiss", {"ids": [], "dismissReason": "OTHER"})
    assert r.status_code == 400 and r.json() == too_many
    # By query: 100,001 matching alerts are refused whole.
    now = server_ms(server)
    f = tmp_path / "bulk.jsonl"
    line = '{"kind":"alert","data":{"id":"bulk-%06d","createdAt":"' + iso(now - HOUR) + '","severity":1,"ruleId":"bulk"}}'
    f.write_text("\n".join(line % i for i in range(100001)))
    assert server.admin("import", "--org", "Acme", str(f))["alerts"] == 100001
    r = s.post("/v2/alerts/dismiss", {"from": iso(now - DAY), "until": iso(now), "ruleID": "bulk",
                                      "dismissReason": "OTHER"})
    assert r.status_code == 400 and r.json() == {"errors": ["more than 100000 alerts match: narrow the query"]}
    assert s.get("/v2/alerts?status=dismissed").json() == {"alerts": [], "token": None}
    assert s.get("/v2/alerts/bulk-000000").json()["isDismissed"] is False
    assert s.get("/v2/auditlogs").json() == {"recs": [], "token": None}


def offset_iso(ms, hours, colon=True):
    """The instant `ms` written in a zone `hours` east of UTC, with an unencoded '+' (as the
    official CLI puts it into URLs): a query decodes it to a space."""
    import datetime
    t = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc) + datetime.timedelta(hours=hours)
    zone = "+%02d:00" % hours if colon else "+%02d00" % hours
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03d" % (ms % 1000) + zone


def test_an_unencoded_plus_offset_is_read_as_plus(server, tmp_path):
    creds, s = owner(server, org="Plus", email="plus@acme.example")
    at = server_ms(server) - HOUR
    import_records(server, tmp_path, [alert("p-0", at - 1), alert("p-1", at), alert("p-2", at + 1)], org="Plus")
    assert ids_of(s, "/v2/alerts?from=%s&until=%s" % (offset_iso(at, 1), offset_iso(at, 1))) == ["p-1"]
    assert ids_of(s, "/v2/alerts?from=%s" % offset_iso(at, 2, colon=False)) == ["p-2", "p-1"]
