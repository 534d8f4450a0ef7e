"""Vulnerabilities from inventories (docs/vulnerabilities.md): a synthetic agent reports its
packages, the fixture feed (src/vuln/testdata, the Debian Security Tracker's format) is imported by
the CLI beside the running server, and /v2/vulnerabilities — read by the reference @hapi/hawk
client — lists exactly what Debian's data says is affected, with its evidence; suppressions,
filters, a feed that fixes a CVE, bad inventories and bad feeds."""
import gzip
import json
import os
import time

from agent_client import Agent, enroll
from conftest import Server
from hawk_py import HawkSession
from test_v2_hawk import hawk, make_user

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "vuln", "testdata")
FIXTURE = os.path.join(TESTDATA, "debian-tracker-fixture.json")
OSV_FIXTURE = os.path.join(TESTDATA, "debian-osv")
HOST = [
    {"name": "libssl3", "arch": "amd64", "version": "3.0.11-1~deb12u2", "source": "openssl",
     "sourceVersion": "3.0.11-1~deb12u2", "status": "install ok installed"},
    {"name": "snmpd", "arch": "amd64", "version": "5.9.3+dfsg-2", "source": "net-snmp",
     "sourceVersion": "5.9.3+dfsg-2", "status": "install ok installed"},
    {"name": "linux-image-6.1.0-18-amd64", "arch": "amd64", "version": "6.1.76-1", "source": "linux-signed-amd64",
     "sourceVersion": "6.1.76+1", "status": "install ok installed"},
    {"name": "redis-server", "arch": "amd64", "version": "5:7.0.15-1~bpo12+1", "source": "redis",
     "sourceVersion": "5:7.0.15-1~bpo12+1", "status": "install ok installed"},
    {"name": "gzip", "arch": "amd64", "version": "1.12-1", "source": "gzip", "sourceVersion": "1.12-1",
     "status": "install ok installed"},
]
OS = {"codename": "bookworm", "versionId": "12"}


def eventually(check, seconds=30):
    deadline = time.time() + seconds
    while True:
        got = check()
        if got:
            return got
        assert time.time() < deadline, "not within %d s" % seconds
        time.sleep(0.2)


def server_with_agent(tmp_path):
    """A server, its organization Acme's owner (credentials and a Hawk session) and an enrolled agent."""
    s = Server(tmp_path / "data").start()
    creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
    key = s.admin("deploy-key", "create", "--org", "Acme")["key"]
    return s, creds, HawkSession(s.url, creds), Agent(s.url, enroll(s.url, key).json())


def inventory(agent, body, compress=True):
    data = json.dumps(body).encode()
    headers = {"Content-Encoding": "gzip"} if compress else {}
    return agent.signed("POST", "/ingest/v1/inventory", gzip.compress(data) if compress else data, "application/json",
                        headers=headers)


def cves(session, query=""):
    r = session.get("/v2/vulnerabilities" + query)
    assert r.status_code == 200, r.text
    return {c["cveNumber"]: c for c in r.json()["cves"]}


