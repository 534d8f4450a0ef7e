"""The slow end-to-end suites (real auditd, real agent): they reuse tests/api's Server and clients.
They run once, in the normal pass of scripts/test, never under ASan."""
import importlib.util
import os
import signal
import subprocess
import sys
import time

import pytest

API = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api")
sys.path.insert(0, API)
_spec = importlib.util.spec_from_file_location("api_conftest", os.path.join(API, "conftest.py"))
api_conftest = importlib.util.module_from_spec(_spec)
sys.modules["api_conftest"] = api_conftest
_spec.loader.exec_module(api_conftest)

_stop_servers_after_each_test = api_conftest._stop_servers_after_each_test  # noqa: F401 (an autouse fixture)
Server = api_conftest.Server

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
AGENT = os.environ.get("RAMPART_AGENT_BIN", os.path.join(ROOT, "build", "test", "agent", "rampart-agent"))


def wait_for(check, seconds, what):
    """check()'s first truthy answer, polled every 0.2 s; fails naming `what` after `seconds`."""
    deadline = time.time() + seconds
    while True:
        got = check()
        if got:
            return got
        assert time.time() < deadline, "not within %d s: %s" % (seconds, what)
        time.sleep(0.2)


def stop(proc, seconds=20):
    """SIGTERM, then SIGKILL if it has not exited within `seconds` (and fail: it should have)."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def cannot(reason):
    """Skips naming why the machine forbids the test; under CI=true fails instead, because the CI
    machine forbids none of it and a skip there would hide a missing piece."""
    if os.environ.get("CI") == "true":
        pytest.fail("this end-to-end test cannot run here: " + reason)
    pytest.skip(reason)
