"""Threat Stack identity through the CLI: organizations, users, sealed Hawk keys, rotation."""
import os
import stat
import subprocess

from conftest import BIN


def admin(data, *args, check=True):
    out = subprocess.run([BIN, "admin", *args, "--data-dir", str(data), "--json"], capture_output=True, text=True,
                         timeout=30)
    if check:
        assert out.returncode == 0, out.stderr
        import json
        return json.loads(out.stdout)
    return out


def test_org_user_key_lifecycle(tmp_path):
    data = tmp_path / "d"
    org = admin(data, "org", "create", "Acme")
    assert len(org["id"]) == 24
    creds = admin(data, "user", "create", "--org", "Acme", "--role", "reader", "--email", "soc@acme.example")
    assert set(creds) == {"api_key", "org_id", "user_id"}
    assert creds["org_id"] == org["id"] and len(creds["user_id"]) == 24 and len(creds["api_key"]) == 40
    # The master key was created private, and the API key is not stored in clear.
    mode = stat.S_IMODE(os.stat(data / "master.key").st_mode)
    assert mode == 0o600
    with open(data / "rampart.db", "rb") as f:
        assert creds["api_key"].encode() not in f.read()
    assert admin(data, "user", "key", "--user", "soc@acme.example")["api_key"] == creds["api_key"]
    rotated = admin(data, "user", "key", "--user", creds["user_id"], "--rotate", "--grace", "60")
    assert rotated["api_key"] != creds["api_key"]
    assert admin(data, "user", "key", "--user", creds["user_id"])["api_key"] == rotated["api_key"]
    beta = admin(data, "org", "create", "Beta")
    admin(data, "user", "add-to-org", "--user", creds["user_id"], "--org", "Beta", "--role", "owner")
    assert admin(data, "user", "key", "--user", creds["user_id"], "--org", beta["id"])["org_id"] == beta["id"]


def test_identity_errors_are_one_line(tmp_path):
    data = tmp_path / "d"
    admin(data, "org", "create", "Acme")
    for args, needle in ((["org", "create", "ACME"], "already in use"),
                         (["user", "create", "--org", "Nope", "--role", "user", "--email", "a@b.example"],
                          "no such organization"),
                         (["user", "create", "--org", "Acme", "--role", "root", "--email", "a@b.example"], "--role"),
                         (["user", "key", "--user", "ghost@x.example"], "no such user")):
        out = admin(data, *args, check=False)
        assert out.returncode != 0, args
        assert needle in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_serve_creates_master_key_on_first_start(server):
    assert stat.S_IMODE(os.stat(os.path.join(server.data_dir, "master.key")).st_mode) == 0o600


def test_admin_commands_close_the_database(tmp_path):
    """A command closes the database on its way out, failing or not: SQLite then copies the WAL
    into the file and removes it (an exit that skipped the close left an import's whole WAL for
    the next process to read through)."""
    data = tmp_path / "d"
    admin(data, "org", "create", "Acme")
    f = tmp_path / "alerts.jsonl"
    line = '{"kind":"alert","data":{"id":"a-%06d","createdAt":"2026-01-01T00:00:00Z","severity":1,"ruleId":"r"}}'
    f.write_text("\n".join(line % i for i in range(20000)))
    wal = data / "rampart.db-wal"
    assert admin(data, "import", "--org", "Acme", str(f))["alerts"] == 20000
    assert not wal.exists() or wal.stat().st_size == 0
    out = admin(data, "import", "--org", "Nope", str(f), check=False)
    assert out.returncode == 1 and "no such organization" in out.stderr
    assert not wal.exists() or wal.stat().st_size == 0
