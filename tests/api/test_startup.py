"""Start-up refuses what would only fail later (issue 11 §2): a master key that does not open the
secrets sealed in the database stops the server at once, naming the key, instead of letting every
Hawk user get 401."""
import base64
import os
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
    env = dict(os.environ, RAMPART_MASTER_KEY=base64.b64encode(b"\x01" * 32).decode())
    code, out = serve(data, env)
    assert code == 2 and "RAMPART_MASTER_KEY" in out and "does not open" in out, out
    (data / "master.key").write_text(key)
    os.chmod(data / "master.key", 0o600)
    code, out = serve(data)
    assert code is None, out
