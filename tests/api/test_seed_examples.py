"""The seed document's own client code, run against rampart."""
import datetime
import os
import re
import subprocess
import sys

from conftest import Client, Server
from testclock import advance_to_start_of, days

HERE = os.path.dirname(os.path.abspath(__file__))


def seed_expiry(name):
    """The one sample expiry date (MM/DD/YYYY) a seed script sends, as a date."""
    with open(os.path.join(HERE, "seed", name)) as f:
        found = set(re.findall(r"\b(\d\d)/(\d\d)/(\d{4})\b", f.read()))
    assert len(found) == 1, found
    m, d, y = map(int, found.pop())
    return datetime.date(y, m, d)


def before_seed_dates(server, name):
    """The seeds hard-code their sample expiry date and the server refuses past dates: move the
    server's clock to a month before it, whatever today's date is."""
    exp = seed_expiry(name)
    advance_to_start_of(server, exp - days(30))
    return exp


def test_curl_jq_sequences(server):
    before_seed_dates(server, "curl_jq.sh")
    out = subprocess.run([os.path.join(HERE, "seed", "curl_jq.sh"), server.url, server.demo_token],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "curl+jq sequence OK" in out.stdout


def run_example(server):
    env = dict(os.environ, RAMPART_URL=server.url, RAMPART_TOKEN=server.demo_token)
    return subprocess.run([sys.executable, os.path.join(HERE, "seed", "threatstop_example.py")],
                          capture_output=True, text=True, timeout=120, env=env)


def test_python_example(tmp_path):
    # The example names its lists 'apitestip' and 'apitestdom' (9 and 10 characters) although the
    # same guide limits names to 8: the sample wins, and it runs against a default server.
    s = Server(tmp_path / "d").start()
    exp = before_seed_dates(s, "threatstop_example.py")
    out = run_example(s)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("User IP list apitestip created; Object ID ")
    assert lines[1].startswith("User domain list apitestdom created; Object ID ")
    assert lines[2].startswith("Found user ip list ")
    assert lines[3].startswith("Found user domain list ")
    # remove, add, update on each list print the PATCH response's _meta.addresses
    assert lines[4] == "User IP list updated: {'address_count': 1, 'record_count': 1}"
    assert lines[5] == "User IP list updated: {'address_count': 2, 'record_count': 2}"
    assert lines[6] == "User IP list updated: {'address_count': 2, 'record_count': 2}"
    assert lines[7] == "User IP list updated: {'address_count': 1, 'record_count': 1}"
    assert lines[8] == "User IP list updated: {'address_count': 2, 'record_count': 2}"
    assert lines[9] == "User IP list updated: {'address_count': 2, 'record_count': 2}"
    c = Client(s.url, s.demo_token)
    ip = c.get("/v4.0/user_ip_lists").json()["_data"][0]
    entries = {a["value"]: a for a in c.get("/v4.0/user_ip_lists/" + ip["object_id"]).json()["_data"][0]["addresses"]}
    assert entries["1.2.3.4"]["comments"] == "new comment"
    assert entries["4.3.2.1/32"]["expires"] == exp.isoformat()
    s.stop()


def test_python_example_against_the_guides_strict_name_limit(tmp_path):
    s = Server(tmp_path / "d", ["--list-name-max-length", "8"]).start()
    before_seed_dates(s, "threatstop_example.py")
    out = run_example(s)
    assert out.returncode == 101  # the prose's 8-character limit rejects 'apitestip'
    assert "11400" in out.stdout and "apitestip" in out.stdout
    s.stop()
