#!/usr/bin/env python3
"""rampart v4.0 benchmarks against an nginx ceiling, on loopback, in one run.

Usage: bench/run_bench.py [--seconds 10] [--connections 32] [--threads 1]
Needs: build/release/cli/rampart (scripts/build release), wrk and nginx (RAMPART_BENCH_DEPS=1
scripts/install-deps). Prints a Markdown table; the numbers in docs/benchmarks.md come from it.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request

from benchlib import start_nginx, start_rampart, stop_all
from benchlib import wrk as run_wrk


SERVER_PID = None  # rampart's, once started: wrk() reports its CPU time per request


def wrk(url, args, env_extra=None, pid=None):
    """wrk against `url`; CPU per request is that of `pid` (default: rampart's)."""
    r = run_wrk(url, args.seconds, args.connections, args.threads, env_extra=env_extra, server_pid=pid or SERVER_PID)
    if r["server_cores"] is not None and r["rps"] > 0:
        r["cpu_us"] = r["server_cores"] / r["rps"] * 1e6
    return r


def call(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        payload = r.read()
    return time.perf_counter() - t0, json.loads(payload)


def sqlite_commits_per_s(work, seconds=3.0):
    """The ceiling of durable small writes on this disk: one-row SQLite transactions in WAL mode
    with synchronous=FULL (rampart's settings), one after another, for `seconds`."""
    import sqlite3
    db = sqlite3.connect(os.path.join(work, "ceiling.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        db.execute("BEGIN")
        db.execute("INSERT INTO t (v) VALUES (?)", ("198.51.100.%d" % (n % 256),))
        db.execute("COMMIT")
        n += 1
    rate = n / (time.perf_counter() - t0)
    db.close()
    return rate


def addresses(n, prefix=44):
    return [{"value": "%d.%d.%d.%d" % (prefix, i >> 16, (i >> 8) & 255, i & 255)} for i in range(n)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--server-arg", action="append", default=[],
                    help="extra argument for rampart serve (repeatable), e.g. --server-arg=--blocking-threads=16")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rampart-bench-")
    procs = []
    try:
        nginx, nginx_url = start_nginx(work)
        procs.append(nginx)
        rp, base, startup = start_rampart(os.path.join(work, "data"), extra=args.server_arg)
        procs.append(rp)
        global SERVER_PID
        SERVER_PID = rp.pid
        token = re.search(r"(rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43})", startup).group(1)

        _, small = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "small", "addresses": addresses(100)})
        _, big = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "big", "addresses": addresses(32000, 45)})
        _, churn = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "churn"})
        small_id, big_id, churn_id = (x["_data"][0]["object_id"] for x in (small, big, churn))
        prefixes = [{"value": "49.%d.%d.0/24" % (i >> 8, i & 255)} for i in range(9000)]
        call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "prefixes", "addresses": prefixes})
        ten = ["49.0.%d.7" % i for i in range(5)] + ["50.1.2.%d" % i for i in range(3)] + ["44.0.0.10", "44.0.0.20"]
        eight = [call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "churn%d" % i})[1]["_data"][0]["object_id"]
                 for i in range(8)]

        results = {}
        results["nginx fixed 200 (before)"] = wrk(nginx_url, args, pid=nginx.pid)
        results["GET 100-entry list"] = wrk(base + "/v4.0/user_ip_lists/" + small_id, args, {"BENCH_TOKEN": token})
        results["check_ioc (1 IOC)"] = wrk(base + "/v4.0/check_ioc", args, {
            "BENCH_TOKEN": token, "BENCH_METHOD": "POST", "BENCH_BODY": json.dumps({"iocs": [{"ioc": "44.0.0.50"}]})})
        results["check_ioc (10 IOCs, 9,000 prefixes)"] = wrk(base + "/v4.0/check_ioc", args, {
            "BENCH_TOKEN": token, "BENCH_METHOD": "POST", "BENCH_BODY": json.dumps({"iocs": [{"ioc": i} for i in ten]})})
        results["PATCH add 1 entry (durable)"] = wrk(base + "/v4.0/user_ip_lists/" + churn_id, args, {
            "BENCH_TOKEN": token, "BENCH_METHOD": "PATCH", "BENCH_CYCLE": "1000",
            "BENCH_BODY": json.dumps({"addresses": [{"value": "46.1.{i}", "action": "add"}]})})
        results["PATCH add 1 entry, 8 lists (durable)"] = wrk(base + "/v4.0/user_ip_lists/" + eight[0], args, {
            "BENCH_TOKEN": token, "BENCH_METHOD": "PATCH", "BENCH_CYCLE": "1000",
            "BENCH_PATHS": ",".join("/v4.0/user_ip_lists/" + i for i in eight),
            "BENCH_BODY": json.dumps({"addresses": [{"value": "48.1.{i}", "action": "add"}]})})
        low = argparse.Namespace(**dict(vars(args), connections=4))
        results["GET 32,000-entry list (4 conns)"] = wrk(base + "/v4.0/user_ip_lists/" + big_id, low, {"BENCH_TOKEN": token})

        # PATCH of 32,000 entries into an empty list: end-to-end latency of single requests.
        times = []
        for i in range(5):
            _, fresh = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "bulk%d" % i})
            t, _ = call("PATCH", base + "/v4.0/user_ip_lists/" + fresh["_data"][0]["object_id"], token,
                        {"addresses": [dict(a, action="add") for a in addresses(32000, 47)]})
            times.append(t * 1000)

        results["nginx fixed 200 (after)"] = wrk(nginx_url, args, pid=nginx.pid)
        # The ceiling is the better of two nginx runs bracketing ours: ratios err on the low side.
        ceiling = max(results["nginx fixed 200 (before)"]["rps"], results["nginx fixed 200 (after)"]["rps"])
        commits = sqlite_commits_per_s(work)
        print("| scenario | req/s | p50 ms | p99 ms | req/s vs nginx | server CPU µs/req |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, r in results.items():
            cpu = "%.0f" % r["cpu_us"] if "cpu_us" in r else "—"
            print("| %s | %.0f | %.2f | %.2f | %.1f %% | %s |" % (name, r["rps"], r["p50"], r["p99"],
                                                            100 * r["rps"] / ceiling, cpu))
        print()
        print("Single durable SQLite commits (WAL, synchronous=FULL, one row each), same disk: %.0f/s; "
              "PATCH over 8 lists / that: %.2f x" % (commits, results["PATCH add 1 entry, 8 lists (durable)"]["rps"] / commits))
        print("PATCH adding 32,000 entries (5 requests, client-side wall time incl. durable commit): "
              "median %.1f ms, max %.1f ms" % (statistics.median(times), max(times)))
    finally:
        stop_all(procs)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
