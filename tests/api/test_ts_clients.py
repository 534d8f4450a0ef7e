"""What public Threat Stack clients send, as they send it (issue 11 §3): booleans and enum words in
any case (a Python client sends str(True)), and the rule fields the Terraform provider omits."""
from v2_data import HOUR, agent, alert, import_records, owner, server_ms


def vuln(cve, notices=()):
    return {"kind": "vulnerability", "data": {
        "cveNumber": cve, "reportedPackage": "openssl 1.0.2k", "severity": "high", "securityNotices": list(notices),
        "agents": [{"agentId": "a1", "hostname": "host-a1"}], "createdAt": "2024-02-01T00:00:00Z"}}


def test_booleans_and_enum_words_in_any_case(server, tmp_path):
    creds, s = owner(server, org="Cases", email="cases@acme.example")
    now = server_ms(server)
    import_records(server, tmp_path, [vuln("CVE-2024-%05d" % i, ["ALAS-1"] if i < 2 else ()) for i in range(5)]
                   + [alert("c-1", now - HOUR), alert("c-2", now - HOUR, dismissed=True), agent("g-1", now - HOUR)],
                   org="Cases")

    def count(path, key):
        r = s.get(path)
        assert r.status_code == 200, (path, r.text)
        return len(r.json()[key])

    for word in ("true", "True", "TRUE", "1"):
        assert count("/v2/vulnerabilities?hasSecurityNotices=" + word, "cves") == 2, word
        assert count("/v2/vulnerabilities?active=" + word, "cves") == 5, word
    for word in ("false", "False", "FALSE", "0"):
        assert count("/v2/vulnerabilities?hasSecurityNotices=" + word, "cves") == 3, word
        assert count("/v2/vulnerabilities?active=" + word, "cves") == 0, word
    assert count("/v2/vulnerabilities?status=ACTIVE", "cves") == 5
    assert [a["id"] for a in s.get("/v2/alerts?status=Dismissed").json()["alerts"]] == ["c-2"]
    assert [a["id"] for a in s.get("/v2/agents?status=ONLINE").json()["agents"]] == ["g-1"]
    for path in ("/v2/vulnerabilities?hasSecurityNotices=yes", "/v2/vulnerabilities?active=maybe",
                 "/v2/alerts?status=gone", "/v2/agents?status=away"):
        r = s.get(path)
        assert r.status_code == 400 and "errors" in r.json(), (path, r.text)


def test_a_bad_percent_escape_is_refused_naming_the_parameter(server, client):
    """A bad escape used to make the whole query unreadable, so every filter read as absent and
    the request returned everything: now 400, in each surface's shape, naming the parameter."""
    creds, s = owner(server, org="Escapes", email="esc@acme.example")
    for target, name in (("/v2/alerts?agentId=abc%", "agentId"), ("/v2/alerts?status=%", "status"),
                         ("/v2/agents?token=%%%", "token"), ("/v2/vulnerabilities?status=active&agentId=%zz", "agentId")):
        r = s.get_raw(target)
        assert r.status_code == 400, (target, r.text)
        assert list(r.json()) == ["errors"] and "'%s'" % name in r.json()["errors"][0], r.text
    assert s.get_raw("/v2/alerts?status=active&agentId=ab%2Fc").status_code == 200  # a good escape is fine
    import http.client
    for target, name in (("/v4.0/check_ioc?ioc=%", "ioc"), ("/v4.0/user_ip_lists?page=%zz", "page")):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.putrequest("GET", target)
        conn.putheader("Authorization", "Bearer " + server.demo_token)
        conn.endheaders()
        r = conn.getresponse()
        body = __import__("json").loads(r.read())
        conn.close()
        assert r.status == 400 and body["additional_info"]["error_code"] == 11400, (target, body)
        assert "'%s'" % name in body["additional_info"]["detail"], body


def test_agents_never_carry_null_objects_or_lists(server, tmp_path):
    """Three public scripts index into ipAddresses (get_agents.py calls .items() on it): an agent
    imported without it, or with part of it, is served with all three lists, and tags as []."""
    creds, s = owner(server, org="Nulls", email="nulls@acme.example")
    now = server_ms(server)
    bare = agent("n-1", now - HOUR)
    partial = agent("n-2", now - HOUR + 1)
    partial["data"].update(ipAddresses={"private": ["10.0.0.5/8"], "public": None}, tags=None)
    import_records(server, tmp_path, [bare, partial], org="Nulls")
    got = {a["id"]: a for a in s.get("/v2/agents").json()["agents"]}
    assert got["n-1"]["ipAddresses"] == {"private": [], "link_local": [], "public": []}
    assert got["n-2"]["ipAddresses"] == {"private": ["10.0.0.5/8"], "link_local": [], "public": []}
    assert got["n-1"]["tags"] == [] and got["n-2"]["tags"] == []
    assert s.get("/v2/agents/n-1").json()["ipAddresses"]["link_local"] == []
    wrong = agent("n-3", now)
    wrong["data"]["ipAddresses"] = "10.0.0.1"
    f = tmp_path / "wrong.jsonl"
    f.write_text(__import__("json").dumps(wrong) + "\n")
    out = server.admin("import", "--org", "Nulls", str(f), check=False)
    assert out.returncode != 0 and "ipAddresses" in out.stdout + out.stderr, out


