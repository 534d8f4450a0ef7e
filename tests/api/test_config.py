"""Configuration: precedence of flags > environment > file, and fast failure on bad values."""
import os
import re
import subprocess

import requests

from conftest import BIN, Server

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def run_serve(tmp_path, *args, env=None):
    # Should a bad value ever be accepted, the server binds port 0, not the defaults (8080, and 5353
    # which is multicast DNS's): the listeners come from the environment, so flags still override them.
    env = dict(os.environ if env is None else env)
    env.setdefault("RAMPART_LISTEN", "127.0.0.1:0")
    env.setdefault("RAMPART_DNS_LISTEN", "127.0.0.1:0")
    return subprocess.run([BIN, "serve", "--data-dir", str(tmp_path / "d"), *args], capture_output=True,
                          text=True, timeout=30, env=env)


def test_invalid_config_fails_fast(tmp_path):
    for args, needle in ((["--listen", "nohostport"], "listen"),
                         (["--max-body-bytes", "lots"], "max_body_bytes"),
                         (["--expires-date-order", "ymd"], "expires_date_order"),
                         (["--tls-cert", "/nonexistent"], "tls_cert and tls_key")):
        out = run_serve(tmp_path, *args)
        assert out.returncode == 2, out
        assert needle in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    cfg = tmp_path / "bad.toml"
    cfg.write_text('no_such_setting = 1\n')
    out = run_serve(tmp_path, "--config", str(cfg))
    assert out.returncode == 2 and "no_such_setting" in out.stderr
    env = dict(os.environ, RAMPART_READ_TIMEOUT_MS="soon")
    out = run_serve(tmp_path, env=env)
    assert out.returncode == 2 and "environment" in out.stderr


def test_precedence_flags_over_env_over_file(tmp_path, monkeypatch):
    cfg = tmp_path / "rampart.toml"
    cfg.write_text('public_base_url = "https://from-file.example"\nlist_name_max_length = 3\n')
    monkeypatch.setenv("RAMPART_PUBLIC_BASE_URL", "https://from-env.example")
    s = Server(tmp_path / "d", ["--config", str(cfg)]).start()
    h = {"Authorization": "Bearer " + s.demo_token}
    r = requests.get(s.url + "/v4.0/user_ip_lists", headers=h)
    assert r.json()["_links"]["self"]["href"].startswith("https://from-env.example/")
    r = requests.post(s.url + "/v4.0/user_ip_lists", json={"list_name": "abcd"}, headers=h)
    assert r.status_code == 400  # the file's limit of 3 applies
    s.stop()
    s = Server(tmp_path / "d", ["--config", str(cfg), "--public-base-url", "https://from-flag.example"]).start()
    r = requests.get(s.url + "/v4.0/user_ip_lists", headers=h)
    assert r.json()["_links"]["self"]["href"].startswith("https://from-flag.example/")
    s.stop()


def setting_keys():
    """Every setting, from the source of truth: the table in src/app/config.cpp."""
    with open(os.path.join(ROOT, "src", "app", "config.cpp")) as f:
        src = f.read()
    table = src[src.index("kSettings = {"):]
    table = table[:table.index("};")]
    return re.findall(r'^\s*\{"([a-z0-9_]+)", "', table, re.M)


def test_help_lists_every_setting():
    out = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out
    keys = setting_keys()
    assert len(keys) >= 30 and {"listen", "dns_listen", "max_connections", "create_demo"} <= set(keys), keys
    help_text = " ".join(out.stdout.split())  # CLI11 wraps long lines
    options = set(re.findall(r"(?<![\w-])(--[a-z0-9-]+)", help_text))
    for key in keys:
        assert "--" + key.replace("_", "-") in options, key
        assert "[RAMPART_%s]" % key.upper() in help_text, key
    assert {"--config", "--help"} <= options
    # and nothing else: the parse of config.cpp above missed no setting
    assert options == {"--" + k.replace("_", "-") for k in keys} | {"--config", "--help"}, options
    # every key docs/operations.md documents is a real setting
    with open(os.path.join(ROOT, "docs", "operations.md")) as f:
        documented = re.findall(r"^\| `([a-z0-9_]+)`(?:, `([a-z0-9_]+)`)? \|", f.read(), re.M)
    documented = {k for row in documented for k in row if k}
    assert len(documented) >= 20 and documented <= set(keys), documented - set(keys)


def test_admin_errors_are_one_line(tmp_path):
    subprocess.run([BIN, "admin", "org", "create", "acme", "--data-dir", str(tmp_path)], check=True,
                   capture_output=True, timeout=30)
    out = subprocess.run([BIN, "admin", "key", "create", "--org", "ghost", "--perm", "userlists:read",
                          "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 1 and out.stderr.strip() == "rampart: no such organization: 'ghost'"