def test_inventories_are_matched_against_an_imported_feed(tmp_path):
    s, creds, owner, agent = server_with_agent(tmp_path)
    sent = inventory(agent, {"full": True, "os": OS, "packages": HOST})
    assert sent.status_code == 200, sent.text
    assert sent.json()["stored"] is True and sent.json()["packages"] == len(HOST)
    assert agent.reply_verifies(sent)
    assert cves(owner) == {}  # no feed yet

    imported = s.admin("vulnfeed", "import", "--format", "debian-tracker", FIXTURE)
    assert imported["entries"] == 20 and imported["current"] is True and len(imported["sha256"]) == 64
    expected = {"CVE-2023-5678", "CVE-2024-2511", "CVE-2022-24805", "CVE-2024-26581", "CVE-2099-0002"}
    found = eventually(lambda: (lambda c: c if set(c) == expected else None)(cves(owner)))
    # Read by the reference client too, its Server-Authorization verified.
    ref = hawk(s.url + "/v2/vulnerabilities?unfixed=true", creds)
    assert ref["status"] == 200 and ref["verified"] is True
    assert [c["cveNumber"] for c in json.loads(ref["body"])["cves"]] == ["CVE-2024-2511"]
    kernel = found["CVE-2024-26581"]
    assert kernel["systemPackage"] == "linux-image-6.1.0-18-amd64 6.1.76-1 amd64"
    assert kernel["reportedPackage"] == "linux 6.1.76" and kernel["severity"] == "high"
    assert kernel["agents"][0]["agentId"] == agent.id and kernel["origin"] == "matched"
    assert kernel["evidence"]["feed"]["sha256"] == imported["sha256"]
    assert kernel["evidence"]["release"] == "bookworm" and kernel["fixedVersion"] == "6.1.82-1"
    servers = owner.get("/v2/vulnerabilities/CVE-2022-24805/servers").json()
    assert servers == {"servers": [{"agentId": agent.id}], "token": None}
    assert set(cves(owner, "?agentId=" + agent.id)) == expected
    assert cves(owner, "?agentId=someone-else") == {}
    by_package = owner.get("/v2/vulnerabilities/package/snmpd").json()["cves"]
    assert [c["cveNumber"] for c in by_package] == ["CVE-2022-24805"]

    # A suppression hides a matched CVE from the active ones.
    sup = owner.post("/v2/vulnerabilities/suppressions", {"cveNumber": "CVE-2024-2511", "reason": "accepted risk"})
    assert sup.status_code in (200, 201), sup.text
    assert "CVE-2024-2511" not in cves(owner, "?status=active")
    assert set(cves(owner, "?status=suppressed")) == {"CVE-2024-2511"}

    # snmpd upgraded past the fix: the delta takes its CVE away.
    upgraded = dict(HOST[1], version="5.9.3+dfsg-2+deb12u1", sourceVersion="5.9.3+dfsg-2+deb12u1")
    delta = inventory(agent, {"full": False, "os": OS, "upserted": [upgraded], "removed": []})
    assert delta.status_code == 200 and delta.json()["stored"] is True, delta.text
    assert "CVE-2022-24805" not in cves(owner)

    # A feed in which openssl's CVE is fixed at the installed version: it goes within the 10 s check.
    fixed = open(FIXTURE).read().replace('"fixed_version": "3.0.13-1~deb12u1"', '"fixed_version": "3.0.11-1~deb12u2"')
    path = tmp_path / "fixed.json.gz"
    path.write_bytes(gzip.compress(fixed.encode()))
    s.admin("vulnfeed", "import", "--format", "debian-tracker", str(path))
    eventually(lambda: "CVE-2023-5678" not in cves(owner))
    assert len(s.admin("vulnfeed", "list")) == 2

    # Another organization sees none of it.
    other = HawkSession(s.url, make_user(s, role="owner", org="Other", email="owner@other.example"))
    assert cves(other) == {}


