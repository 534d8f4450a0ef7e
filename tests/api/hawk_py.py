"""A minimal Hawk signer for the black-box tests (the reference client, run by node, is slower:
tests that check the protocol itself use it; tests of endpoint behaviour use this). It follows the
normalized string of hawk.md §4 and signs a payload hash for bodies."""
import base64
import hashlib
import hmac
import itertools
import json
import time
from urllib.parse import urlsplit

import requests

_nonces = itertools.count()


def _b64(digest):
    return base64.b64encode(digest).decode()


class HawkSession:
    def __init__(self, base, creds):
        self.base, self.creds = base, creds

    def request(self, method, path, body=None):
        u = urlsplit(self.base + path)
        port = u.port or 80
        ts, nonce = str(int(time.time())), "py%06d" % next(_nonces)
        data = json.dumps(body) if body is not None else None
        phash = ""
        if data is not None:
            phash = _b64(hashlib.sha256(("hawk.1.payload\napplication/json\n%s\n" % data).encode()).digest())
        target = u.path + ("?" + u.query if u.query else "")
        norm = "hawk.1.header\n%s\n%s\n%s\n%s\n%s\n%d\n%s\n%s\n" % (
            ts, nonce, method, target, u.hostname, port, phash, self.creds["org_id"])
        mac = _b64(hmac.new(self.creds["api_key"].encode(), norm.encode(), hashlib.sha256).digest())
        header = 'Hawk id="%s", ts="%s", nonce="%s", %sext="%s", mac="%s"' % (
            self.creds["user_id"], ts, nonce, ('hash="%s", ' % phash) if phash else "", self.creds["org_id"], mac)
        headers = {"Authorization": header}
        if data is not None:
            headers["Content-Type"] = "application/json"
        return requests.request(method, self.base + path, data=data, headers=headers, timeout=30)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def put(self, path, body):
        return self.request("PUT", path, body)

    def delete(self, path):
        return self.request("DELETE", path)
