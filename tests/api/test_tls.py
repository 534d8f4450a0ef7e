"""HTTPS on the same listener with --tls-cert/--tls-key, and _links using https://."""
import re
import subprocess
import time

import requests

from conftest import BIN


def test_tls_serves_the_api(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    data = tmp_path / "d"
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data), "--access-log", "off",
                             "--tls-cert", str(cert), "--tls-key", str(key)], stdout=subprocess.PIPE, text=True)
    try:
        token, port = None, None
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            line = proc.stdout.readline()
            m = re.search(r"(rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43})", line)
            token = token or (m and m.group(1))
            m = re.search(r"listening on https://127\.0\.0\.1:(\d+)", line)
            port = m and int(m.group(1))
        base = "https://127.0.0.1:%d" % port
        r = requests.get(base + "/v4.0/user_ip_lists", headers={"Authorization": "Bearer " + token}, verify=str(cert))
        assert r.status_code == 200
        assert r.json()["_links"]["self"]["href"] == base + "/v4.0/user_ip_lists"
        # plain HTTP on the TLS port does not reach the API
        try:
            plain = requests.get("http://127.0.0.1:%d/healthz" % port, timeout=5)
            assert plain.status_code != 200
        except requests.exceptions.ConnectionError:
            pass
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
