"""SIGHUP reloads instead of killing (issue 11 §2): the access log file is reopened (logrotate
renames it first) and the TLS certificate files are re-read, while requests keep flowing and
none fails. A certificate that does not load keeps the one in use."""
import os
import re
import signal
import ssl
import subprocess
import threading
import time

import pytest
import requests

from conftest import BIN


def make_cert(path_cert, path_key, cn):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(path_key),
                    "-out", str(path_cert), "-days", "2", "-subj", "/CN=" + cn,
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)


def served_cn(port):
    pem = ssl.get_server_certificate(("127.0.0.1", port))
    der = ssl.PEM_cert_to_DER_cert(pem)
    out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject"], input=der,
                         capture_output=True, check=True).stdout.decode()
    return re.search(r"CN\s*=\s*(\S+)", out).group(1)


def wait_for(pred, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_sighup_reopens_the_access_log_and_rereads_tls_under_load(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_cert(cert, key, "first")
    access, errlog = tmp_path / "access.log", tmp_path / "server.log"
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--dns-listen", "127.0.0.1:0",
                             "--data-dir", str(tmp_path / "d"), "--access-log", str(access), "--log-level", "info",
                             "--tls-cert", str(cert), "--tls-key", str(key), "--ingest-listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=open(errlog, "w"), text=True)
    try:
        port = ingest_port = None
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            line = proc.stdout.readline()
            m = re.search(r"ingest-only listener on https://127\.0\.0\.1:(\d+)", line)
            ingest_port = ingest_port or (m and int(m.group(1)))
            m = re.search(r"listening on https://127\.0\.0\.1:(\d+)", line)
            port = m and int(m.group(1))
        assert port and ingest_port, "rampart did not start (exit %s)" % proc.poll()
        base = "https://127.0.0.1:%d" % port
        assert served_cn(port) == served_cn(ingest_port) == "first"
        results, stop = [], threading.Event()

        def load():
            while not stop.is_set():
                try:  # a fresh connection each time: every request meets the current certificate
                    results.append(requests.get(base + "/healthz", verify=False, timeout=10).status_code)
                except requests.RequestException as e:
                    results.append(repr(e))

        workers = [threading.Thread(target=load, daemon=True) for _ in range(4)]
        for w in workers:
            w.start()
        time.sleep(0.5)
        # logrotate: rename, then HUP; the new file gets the lines from then on
        os.rename(access, tmp_path / "access.log.1")
        proc.send_signal(signal.SIGHUP)
        assert wait_for(lambda: "SIGHUP: access log reopened" in errlog.read_text()), errlog.read_text()
        assert wait_for(lambda: access.exists() and access.stat().st_size > 0)
        rotated = (tmp_path / "access.log.1").stat().st_size
        time.sleep(0.3)
        assert (tmp_path / "access.log.1").stat().st_size == rotated  # nothing more goes to the old file
        # a new certificate, then HUP: new connections get it
        make_cert(cert, key, "second")
        proc.send_signal(signal.SIGHUP)
        assert wait_for(lambda: errlog.read_text().count("TLS certificate re-read") >= 2), errlog.read_text()
        assert served_cn(port) == served_cn(ingest_port) == "second"  # the agents' listener too
        # a broken certificate file keeps the one in use
        cert.write_text("not a certificate\n")
        proc.send_signal(signal.SIGHUP)
        assert wait_for(lambda: "TLS files not reloaded" in errlog.read_text()), errlog.read_text()
        assert served_cn(port) == "second"
        time.sleep(0.5)
        stop.set()
        for w in workers:
            w.join()
        assert proc.poll() is None  # still running
        assert len(results) > 20 and all(r == 200 for r in results), [r for r in results if r != 200][:5]
        lines = access.read_text().splitlines()
        assert lines and all(line.startswith("{") for line in lines)
    finally:
        if "stop" in locals():
            stop.set()  # a failed assertion must not leave the load threads running
        proc.terminate()
        assert proc.wait(timeout=30) == 0
