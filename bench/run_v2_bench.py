#!/usr/bin/env python3
"""rampart Threat Stack v2 benchmarks against an nginx ceiling, on loopback, in one run.

Usage: bench/run_v2_bench.py [--seconds 10] [--connections 32] [--alerts 1000000]
Needs what bench/run_bench.py needs. Every request carries its own Hawk header with a fresh nonce
(signed here in advance, replayed by wrk from a file), so the server verifies a MAC and inserts a
nonce per request exactly as for real clients. Rate limits are raised out of the way.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import BINARY, ROOT, start_nginx, start_rampart, stop_all, wrk

HAWK_LUA = os.path.join(ROOT, "bench", "wrk_hawk.lua")
# The rate limits are raised out of the way, and with them the nonce cache: every request leaves a
# nonce for 2 × 60 s, and an organization may hold a quarter of the cache (500,000 by default, what
# 4,000 requests/s leave behind). Past that the server refuses new requests (401 Invalid nonce,
# fail closed), which at the default limit of 200 requests/min per organization cannot happen.
LIMITS = ["--rate-limit-org-per-min", "100000000", "--rate-limit-ip-per-min", "100000000",
          "--nonce-cache-capacity", "40000000"]


class Signer:
    def __init__(self, creds, port):
        self.creds, self.port, self.n = creds, port, 0

    def header(self, target):
        self.n += 1
        ts, nonce = str(int(time.time())), "b%07x" % self.n
        norm = "hawk.1.header\n%s\n%s\nGET\n%s\n127.0.0.1\n%d\n\n%s\n" % (ts, nonce, target, self.port,
                                                                         self.creds["org_id"])
        mac = base64.b64encode(hmac.new(self.creds["api_key"].encode(), norm.encode(), hashlib.sha256).digest())
        return 'Hawk id="%s", ts="%s", nonce="%s", ext="%s", mac="%s"' % (
            self.creds["user_id"], ts, nonce, self.creds["org_id"], mac.decode())

    def get(self, base, target, raw=False):
        req = urllib.request.Request(base + target, headers={"Authorization": self.header(target)})
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
        return body if raw else json.loads(body)

    def file(self, work, targets, count):
        path = os.path.join(work, "signed.txt")
        with open(path, "w") as f:
            for i in range(count):
                t = targets[i % len(targets)]
                f.write("%s\t%s\n" % (t, self.header(t)))
        return path


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def write_telemetry(path, agents, alerts, t0_ms):
    with open(path, "w") as f:
        for i in range(agents):
            f.write(json.dumps({"kind": "agent", "data": {
                "id": "bench-agent-%06d" % i, "status": "online", "createdAt": iso(t0_ms + i * 1000),
                "hostname": "host-%d" % i, "version": "3.1.0", "agentType": "investigate",
                "ipAddresses": {"private": ["10.%d.%d.%d/16" % (i >> 16, (i >> 8) & 255, i & 255)],
                                "link_local": [], "public": []}}}) + "\n")
        for i in range(alerts):
            f.write(json.dumps({"kind": "alert", "data": {
                "id": "%024x" % i, "title": "File: Secret File Opens: cat on /etc/shadow", "dataSource": "auditd",
                "createdAt": iso(t0_ms + i * 1000), "severity": 1 + i % 3, "agentId": "bench-agent-%06d" % (i % agents),
                "ruleId": "rule-%d" % (i % 50), "rulesetId": "ruleset-1", "aggregates": []}}) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--alerts", type=int, default=1000000)
    ap.add_argument("--rate", type=int, default=60000, help="signed requests prepared per second of run")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rampart-v2bench-")
    data = os.path.join(work, "data")
    procs = []
    try:
        # First start creates the demo organization and prints its Hawk credentials once.
        rp, _, startup = start_rampart(data, LIMITS)
        m = re.search(r"TS_USER_ID=(\w+) TS_ORGANIZATION_ID=(\w+) TS_API_KEY=([\w-]+)", startup)
        creds = {"user_id": m.group(1), "org_id": m.group(2), "api_key": m.group(3)}
        stop_all([rp])
        jsonl = os.path.join(work, "telemetry.jsonl")
        # One alert per second, ending a day ago: inside the server's alert retention (365 days),
        # whose sweep would otherwise delete them 30 s after start, in the middle of the run.
        t0_ms = (int(time.time()) - args.alerts - 86400) * 1000
        write_telemetry(jsonl, 200, args.alerts, t0_ms)
        t = time.perf_counter()
        subprocess.run([BINARY, "admin", "import", "--org", creds["org_id"], "--data-dir", data, jsonl],
                       check=True, stdout=subprocess.DEVNULL)
        import_s = time.perf_counter() - t
        os.remove(jsonl)

        rp, base, _ = start_rampart(data, LIMITS)
        procs.append(rp)
        signer = Signer(creds, int(base.rsplit(":", 1)[1]))
        agents_page = signer.get(base, "/v2/agents", raw=True)
        assert len(json.loads(agents_page)["agents"]) == 100
        # A second ceiling: nginx serving the same bytes as a static file.
        os.makedirs(os.path.join(work, "static"), exist_ok=True)
        with open(os.path.join(work, "static", "agents.json"), "wb") as f:
            f.write(agents_page)
        alerts_page = signer.get(base, "/v2/alerts", raw=True)
        with open(os.path.join(work, "static", "alerts.json"), "wb") as f:
            f.write(alerts_page)
        for path in (work, os.path.join(work, "static")):
            os.chmod(path, 0o755)  # nginx workers run as another user
        for name in ("agents.json", "alerts.json"):
            os.chmod(os.path.join(work, "static", name), 0o644)

        # A deep page: a from/until window over the middle of the data, 1,000 pages in.
        window = "/v2/alerts?from=%s&until=%s" % (iso(t0_ms + args.alerts * 250), iso(t0_ms + args.alerts * 750))
        target = window
        for _ in range(min(1000, args.alerts // 400)):
            token = signer.get(base, target)["token"]
            target = "/v2/alerts?token=" + token
        deep = target

        results = {}
        per_run = args.rate * args.seconds
        ncpu = os.cpu_count()

        def ceilings(when, static):
            # wrk shares the machine, so one worker can beat one per core: both are measured, and
            # the best is the ceiling (rampart is measured both ways too).
            for workers in (ncpu, 1):
                nginx, nginx_url = start_nginx(work, workers)
                try:
                    results["nginx fixed 200, %d worker(s) (%s)" % (workers, when)] = wrk(
                        nginx_url, args.seconds, args.connections, server_pid=nginx.pid)
                    if static:
                        results["nginx static file, same bytes as the agents page (%d B), %d worker(s)" % (
                            len(agents_page), workers)] = wrk(nginx_url + "static/agents.json", args.seconds,
                                                              args.connections, server_pid=nginx.pid)
                        results["nginx static file, same bytes as the alerts page (%d B), %d worker(s)" % (
                            len(alerts_page), workers)] = wrk(nginx_url + "static/alerts.json", args.seconds,
                                                              args.connections, server_pid=nginx.pid)
                finally:
                    stop_all([nginx])

        ceilings("before", True)
        stored = "%d alerts stored" % args.alerts
        for name, tgt, conns in (("Hawk GET /v2/agents (page of 100), %d I/O threads (default)" % ncpu, "/v2/agents", args.connections),
                                 ("Hawk GET /v2/alerts first page, " + stored, "/v2/alerts", args.connections),
                                 ("same, 4 connections", "/v2/alerts", 4),
                                 ("Hawk GET /v2/alerts deep page (from/until, 1,000 pages in, token only)", deep,
                                  args.connections),
                                 ("same, 4 connections", deep, 4)):
            signed = signer.file(work, [tgt], per_run)
            key = name if name not in results else name + " (deep)"
            results[key] = wrk(base + "/", args.seconds, conns, lua=HAWK_LUA, env_extra={"BENCH_HAWK_FILE": signed},
                               server_pid=rp.pid)
        # The agents page again with one I/O thread (the default is one per core).
        stop_all([rp])
        procs.remove(rp)
        rp, base, _ = start_rampart(data, LIMITS + ["--io-threads", "1"])
        procs.append(rp)
        signer1 = Signer(creds, int(base.rsplit(":", 1)[1]))
        results["Hawk GET /v2/agents (page of 100), 1 I/O thread"] = wrk(
            base + "/", args.seconds, args.connections, lua=HAWK_LUA, server_pid=rp.pid,
            env_extra={"BENCH_HAWK_FILE": signer1.file(work, ["/v2/agents"], per_run)})
        ceilings("after", False)
        counts = signer1.get(base, "/v2/alerts/severity-counts")["severityCounts"]
        if sum(c["count"] for c in counts) < args.alerts:
            raise RuntimeError("alerts went missing during the run: %r" % counts)
        ceiling = max(r["rps"] for name, r in results.items() if name.startswith("nginx fixed"))
        print("alerts stored: %d; import took %.1f s" % (args.alerts, import_s))
        print("| scenario | req/s | p50 ms | p99 ms | req/s vs nginx | CPU cores: server / wrk |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, r in results.items():
            print("| %s | %.0f | %.2f | %.2f | %.1f %% | %.2f / %.2f |" % (
                name, r["rps"], r["p50"], r["p99"], 100 * r["rps"] / ceiling, r["server_cores"], r["client_cores"]))
    finally:
        stop_all(procs)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