EC2_KEYS = {"id", "kernelId", "instanceType", "privateDnsName", "privateIpAddress", "groups", "subnetId", "keyName",
            "region", "launchTime", "imageId", "architecture", "publicDnsName", "publicIpAddress", "vpcId",
            "awsProfile", "monitored", "tags", "state", "stateCode", "agents"}
AGENT_SUMMARY_KEYS = {"id", "status", "createdAt", "lastReportedAt", "version", "name", "description", "hostname",
                      "isContainerAgent", "kernel", "osVersion"}


def test_aws_ec2_lists_the_instances_agents_run_on(server, tmp_path):
    """The official get_ec2_instances.py and get_vulnerabilities.py call /v2/aws/ec2 first (and died
    on the 404); a public client calls /v2/aws/ec2/ with a trailing slash."""
    creds, s = owner(server, org="Ec2", email="ec2@acme.example")
    empty = s.get("/v2/aws/ec2?monitored=true&verbose=true")
    assert empty.status_code == 200 and empty.json() == {"servers": [], "token": None}, empty.text
    now = server_ms(server)
    records = []
    for i in range(105):  # 104 instances, one of them with two agents
        a = agent("ag-%03d" % i, now - HOUR + i)
        a["data"].update(instanceId="i-%012d" % min(i, 103), ipAddresses={"private": ["10.0.%d.%d/16" % (i // 250, i % 250)]},
                         tags=[{"source": "ec2", "key": "Name", "value": "web"}])
        records.append(a)
    records.append(agent("no-instance", now))  # not on EC2: not listed
    import_records(server, tmp_path, records, org="Ec2")
    page = s.get("/v2/aws/ec2/?monitored=true&verbose=true").json()
    assert list(page) == ["servers", "token"] and len(page["servers"]) == 100 and page["token"]
    first = page["servers"][0]
    assert set(first) == EC2_KEYS and first["id"] == "i-000000000000" and first["monitored"] is True
    assert first["privateIpAddress"] == "10.0.0.0" and first["groups"] == [] and first["awsProfile"] == {}
    assert len(first["agents"]) == 1 and set(first["agents"][0]) == AGENT_SUMMARY_KEYS
    rest = s.get("/v2/aws/ec2?monitored=true&verbose=true&token=" + page["token"]).json()
    assert rest["token"] is None and [x["id"] for x in rest["servers"]] == ["i-%012d" % i for i in range(100, 104)]
    assert [a["id"] for a in rest["servers"][-1]["agents"]] in (["ag-103", "ag-104"], ["ag-104", "ag-103"])
    assert s.get("/v2/aws/ec2?token=" + page["token"]).json() == rest  # the token alone continues the query
    assert s.get("/v2/aws/ec2?monitored=False").json() == {"servers": [], "token": None}
    assert s.get("/v2/aws/ec2?monitored=maybe").status_code == 400


def test_s3_data_portability_settings_are_stored_validated_and_audited(server):
    creds, s = owner(server, org="Port", email="port@acme.example")
    assert s.get("/v2/integrations/s3export").json() == []
    body = {"s3Bucket": "acme-telemetry", "iamRoleArn": "arn:aws:iam::123456789012:role/rampart-export",
            "iamRoleArnExternalId": "ext-1", "region": "us-east-1", "prefix": "ts/", "enabled": True}
    r = s.request("PUT", "/v2/integrations/s3export", body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["organization_id"] == creds["org_id"] and got["s3Bucket"] == "acme-telemetry" and got["enabled"] is True
    assert got["enrolledAt"].endswith("Z")
    listed = s.get("/v2/integrations/s3export").json()
    assert listed == [got]
    r = s.request("PUT", "/v2/integrations/s3export", dict(body, enabled=False))  # update keeps enrolledAt
    assert r.status_code == 200 and r.json()["enabled"] is False and r.json()["enrolledAt"] == got["enrolledAt"]
    for bad, field in ((dict(body, s3Bucket="Bad_Bucket"), "s3Bucket"), (dict(body, iamRoleArn="role"), "iamRoleArn"),
                       (dict(body, region="moon"), "region"), (dict(body, enabled="yes"), "enabled")):
        r = s.request("PUT", "/v2/integrations/s3export", bad)
        assert r.status_code == 400 and field in r.json()["errors"][0], r.text
    r = s.request("DELETE", "/v2/integrations/s3export", {"s3Bucket": "nope"})
    assert r.status_code == 404 and r.json() == {"errors": ["Not Found"]}
    r = s.request("DELETE", "/v2/integrations/s3export", {"s3Bucket": "acme-telemetry"})
    assert r.status_code == 200 and r.json() == {}
    assert s.get("/v2/integrations/s3export").json() == []
    actions = [rec["action"] for rec in s.get("/v2/auditlogs").json()["recs"]]
    assert actions.count("integration.s3export.put") == 2 and actions.count("integration.s3export.delete") == 1
    _, reader = owner(server, org="Port", email="reader@acme.example", role="reader")
    assert reader.request("PUT", "/v2/integrations/s3export", body).status_code == 403
