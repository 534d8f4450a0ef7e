"""The rampart server's Debian package (issue 16 §1), as a new machine gets it: a production build
(no test hooks) packaged by cpack, installed with dpkg, the unit's ExecStart run as the unit's
user (systemd is not PID 1 here), an organization and a key made with `rampart admin` as that
user, an authenticated request, then a purge — and the `rampart` user and its data removed, so the
machine is left as found.

Needs root and dpkg; under CI=true a machine that forbids it fails the test instead of skipping."""
import glob
import os
import pwd
import re
import shutil
import subprocess
import time

import requests

from conftest import ROOT, cannot, stop, wait_for

TREE = os.path.realpath(ROOT)
BUILD = os.path.join(TREE, "build", "package")
UNIT = "/usr/lib/systemd/system/rampart.service"
CONF = "/etc/rampart/rampart.toml"
STATE = "/var/lib/rampart"
HARDENING = ("User=rampart", "StateDirectory=rampart", "ProtectSystem=strict", "ProtectHome=yes",
             "NoNewPrivileges=yes", "PrivateTmp=yes", "RestrictAddressFamilies=", "Restart=on-failure",
             "ExecReload=/bin/kill -HUP $MAINPID")


def run(*argv, **kw):
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)


def build_server_package(out):
    """A production build (no test hooks) of just what the packages hold: the server, the agent,
    the settings file. A test build must never package the server. Same flags as scripts/build's
    test build otherwise, and ccache keyed on tree-relative paths as there, so every object but
    the one that reads RAMPART_TEST_HOOKS comes from the cache."""
    if not os.path.exists(os.path.join(BUILD, "build.ninja")):
        configured = run("cmake", "-S", TREE, "-B", BUILD, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                         "-DRAMPART_WERROR=ON", "-DRAMPART_BUILD_TESTS=OFF", "-DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON")
        assert configured.returncode == 0, configured.stdout + configured.stderr
    env = dict(os.environ, CCACHE_BASEDIR=TREE, CCACHE_NOHASHDIR="1")
    built = run("ninja", "-C", BUILD, "rampart", "rampart-agent", "rampart_toml", timeout=3600, env=env)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr
    packed = run("cpack", "-G", "DEB", "-B", str(out), cwd=BUILD, timeout=600)
    assert packed.returncode == 0, packed.stdout + packed.stderr
    debs = glob.glob(str(out / "rampart_*.deb"))
    assert len(debs) == 1, os.listdir(out)
    return debs[0]


def as_rampart(*argv, env=None):
    return run("runuser", "-u", "rampart", "--", "env", *("%s=%s" % kv for kv in (env or {}).items()), *argv)


def test_the_server_package_installs_serves_and_purges(tmp_path):
    if os.geteuid() != 0:
        cannot("installing a package needs root")
    for tool in ("dpkg", "cpack", "dpkg-deb", "runuser", "adduser", "deluser"):
        if not shutil.which(tool):
            cannot(tool + " is not installed")
    if run("dpkg", "-s", "rampart").returncode == 0:
        cannot("the rampart package is already installed here; the test would replace and purge it")
    for path in (STATE, "/etc/rampart"):
        if os.path.exists(path):
            cannot(path + " exists; the test would delete it")
    if run("getent", "passwd", "rampart").returncode == 0:
        cannot("a user named rampart exists; the test would delete it")
    deb = build_server_package(tmp_path / "pkg")

    fields = run("dpkg-deb", "-f", deb, "Package", "Depends").stdout
    assert "Package: rampart" in fields and "libssl3" in fields and "libsqlite3" in fields, fields
    assert CONF in run("dpkg-deb", "-I", deb, "conffiles").stdout

    installed = run("dpkg", "-i", deb)
    server = None
    try:
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert "systemctl enable --now rampart" in installed.stdout + installed.stderr
        user = pwd.getpwnam("rampart")
        assert user.pw_shell in ("/usr/sbin/nologin", "/bin/false"), user
        st = os.stat(STATE)
        assert (st.st_uid, st.st_mode & 0o777) == (user.pw_uid, 0o700)
        unit = open(UNIT).read()
        for line in HARDENING:
            assert line in unit, line
        assert re.search(r"^CapabilityBoundingSet=$", unit, re.M)
        version = run("/usr/bin/rampart", "--version").stdout
        assert re.match(r"rampart \d+\.\d+\.\d+ \(commit \w+.*, RelWithDebInfo\)", version), version

        # The unit's command, as the unit's user, with its umask; ports from the environment
        # (what /etc/default/rampart holds) so the test listens on free loopback ports.
        exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1).split()
        env = {"RAMPART_LISTEN": "127.0.0.1:0", "RAMPART_DNS_LISTEN": "127.0.0.1:0", "RAMPART_ACCESS_LOG": "off"}
        server = subprocess.Popen(["runuser", "-u", "rampart", "--", "sh", "-c", 'umask 077; exec "$@"', "sh",
                                   "env", *("%s=%s" % kv for kv in env.items()), *exec_start],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        url = None
        deadline = time.time() + 30
        while url is None and time.time() < deadline:
            line = server.stdout.readline()
            assert line, "the server exited: %s" % server.wait()
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            url = m.group(1) if m else None
        assert url, "the server did not say where it listens"
        wait_for(lambda: requests.get(url + "/readyz", timeout=5).status_code == 200, 30, "ready")

        made = as_rampart("rampart", "admin", "org", "create", "acme", "--data-dir", STATE)
        assert made.returncode == 0, made.stderr
        key = as_rampart("rampart", "admin", "key", "create", "--org", "acme", "--perm", "userlists:write",
                         "--data-dir", STATE, "--json")
        assert key.returncode == 0, key.stderr
        token = re.search(r'"token":\s*"([^"]+)"', key.stdout).group(1)
        auth = {"Authorization": "Bearer " + token}
        r = requests.post(url + "/v4.0/user_ip_lists", headers=auth, timeout=10,
                          json={"list_name": "pkgtest", "list_type": "block", "addresses": [{"value": "192.0.2.1"}]})
        assert r.status_code == 201, r.text
        r = requests.get(url + "/v4.0/user_ip_lists", headers=auth, timeout=10)
        assert r.status_code == 200 and "pkgtest" in r.text, r.text
        assert requests.get(url + "/v4.0/user_ip_lists", timeout=10).status_code == 401
        db = os.stat(os.path.join(STATE, "rampart.db"))
        assert (db.st_uid, db.st_mode & 0o077) == (user.pw_uid, 0), "the database is the service user's, 0600"
    finally:
        if server:
            run("pkill", "-TERM", "-u", "rampart", "-x", "rampart")
            server.wait(timeout=30)
        purged = run("dpkg", "--purge", "rampart")
        if purged.returncode != 0:
            run("dpkg", "--purge", "--force-all", "rampart")
        kept = os.path.isdir(STATE)
        # The package keeps the user and its data on purge (Debian's way: files may still be its);
        # the test removes them to leave the machine as found.
        run("deluser", "--system", "--quiet", "rampart")
        run("delgroup", "--system", "--quiet", "rampart")
        shutil.rmtree(STATE, ignore_errors=True)
    assert purged.returncode == 0, purged.stdout + purged.stderr
    assert "is kept" in purged.stdout + purged.stderr and kept
    for gone in ("/usr/bin/rampart", UNIT, CONF):
        assert not os.path.exists(gone), gone + " is still there after the purge"
    assert run("getent", "passwd", "rampart").returncode != 0
    assert run("getent", "group", "rampart").returncode != 0
