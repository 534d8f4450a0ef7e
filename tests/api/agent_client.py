"""A small synthetic agent speaking docs/ingest.md, for the black-box tests and the benchmark:
enrollment with a deploy key, then Hawk-signed (payload hash included) event batches as gzip JSON
lines, heartbeats and the config. Signed with the server's (injected) clock, like hawk_py."""
import base64
import gzip
import hashlib
import hmac
import itertools
import json
from urllib.parse import urlsplit

import requests

from hawk_py import server_now_s

_nonces = itertools.count()
NDJSON = "application/x-ndjson"


def enroll(base, deploy_key, hostname="web-1", machine_id="0123456789abcdef0123456789abcdef", **facts):
    body = {"hostname": hostname, "machineId": machine_id, "kernel": "6.1.0-18-amd64", "osVersion": "debian 12",
            "version": "0.1.0", "agentType": "investigate",
            "ipAddresses": {"private": ["10.0.0.5/24"], "link_local": ["fe80::1/64"], "public": []}, **facts}
    return requests.post(base + "/ingest/v1/enroll", json=body, headers={"Authorization": "Bearer " + deploy_key},
                         timeout=30)


def payload_hash(content_type, body):
    return base64.b64encode(hashlib.sha256(b"hawk.1.payload\n" + content_type.encode() + b"\n" + body + b"\n")
                            .digest()).decode()


class Agent:
    def __init__(self, base, enrolled):
        """`enrolled`: the enrollment reply ({"agentId", "hawk": {"id", "key"}, …})."""
        self.base, self.id, self.key = base, enrolled["hawk"]["id"], enrolled["hawk"]["key"]
        self.seq = 0

    def signed(self, method, path, body=b"", content_type=None, ts=None, sign_hash=True, headers=None, hash_of=None,
               session=None):
        """`ts` defaults to the server's clock (one extra request); `session` keeps the connection."""
        ts = str(server_now_s(self.base) if ts is None else ts)
        auth, artifacts = self.authorization(method, path, body, content_type, ts, sign_hash, hash_of)
        h = {"Authorization": auth, **(headers or {})}
        if content_type:
            h["Content-Type"] = content_type
        resp = (session or requests).request(method, self.base + path, data=body if method != "GET" else None,
                                             headers=h, timeout=60)
        resp.hawk_artifacts = artifacts
        return resp

    def authorization(self, method, path, body, content_type, ts, sign_hash=True, hash_of=None):
        """The Hawk Authorization header for a request at `ts`, and its artifacts."""
        u = urlsplit(self.base + path)
        nonce = "ag%06d" % next(_nonces)
        phash = payload_hash(content_type, hash_of if hash_of is not None else body) if (sign_hash and content_type) else ""
        target = u.path + ("?" + u.query if u.query else "")
        norm = "hawk.1.header\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n\n" % (ts, nonce, method, target, u.hostname, u.port, phash)
        mac = base64.b64encode(hmac.new(self.key.encode(), norm.encode(), hashlib.sha256).digest()).decode()
        auth = 'Hawk id="%s", ts="%s", nonce="%s", %smac="%s"' % (self.id, ts, nonce,
                                                                  ('hash="%s", ' % phash) if phash else "", mac)
        return auth, (str(ts), nonce, method, target, u.hostname, str(u.port))

    def reply_verifies(self, resp):
        """True when the reply's Server-Authorization is the MAC of this request's artifacts with the
        payload hash of the reply's body, under this agent's key (what a real agent checks)."""
        header = resp.headers.get("Server-Authorization", "")
        attrs = dict(part.strip().split("=", 1) for part in header[len("Hawk "):].split(",") if "=" in part)
        attrs = {k: v.strip('"') for k, v in attrs.items()}
        if not header.startswith("Hawk ") or "mac" not in attrs or "hash" not in attrs:
            return False
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if attrs["hash"] != payload_hash(ctype, resp.content):
            return False
        ts, nonce, method, target, host, port = resp.hawk_artifacts
        norm = "hawk.1.response\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n\n" % (ts, nonce, method, target, host, port, attrs["hash"])
        mac = base64.b64encode(hmac.new(self.key.encode(), norm.encode(), hashlib.sha256).digest()).decode()
        return hmac.compare_digest(mac, attrs["mac"])

    def send(self, events, seq=None, compress=True, **kw):
        """One batch; `seq` defaults to the next sequence number."""
        if seq is None:
            self.seq += 1
            seq = self.seq
        text = "".join(json.dumps(e) + "\n" for e in events).encode()
        body = gzip.compress(text) if compress else text
        headers = {"Content-Encoding": "gzip"} if compress else {}
        return self.signed("POST", "/ingest/v1/events?seq=%d" % seq, body, NDJSON, headers=headers, **kw)

    def heartbeat(self, body):
        return self.signed("POST", "/ingest/v1/heartbeat", json.dumps(body).encode(), "application/json")

    def config(self):
        return self.signed("GET", "/ingest/v1/config")
