"""Start-up refuses what would only fail later (issue 11 §2): a master key that does not open the
secrets sealed in the database stops the server at once, naming the key, instead of letting every
Hawk user get 401."""
import base64
import os
import re
import subprocess

from conftest import BIN
from test_identity_cli import admin


def serve(data, env=None, timeout=30):
    """Runs `rampart serve` until it exits or prints that it listens; returns (exit code or None, output)."""
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--dns-listen", "127.0.0.1:0", "--data-dir",
                             str(data), "--access-log", "off"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    out = []
    for line in proc.stdout:
        out.append(line)
        if "listening on http" in line:
            proc.terminate()
            proc.wait(timeout=timeout)
            return None, "".join(out)
    return proc.wait(timeout=timeout), "".join(out)


def test_a_master_key_that_does_not_open_the_sealed_secrets_stops_the_start(tmp_path):
    data = tmp_path / "d"
    admin(data, "org", "create", "Acme")
    admin(data, "user", "create", "--org", "Acme", "--role", "owner", "--email", "soc@acme.example")
    key = (data / "master.key").read_text()
    code, out = serve(data)
    assert code is None, out  # the right key: it starts
    os.remove(data / "master.key")
    code, out = serve(data)
    assert code == 2 and "master.key" in out and "not found" in out, out
    assert not (data / "master.key").exists()  # no new key was made for a database with sealed secrets
    out = admin(data, "user", "create", "--org", "Acme", "--role", "user", "--email", "x@acme.example", check=False)
    assert out.returncode != 0 and "master key file not found" in out.stderr, out.stderr
    assert not (data / "master.key").exists()  # nor by the admin CLI
    env = dict(os.environ, RAMPART_MASTER_KEY=base64.b64encode(b"\x01" * 32).decode())
    code, out = serve(data, env)
    assert code == 2 and "RAMPART_MASTER_KEY" in out and "does not open" in out, out
    (data / "master.key").write_text(key)
    os.chmod(data / "master.key", 0o600)
    code, out = serve(data)
    assert code is None, out


def test_a_damaged_database_or_busy_port_is_named_and_nothing_is_created(tmp_path):
    """A zero-length rampart.db is not a first start; a file that is not a database, a port in use
    or an unreadable TLS file stop the start with the file or address and the cause — before any
    demo account is made or any credential printed."""
    import socket
    data = tmp_path / "d"
    data.mkdir()
    (data / "rampart.db").write_bytes(b"")
    os.chmod(data / "rampart.db", 0o600)
    code, out = serve(data)
    assert code == 2 and "rampart.db" in out and "empty" in out and "rpt_" not in out, out
    assert (data / "rampart.db").stat().st_size == 0  # left as it was
    (data / "rampart.db").write_bytes(b"this is not a database" * 100)
    os.chmod(data / "rampart.db", 0o600)
    code, out = serve(data)
    assert code == 2 and "rampart.db" in out and "not a database" in out, out
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    fresh = tmp_path / "fresh"
    proc = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:%d" % busy, "--dns-listen",
                           "127.0.0.1:0", "--data-dir", str(fresh), "--create-demo", "true"],
                          capture_output=True, text=True, timeout=30)
    taken.close()
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2 and "127.0.0.1:%d" % busy in out and "in use" in out, out
    assert "rpt_" not in out and "TS_API_KEY" not in out  # no credential was shown for a server that never ran
    proc = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--dns-listen", "127.0.0.1:0", "--data-dir",
                           str(tmp_path / "tls"), "--tls-cert", str(tmp_path / "missing.pem"), "--tls-key",
                           str(tmp_path / "missing.key")], capture_output=True, text=True, timeout=30)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2 and "missing.pem" in out, out


def test_the_demo_is_off_by_default_and_built_in(tmp_path):
    code, out = serve(tmp_path / "plain")
    assert code is None and "rpt_" not in out and "TS_API_KEY" not in out, out
    other = tmp_path / "elsewhere"
    other.mkdir()
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--dns-listen", "127.0.0.1:0", "--data-dir",
                             str(tmp_path / "demo"), "--create-demo", "true", "--access-log", "off"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(other))
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "listening on http" in line:
            break
    text = "".join(lines)
    try:
        assert "rpt_" in text and "TS_API_KEY=" in text, text  # run from a directory without demo/ in it
        import re
        from hawk_py import HawkSession
        m = re.search(r"TS_USER_ID=(\w+) TS_ORGANIZATION_ID=(\w+) TS_API_KEY=([\w-]+)", text)
        creds = {"user_id": m.group(1), "org_id": m.group(2), "api_key": m.group(3)}
        port = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text).group(1)
        agents = HawkSession("http://127.0.0.1:" + port, creds).get("/v2/agents").json()["agents"]
        assert len(agents) == 4  # the built-in demo telemetry (the fifth agent is offline)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_one_way_to_open_the_store_with_private_files(tmp_path):
    """Every command opens the data directory the same way: `account create` / `org create` make it
    0700 with rampart.db 0600; any other admin command on a missing database fails without creating
    one (a mistyped --data-dir); serve refuses a database readable by others unless told."""
    import stat
    data = tmp_path / "d"
    admin(data, "org", "create", "acme")
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data / "rampart.db").st_mode) == 0o600
    typo = tmp_path / "typo"
    out = admin(typo, "key", "list", "--org", "acme", check=False)
    assert out.returncode != 0 and "no database" in out.stderr and not typo.exists(), out.stderr
    out = admin(typo, "user", "create", "--org", "x", "--role", "owner", "--email", "a@b.c", check=False)
    assert out.returncode != 0 and not typo.exists(), out.stderr
    os.chmod(data / "rampart.db", 0o644)
    code, out = serve(data)
    assert code == 2 and "rampart.db" in out and "readable by group or others" in out, out
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--dns-listen", "127.0.0.1:0", "--data-dir",
                             str(data), "--access-log", "off", "--allow-insecure-permissions", "true"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = any("listening on http" in line for line in iter(proc.stdout.readline, ""))
    proc.terminate()
    proc.wait(timeout=30)
    assert started


def test_version_names_the_release_the_commit_and_the_build_type():
    out = subprocess.run([BIN, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    m = re.fullmatch(r"rampart (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(?:-dirty)?|unknown), (\w+)\)", out)
    assert m, out
    here = os.path.dirname(os.path.abspath(__file__))
    head = subprocess.run(["git", "-C", here, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    if head.returncode == 0:  # built from this checkout (scripts/test rebuilds before testing)
        assert m.group(2).split("-")[0] == head.stdout.strip()
