"""The rampart-agent Debian package (issue 14 §4): cpack builds it from the tested build, dpkg
installs it on this machine, the installed binary enrolls against a loopback rampart and reports
in, and a purge takes everything away again — the binary, the enrollment in /var/lib/rampart-agent,
the audit rules file, and auditd's af_unix switch if the package turned it on. What the machine
held before (the plugin's configuration, the kernel's audit rules) is compared after the purge.

Needs root and dpkg; under CI=true a machine that forbids it fails the test instead of skipping."""
import glob
import json
import os
import shutil
import subprocess

from conftest import AGENT, ROOT, Server, cannot, stop, wait_for
from test_v2_hawk import hawk, make_user

BUILD = os.path.dirname(os.path.dirname(os.path.abspath(AGENT)))  # build/<kind>/agent/rampart-agent
PLUGIN = "/etc/audit/plugins.d/af_unix.conf"
RULES = "/etc/audit/rules.d/rampart.rules"
STATE = "/var/lib/rampart-agent"
INSTALLED = "/usr/bin/rampart-agent"


def run(*argv, **kw):
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)


def read(path):
    return open(path).read() if os.path.exists(path) else None


def kernel_rules():
    return run("auditctl", "-l").stdout if shutil.which("auditctl") else None


def build_package(out):
    built = run("cpack", "-G", "DEB", "-B", str(out), cwd=BUILD, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    debs = glob.glob(str(out / "*.deb"))
    names = [os.path.basename(d) for d in debs]
    # A build with test hooks must never yield an installable server.
    assert len(debs) == 1 and names[0].startswith("rampart-agent_"), names
    return debs[0]


def test_the_agent_package_installs_enrolls_and_purges_cleanly(tmp_path):
    if os.geteuid() != 0:
        cannot("installing a package needs root")
    for tool in ("dpkg", "cpack", "dpkg-deb"):
        if not shutil.which(tool):
            cannot(tool + " is not installed")
    if run("dpkg", "-s", "rampart-agent").returncode == 0:
        cannot("rampart-agent is already installed on this machine; the test would replace and purge it")
    if os.path.exists(STATE):
        cannot(STATE + " exists (an agent enrolled by hand?); the purge would delete it")
    assert os.path.exists(AGENT), "build the agent first (scripts/build test)"
    deb = build_package(tmp_path / "pkg")

    fields = run("dpkg-deb", "-f", deb, "Package", "Depends", "Recommends").stdout
    assert "Package: rampart-agent" in fields and "libssl3" in fields and "Recommends: auditd" in fields, fields
    listing = run("dpkg-deb", "-c", deb).stdout
    for path in ("./usr/bin/rampart-agent", "./usr/lib/systemd/system/rampart-agent.service", "." + RULES,
                 "./usr/share/doc/rampart-agent/agents.md"):
        assert path in listing, listing
    assert "/etc/audit/rules.d/rampart.rules" in run("dpkg-deb", "-I", deb, "conffiles").stdout

    plugin_before, rules_before = read(PLUGIN), kernel_rules()
    installed = run("dpkg", "-i", deb)
    try:
        assert installed.returncode == 0, installed.stdout + installed.stderr
        said = installed.stdout + installed.stderr
        if plugin_before is None:
            assert "af_unix.conf is missing (is auditd installed?)" in said, said
        else:
            assert any(l.replace(" ", "") == "active=yes" for l in read(PLUGIN).splitlines()), read(PLUGIN)
            assert "af_unix dispatcher" in said, said
        assert read(RULES) == read(os.path.join(ROOT, "agent", "dist", "rampart.rules"))
        assert (os.stat(STATE).st_mode & 0o777) == 0o700
        assert "rampart-agent enroll --server URL --deploy-key KEY" in said, said

        s = Server(tmp_path / "data", ["--agent-flush-interval-s", "1"], test_hooks=False).start()
        creds = make_user(s, role="owner", org="Acme", email="owner@acme.example")
        deploy_key = s.admin("deploy-key", "create", "--org", "Acme", "--description", "package")["key"]
        enrolled = run(INSTALLED, "enroll", "--server", s.url, "--deploy-key", deploy_key, timeout=60)
        assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
        assert (os.stat(os.path.join(STATE, "state")).st_mode & 0o777) == 0o600
        agent_id = json.load(open(os.path.join(STATE, "state")))["agentId"]
        agent = subprocess.Popen([INSTALLED, "run", "--audit-socket", str(tmp_path / "no-auditd.sock")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def online():
                got = hawk(s.url + "/v2/agents/" + agent_id, creds)
                doc = json.loads(got["body"]) if got["status"] == 200 else {}
                return doc if doc.get("status") == "online" and "backend" in doc.get("agentModuleHealth", {}) else None
            doc = wait_for(online, 30, "the installed agent's heartbeat reaches the server")
            assert doc["hostname"] == os.uname().nodename and doc["kernel"] == os.uname().release, doc
        finally:
            stop(agent)
    finally:
        purged = run("dpkg", "--purge", "rampart-agent")
        plugin_after = read(PLUGIN)
        # Leave the machine as found even when the package is broken, then judge it.
        if purged.returncode != 0:
            run("dpkg", "--purge", "--force-all", "rampart-agent")
        if plugin_before is not None and plugin_after != plugin_before:
            open(PLUGIN, "w").write(plugin_before)
    assert purged.returncode == 0, purged.stdout + purged.stderr
    for gone in (INSTALLED, RULES, STATE):
        assert not os.path.exists(gone), gone + " is still there after the purge"
    assert plugin_after == plugin_before
    assert kernel_rules() == rules_before
