"""Black-box harness: runs the real rampart binary on 127.0.0.1 with a free port and a temp data dir."""
import json
import os
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

BIN = os.environ.get("RAMPART_BIN", "")


_live_servers = []  # every started server; stopped after each test even when the test fails


class Server:
    def __init__(self, data_dir, extra_args=(), log_level="warn", demo=False, test_hooks=True):
        """demo: start with create_demo (the first-start demo account, token and organization,
        printed once); otherwise the tests' own account "demo" and write token are made with the
        admin CLI before the first start."""
        self.data_dir = str(data_dir)
        self.demo = demo
        self.extra_args = list(extra_args)
        self.test_hooks = test_hooks  # False: the wall clock (for real agents, which sign with theirs)
        self.log_level = log_level
        self.dns_port = 0  # 0 until started; a restart keeps the port (resolvers point at it)
        self.stdout_log = os.path.join(data_dir, "stdout.log")
        self.proc = None
        self.port = None
        self.ingest_port = None  # the ingest-only listener's, when started with --ingest-listen
        self.demo_token = None
        self.demo_hawk = None  # {"user_id","org_id","api_key"} of the demo organization
        self.access_log = os.path.join(self.data_dir, "access.log")

    def start(self):
        assert BIN and os.path.exists(BIN), "set RAMPART_BIN to the rampart binary (scripts/test does)"
        os.makedirs(self.data_dir, exist_ok=True)
        if not self.demo and self.demo_token is None:
            self.admin("org", "create", "demo", check=False)  # a second Server on the same data may find it
            self.demo_token = self.token("demo", "userlists:write")
        sweep = [] if "--sweep-interval-s" in self.extra_args else ["--sweep-interval-s", "60"]
        args = [BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir,
                "--access-log", self.access_log, "--enable-test-hooks", "true" if self.test_hooks else "false", "--log-level", self.log_level,
                "--dns-listen", "127.0.0.1:%d" % self.dns_port] + sweep + self.extra_args
        if self.demo:
            args += ["--create-demo", "true"]
        self.stderr = open(os.path.join(self.data_dir, "stderr.log"), "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        _live_servers.append(self)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("rampart exited early: %s" % self.proc.wait())
            m = re.search(r"\b(rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\b", line)
            if m and not self.demo_token:
                self.demo_token = m.group(1)
            m = re.search(r"TS_USER_ID=(\w+) TS_ORGANIZATION_ID=(\w+) TS_API_KEY=([\w-]+)", line)
            if m:
                self.demo_hawk = {"user_id": m.group(1), "org_id": m.group(2), "api_key": m.group(3)}
            m = re.search(r"ingest-only listener on https?://127\.0\.0\.1:(\d+)", line)
            if m:
                self.ingest_port = int(m.group(1))
            m = re.search(r"dns listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.dns_port = int(m.group(1))
            m = re.search(r"listening on (https?)://127\.0\.0\.1:(\d+)", line)
            if m:
                self.scheme, self.port = m.group(1), int(m.group(2))
                # Keep draining stdout (the log) into a file, so the server never blocks on a full pipe.
                threading.Thread(target=self._drain, args=(self.proc.stdout,), daemon=True).start()
                return self
        raise RuntimeError("rampart did not start in time")

    def _drain(self, pipe):
        with open(self.stdout_log, "a") as out:
            for line in pipe:
                out.write(line)
                out.flush()

    def log_text(self):
        """The server's log (stderr), across restarts."""
        with open(os.path.join(self.data_dir, "stderr.log"), errors="replace") as f:
            return f.read()

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % (getattr(self, "scheme", "http"), self.port)

    @property
    def ingest_url(self):
        return "%s://127.0.0.1:%d" % (getattr(self, "scheme", "http"), self.ingest_port)

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        return self.proc.returncode if self.proc else None

    def restart(self):
        self.stop()
        return self.start()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def admin(self, *args, check=True):
        out = subprocess.run([BIN, "admin", *args, "--data-dir", self.data_dir, "--json"],
                             capture_output=True, text=True, timeout=30)
        if check:
            assert out.returncode == 0, out.stderr
            return json.loads(out.stdout)
        return out

    # The tests' "userlists:write" / "userlists:read" keys are the pre-organization tokens: every
    # service at that level (a key scoped to one service says so: key_perms).
    LEGACY_PERMS = {"userlists:write": "write", "userlists:read": "read"}

    def new_account(self, name, perm="userlists:write", **kw):
        """An organization and a v4.0 API key of it: (org id, token)."""
        org = self.admin("org", "create", name)
        return org["id"], self.key(name, perm, *sum((["--" + k, v] for k, v in kw.items()), []))["token"]

    def key(self, org, perm, *extra):
        return self.admin("key", "create", "--org", org, "--perm", self.LEGACY_PERMS.get(perm, perm), *extra)

    def token(self, org, perm, *extra):
        return self.key(org, perm, *extra)["token"]

    def advance_past(self, at_ms):
        """Moves the server's clock to just after `at_ms` (e.g. an expiry the CLI computed from the
        wall clock, which runs ahead of the server's frozen one)."""
        now_ms = self.advance_clock(0)["now_ms"]
        return self.advance_clock(max(0, (at_ms - now_ms) // 1000 + 1))

    def advance_clock(self, seconds):
        r = requests.post(self.url + "/_test/clock", json={"advance_seconds": seconds}, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()


class Client:
    """A tiny wrapper that always sends the bearer token and JSON."""

    def __init__(self, base, token):
        self.base = base
        self.token = token

    def req(self, method, path, body=None, token=None, headers=None, raw=None):
        h = {"Authorization": "Bearer " + (token or self.token)}
        if headers:
            h.update(headers)
        if body is not None:
            return requests.request(method, self.base + path, json=body, headers=h, timeout=60)
        return requests.request(method, self.base + path, data=raw, headers=h, timeout=60)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.req("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.req("PATCH", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.req("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)


@pytest.fixture(autouse=True)
def _stop_servers_after_each_test():
    yield
    while _live_servers:
        s = _live_servers.pop()
        if s.proc and s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "data").start()
    yield s
    s.stop()


@pytest.fixture
def client(server):
    return Client(server.url, server.demo_token)


def assert_error(resp, status, code):
    """Every error has the seed's shape and names the status twice, consistently."""
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"additional_info", "error_description", "status_code"}, body
    assert body["status_code"] == status
    assert body["additional_info"]["error_code"] == code, body
    assert isinstance(body["additional_info"]["detail"], str)
    assert body["error_description"]
    return body
