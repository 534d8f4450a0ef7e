"""A minimal Hawk signer for the black-box tests (the reference client, run by node, is slower:
tests that check the protocol itself use it; tests of endpoint behaviour use this). It follows the
normalized string of hawk.md §4 and signs a payload hash for bodies.

Test servers run on an injected clock that stands still unless a test advances it, so every
request is signed with the server's time (server_now_s), never the wall clock: a Hawk request
made long after a server started, or after advance_clock, is not stale."""
import base64
import hashlib
import hmac
import itertools
import json
import time
from urllib.parse import urlsplit

import requests

_nonces = itertools.count()


def server_now_s(base):
    """The server's current time in whole seconds: its injected test clock (POST /_test/clock with
    advance_seconds 0 moves nothing), or the wall clock for a server without test hooks."""
    r = requests.post(base + "/_test/clock", json={"advance_seconds": 0}, timeout=30)
    if r.status_code == 404:
        return int(time.time())
    assert r.status_code == 200, r.text
    return r.json()["now_ms"] // 1000


def _b64(digest):
    return base64.b64encode(digest).decode()


class _RawResponse:
    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.content = status, headers, body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def _raw_request(host, port, method, target, headers):
    """One request whose target goes out exactly as given."""
    import http.client
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.putrequest(method, target, skip_accept_encoding=True)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.endheaders()
    r = conn.getresponse()
    out = _RawResponse(r.status, dict(r.getheaders()), r.read())
    conn.close()
    return out


class HawkSession:
    def __init__(self, base, creds, sign_host=None, sign_port=None):
        """sign_host/sign_port: the host and port to sign instead of the URL's (as a client behind a
        proxy signs the proxy's address)."""
        self.base, self.creds = base, creds
        self.sign_host, self.sign_port = sign_host, sign_port

    def request(self, method, path, body=None, ts=None, payload_hash=None, nonce=None, raw=False):
        """ts: signed timestamp (default: the server's now); payload_hash: the hash to sign instead
        of the body's own (to send a bad one); nonce: a given nonce (default: a fresh one)."""
        u = urlsplit(self.base + path)
        host, port = self.sign_host or u.hostname, self.sign_port or u.port or 80
        ts = str(server_now_s(self.base) if ts is None else ts)
        nonce = nonce or "py%06d" % next(_nonces)
        data = json.dumps(body) if body is not None else None
        phash = ""
        if data is not None:
            phash = _b64(hashlib.sha256(("hawk.1.payload\napplication/json\n%s\n" % data).encode()).digest())
        if payload_hash is not None:
            phash = payload_hash
        target = u.path + ("?" + u.query if u.query else "")
        norm = "hawk.1.header\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n" % (
            ts, nonce, method, target, host, port, phash, self.creds["org_id"])
        mac = _b64(hmac.new(self.creds["api_key"].encode(), norm.encode(), hashlib.sha256).digest())
        header = 'Hawk id="%s", ts="%s", nonce="%s", %sext="%s", mac="%s"' % (
            self.creds["user_id"], ts, nonce, ('hash="%s", ' % phash) if phash else "", self.creds["org_id"], mac)
        headers = {"Authorization": header}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if raw:
            return _raw_request(u.hostname, u.port, method, target, headers)
        return requests.request(method, self.base + path, data=data, headers=headers, timeout=30)

    def get_raw(self, path):
        """GET with the target sent byte for byte (requests would re-quote a bad escape like %zz)."""
        return self.request("GET", path, raw=True)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def put(self, path, body):
        return self.request("PUT", path, body)

    def delete(self, path):
        return self.request("DELETE", path)