def test_osv_records_are_matched_with_their_advisories(tmp_path):
    s, _, owner, agent = server_with_agent(tmp_path)
    assert inventory(agent, {"full": True, "os": OS, "packages": HOST}).status_code == 200

    imported = s.admin("vulnfeed", "import", "--format", "osv", OSV_FIXTURE)
    assert imported["format"] == "osv" and imported["current"] is True
    assert imported["unsupported"] == 3  # Ubuntu, a last_affected range, a withdrawn record
    # The tracker fixture's five, and CVE-2023-5363 that only an advisory names (its fix is the DSA's).
    expected = {"CVE-2023-5678", "CVE-2023-5363", "CVE-2024-2511", "CVE-2022-24805", "CVE-2024-26581",
                "CVE-2099-0002"}
    found = eventually(lambda: (lambda c: c if set(c) == expected else None)(cves(owner)))
    assert found["CVE-2023-5678"]["securityNotices"] == ["DSA-5532-1"]  # not the bullseye DLA
    assert found["CVE-2023-5678"]["debianUrgency"] == "low"
    assert found["CVE-2024-26581"]["securityNotices"] == ["DSA-5620-1"]
    assert found["CVE-2024-26581"]["debianUrgency"] == "not yet assigned"
    assert found["CVE-2022-24805"]["securityNotices"] == []
    assert found["CVE-2023-5678"]["evidence"]["feed"]["sha256"] == imported["sha256"]
    with_notices = set(cves(owner, "?hasSecurityNotices=true"))
    assert with_notices == {"CVE-2023-5678", "CVE-2023-5363", "CVE-2024-26581"}
    assert set(cves(owner, "?hasSecurityNotices=false")) == expected - with_notices

    # One record alone is a feed too; it replaces the directory's.
    single = s.admin("vulnfeed", "import", "--format", "osv", os.path.join(OSV_FIXTURE, "DSA-5620-1.json"))
    assert single["entries"] == 1 and single["name"] == "DSA-5620-1.json"
    eventually(lambda: set(cves(owner)) == {"CVE-2024-26581"})

    # A bad record anywhere refuses the whole directory, naming it; the current feed stays.
    bad = tmp_path / "osv"
    bad.mkdir()
    for name in os.listdir(OSV_FIXTURE):
        (bad / name).write_bytes(open(os.path.join(OSV_FIXTURE, name), "rb").read())
    (bad / "ZZ-bad.json").write_text('{"id": "DSA-9-1", "upstream": ["CVE-2024-9"], "affected": [{"package": '
                                     '{"ecosystem": "Debian:12", "name": "curl"}, "ranges": [{"type": "ECOSYSTEM", '
                                     '"events": [{"introduced": "0"}, {"fixed": "not a version"}]}]}]}')
    out = s.admin("vulnfeed", "import", "--format", "osv", str(bad), check=False)
    assert out.returncode != 0
    assert "ZZ-bad.json: affected[0] / ranges[0] / events[1] / fixed" in out.stderr, out.stderr
    assert [f["id"] for f in s.admin("vulnfeed", "list") if f["current"]] == [single["id"]]
    out = s.admin("vulnfeed", "import", "--format", "debian-tracker", str(bad), check=False)
    assert out.returncode != 0 and "only --format osv reads one" in out.stderr


def test_bad_inventories_and_feeds_are_refused_and_change_nothing(tmp_path):
    s, _, _, agent = server_with_agent(tmp_path)
    bad_version = dict(HOST[0], version="not a version")
    cases = [
        ({"full": True, "os": OS, "packages": [bad_version]}, "packages[0].version"),
        ({"full": True, "os": OS, "packages": [dict(HOST[0], name="Bad Name")]}, "packages[0].name"),
        ({"full": True, "os": {"codename": "Bookworm!"}, "packages": []}, "os.codename"),
        ({"full": True, "os": OS, "packages": HOST, "removed": []}, "a full inventory has packages"),
        ({"full": "yes", "os": OS}, "full must be true or false"),
        ({"full": True, "os": OS, "packages": [dict(HOST[0], extra=1)]}, "unknown key 'extra'"),
        ({"full": False, "os": OS, "upserted": [{"name": "x"}]}, "upserted[0].arch"),
    ]
    for body, says in cases:
        r = inventory(agent, body)
        assert r.status_code == 400, (says, r.status_code, r.text)
        assert says in r.json()["errors"][0], (says, r.text)
    r = agent.signed("POST", "/ingest/v1/inventory", b"{}", "text/plain")
    assert r.status_code == 415
    r = inventory(agent, {"full": False, "os": OS, "upserted": [HOST[0]], "removed": []})
    assert r.status_code == 200 and r.json() == {"stored": False, "needFull": True, "packages": 0, "findings": 0}

    bad = tmp_path / "bad.json"
    bad.write_text('{"openssl": {"CVE-2024-1": {"releases": {"bookworm": {"status": "resolved",\n'
                   '"fixed_version": "x1"}}}}}')
    out = s.admin("vulnfeed", "import", "--format", "debian-tracker", str(bad), check=False)
    assert out.returncode != 0
    assert "line 2: openssl / CVE-2024-1 / releases / bookworm / fixed_version" in out.stderr, out.stderr
    assert "current feed is unchanged" in out.stderr
    assert s.admin("vulnfeed", "list") == [] or all(not f["current"] for f in s.admin("vulnfeed", "list"))
