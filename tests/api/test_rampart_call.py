"""`rampart call` (docs/api-v2.md): the v2 API from a shell. It signs with Hawk from a 0600 profile
or the environment (never a key on the command line), sends over HTTP or HTTPS, refuses a reply
whose Server-Authorization does not verify, follows token pages with --all, and sends bodies."""
import http.server
import json
import os
import subprocess
import threading

from conftest import BIN, Server
from test_sighup import make_cert
from test_v2_hawk import make_user


def call(*args, env=None, stdin=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RAMPART_")}
    full_env.update(env or {})
    return subprocess.run([BIN, "call", *args], capture_output=True, text=True, env=full_env, input=stdin, timeout=60)


def profile_file(tmp_path, url, creds, mode=0o600, name="default", extra="", file="profiles.toml"):
    path = tmp_path / file
    path.write_text('[%s]\nurl = "%s"\norg = "%s"\nuser = "%s"\nkey = "%s"\n%s' % (
        name, url, creds["org_id"], creds["user_id"], creds["api_key"], extra))
    os.chmod(path, mode)
    return str(path)


def import_agents(server, tmp_path, n):
    lines = [json.dumps({"kind": "agent", "data": {
        "id": "agent-%03d" % i, "status": "online", "createdAt": "2024-01-01T00:%02d:%02d.000Z" % (i // 60, i % 60),
        "hostname": "host-%d" % i, "agentType": "investigate",
        "ipAddresses": {"private": [], "link_local": [], "public": []}}}) for i in range(n)]
    f = tmp_path / "agents.jsonl"
    f.write_text("\n".join(lines) + "\n")
    server.admin("import", "--org", "Acme", str(f))


def test_a_profile_signs_pages_are_followed_and_bodies_sent(tmp_path):
    s = Server(tmp_path / "data").start()
    creds = make_user(s, role="owner")
    import_agents(s, tmp_path, 130)
    profiles = profile_file(tmp_path, s.url, creds)

    one = call("--profiles", profiles, "GET", "/v2/agents")
    assert one.returncode == 0, one.stderr
    page = json.loads(one.stdout)
    assert len(page["agents"]) == 100 and page["token"]
    every = call("--profiles", profiles, "GET", s.url + "/v2/agents", "--all")
    assert every.returncode == 0, every.stderr
    merged = json.loads(every.stdout)
    assert len(merged["agents"]) == 130 and merged["token"] is None
    assert len({a["id"] for a in merged["agents"]}) == 130

    # A body, from the command line and from a file; a refusal prints its body and exits 1.
    made = call("--profiles", profiles, "POST", "/v2/rulesets", "--data", '{"name": "from the shell"}')
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["name"] == "from the shell"
    body = tmp_path / "ruleset.json"
    body.write_text('{"name": "from a file"}')
    assert call("--profiles", profiles, "POST", "/v2/rulesets", "--data", "@" + str(body)).returncode == 0
    bad = call("--profiles", profiles, "POST", "/v2/rulesets", "--data", '{"name": 3}')
    assert bad.returncode == 1 and "HTTP 400" in bad.stderr and '"errors"' in bad.stderr and bad.stdout == ""
    assert call("--profiles", profiles, "POST", "/v2/rulesets", "--data", "{nope").returncode == 2

    # The environment instead of a file; a wrong key is a 401 (unsigned: printed, exit 1).
    env = {"RAMPART_URL": s.url, "RAMPART_ORG_ID": creds["org_id"], "RAMPART_USER_ID": creds["user_id"],
           "RAMPART_HAWK_KEY": creds["api_key"], "HOME": str(tmp_path)}
    assert call("GET", "/v2/rulesets", env=env).returncode == 0
    wrong = call("GET", "/v2/rulesets", env=dict(env, RAMPART_HAWK_KEY="x" * 40))
    assert wrong.returncode == 1 and "HTTP 401" in wrong.stderr


def test_keys_stay_off_the_command_line_and_loose_profiles_are_refused(tmp_path):
    s = Server(tmp_path / "data").start()
    creds = make_user(s)
    loose = profile_file(tmp_path, s.url, creds, mode=0o644)
    out = call("--profiles", loose, "GET", "/v2/agents")
    assert out.returncode == 2 and "chmod 600" in out.stderr
    assert call("--key", creds["api_key"], "GET", s.url + "/v2/agents").returncode != 0  # no such option
    missing = call("--profiles", str(tmp_path / "none.toml"), "GET", "/v2/agents")
    assert missing.returncode == 2 and "no profiles file" in missing.stderr
    named = profile_file(tmp_path, s.url, creds, name="prod")
    out = call("--profiles", named, "--profile", "staging", "GET", "/v2/agents")
    assert out.returncode == 2 and "no profile [staging]" in out.stderr
    assert call("--profiles", named, "--profile", "prod", "GET", "/v2/agents").returncode == 0
    # A named profile beats a stray key in the environment; the default profile does not.
    stray = {"RAMPART_HAWK_KEY": "x" * 40, "HOME": str(tmp_path)}
    assert call("--profiles", named, "--profile", "prod", "GET", "/v2/agents", env=stray).returncode == 0
    default = profile_file(tmp_path, s.url, creds, file="default.toml")
    assert call("--profiles", default, "GET", "/v2/agents", env=stray).returncode == 1
    # Plain HTTP leaves this host only over TLS (bodies and signatures in the clear otherwise).
    far = call("--profiles", named, "--profile", "prod", "GET", "http://rampart.example/v2/agents")
    assert far.returncode == 2 and "https://" in far.stderr


def test_over_https_with_the_given_anchor(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_cert(cert, key, "localhost")
    s = Server(tmp_path / "data", extra_args=["--tls-cert", str(cert), "--tls-key", str(key)]).start()
    assert s.url.startswith("https://")
    creds = make_user(s)
    profiles = profile_file(tmp_path, s.url, creds, extra='ca_file = "%s"\n' % cert)
    out = call("--profiles", profiles, "GET", "/v2/agents")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"agents": [], "token": None}
    # Without the anchor the certificate is not trusted: no request is made.
    untrusted = call("--profiles", profile_file(tmp_path, s.url, creds), "GET", "/v2/agents")
    assert untrusted.returncode == 2 and "TLS" in untrusted.stderr


class _Forger(http.server.BaseHTTPRequestHandler):
    """Answers like rampart but signs with a key it does not have."""

    def do_GET(self):
        body = b'{"agents": [{"id": "forged"}], "token": null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Server-Authorization", 'Hawk mac="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", '
                                                 'hash="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_reply_that_does_not_verify_is_not_printed(tmp_path):
    forger = http.server.HTTPServer(("127.0.0.1", 0), _Forger)
    threading.Thread(target=forger.serve_forever, daemon=True).start()
    try:
        url = "http://127.0.0.1:%d" % forger.server_address[1]
        creds = {"org_id": "o" * 24, "user_id": "u" * 24, "api_key": "k" * 40}
        out = call("--profiles", profile_file(tmp_path, url, creds), "GET", "/v2/agents")
        assert out.returncode == 3, (out.returncode, out.stderr)
        assert "does not verify" in out.stderr and "forged" not in out.stdout
    finally:
        forger.shutdown()
