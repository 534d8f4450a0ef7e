"""Vulnerabilities from this machine's real packages (issue 15 §5): rampart-agent reports its dpkg
inventory; a feed in the Debian Security Tracker's format names two packages really installed here
— one with a fix above its installed version (affected) and one below (not affected); the v2 API,
read by the reference @hapi/hawk client, lists exactly the affected one with this agent; a
suppression hides it; a feed in which it is fixed takes it away."""
import json
import os
import signal
import subprocess

from conftest import AGENT, Server, cannot, wait_for
from hawk_py import HawkSession
from test_v2_hawk import hawk, make_user


def installed(package):
    out = subprocess.run(["dpkg-query", "-W", "-f=${source:Package} ${source:Version}", package],
                         capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 else None


def codename():
    for line in open("/etc/os-release"):
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return None


def feed(path, release, affected, other, affected_fix):
    entries = {
        affected[0]: {"CVE-2099-41000": {"description": "rampart e2e: fixed above the installed version",
                                         "releases": {release: {"status": "resolved", "fixed_version": affected_fix,
                                                                "urgency": "high"}}}},
        other[0]: {"CVE-2099-41001": {"description": "rampart e2e: fixed below the installed version",
                                      "releases": {release: {"status": "resolved", "fixed_version": "0.0.1-1",
                                                             "urgency": "high"}}}},
    }
    path.write_text(json.dumps(entries))
    return str(path)


def listed(url, creds, query=""):
    got = hawk(url + "/v2/vulnerabilities" + query, creds)
    assert got["status"] == 200 and got["verified"] is True, got
    return json.loads(got["body"])["cves"]


def test_this_machines_packages_are_matched_through_the_agent(tmp_path):
    if not os.path.exists("/var/lib/dpkg/status") or not codename():
        cannot("not a Debian system: no dpkg status file or VERSION_CODENAME")
    bash, coreutils = installed("bash"), installed("coreutils")
    assert bash and coreutils, "bash and coreutils are Essential packages"
    release = codename()
    s = Server(tmp_path / "data", test_hooks=False).start()
    creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
    owner = HawkSession(s.url, creds)
    key = s.admin("deploy-key", "create", "--org", "Acme")["key"]
    state = str(tmp_path / "state")
    enrolled = subprocess.run([AGENT, "enroll", "--server", s.url, "--deploy-key", key, "--state-dir", state],
                              capture_output=True, text=True, timeout=60)
    assert enrolled.returncode == 0, enrolled.stderr
    agent_id = json.load(open(os.path.join(state, "state")))["agentId"]
    agent = subprocess.Popen([AGENT, "run", "--state-dir", state, "--no-audit"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        def reported():
            st = json.load(open(os.path.join(state, "status.json"))) if os.path.exists(
                os.path.join(state, "status.json")) else {}
            return st.get("modules", {}).get("inventory", {}).get("status") == "RUNNING" and st
        st = wait_for(reported, 60, "the agent reports its inventory")
        assert st["counters"]["inventoriesSent"] >= 1

        s.admin("vulnfeed", "import", "--format", "debian-tracker",
                feed(tmp_path / "feed.json", release, bash, coreutils, bash[1] + "+rampart1"))
        found = wait_for(lambda: listed(s.url, creds), 30, "the matched CVE is listed")
        assert [c["cveNumber"] for c in found] == ["CVE-2099-41000"], found
        assert found[0]["agents"][0]["agentId"] == agent_id
        assert found[0]["reportedPackage"].startswith(bash[0] + " ")
        assert found[0]["systemPackage"].startswith("bash ")

        sup = owner.post("/v2/vulnerabilities/suppressions", {"cveNumber": "CVE-2099-41000", "reason": "e2e"})
        assert sup.status_code in (200, 201), sup.text
        assert listed(s.url, creds, "?status=active") == []

        s.admin("vulnfeed", "import", "--format", "debian-tracker",
                feed(tmp_path / "fixed.json", release, bash, coreutils, bash[1]))
        wait_for(lambda: listed(s.url, creds, "?status=suppressed") == [], 30, "the fixed CVE goes")
        assert listed(s.url, creds) == []
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=30)
