"""HTTPS on the same listener with --tls-cert/--tls-key, and _links using https://."""
import re
import socket
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
    subprocess.run([BIN, "admin", "org", "create", "tls", "--data-dir", str(data)], check=True, capture_output=True)
    made = subprocess.run([BIN, "admin", "key", "create", "--org", "tls", "--perm", "write",
                           "--data-dir", str(data), "--json"], check=True, capture_output=True, text=True)
    token = __import__("json").loads(made.stdout)["token"]
    # every listener on port 0: the default DNS port (5353) is multicast DNS's and may be taken
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--dns-listen", "127.0.0.1:0",
                             "--data-dir", str(data), "--access-log", "off",
                             "--tls-cert", str(cert), "--tls-key", str(key)], stdout=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            line = proc.stdout.readline()
            m = re.search(r"listening on https://127\.0\.0\.1:(\d+)", line)
            port = m and int(m.group(1))
        assert port and token, "rampart did not start (exit %s)" % proc.poll()
        base = "https://127.0.0.1:%d" % port
        r = requests.get(base + "/v4.0/user_ip_lists", headers={"Authorization": "Bearer " + token}, verify=str(cert))
        assert r.status_code == 200
        assert r.json()["_links"]["self"]["href"] == base + "/v4.0/user_ip_lists"
        # Plain HTTP on the TLS port does not reach the API: the handshake fails and the server closes
        # the connection without answering a single byte (a close, or a reset if our request was
        # still unread). A timeout or any HTTP answer fails the test.
        sock = socket.create_connection(("127.0.0.1", port))
        sock.settimeout(10)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        got = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                got += chunk
        except ConnectionResetError:
            pass
        finally:
            sock.close()
        assert got == b"", got
        # and the listener still serves TLS clients afterwards
        r = requests.get(base + "/healthz", verify=str(cert))
        assert (r.status_code, r.json()) == (200, {"status": "ok"})
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
