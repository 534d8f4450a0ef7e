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
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LUA = os.path.join(ROOT, "bench", "wrk_request.lua")


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(url, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.05)
    raise RuntimeError("no answer from " + url)


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


def parse_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v if unit == "ms" else v * 1000


def wrk(url, args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    cmd = ["wrk", "-t%d" % args.threads, "-c%d" % args.connections, "-d%ds" % args.seconds, "--latency",
           "-s", LUA, url]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError("non-2xx responses during benchmark of %s:\n%s" % (url, out))
    return {"rps": rps, "p50": parse_ms(lat["50"]), "p99": parse_ms(lat["99"])}


def addresses(n, prefix=44):
    return [{"value": "%d.%d.%d.%d" % (prefix, i >> 16, (i >> 8) & 255, i & 255)} for i in range(n)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    binary = os.path.join(ROOT, "build", "release", "cli", "rampart")
    work = tempfile.mkdtemp(prefix="rampart-bench-")
    procs = []
    try:
        # nginx ceiling
        nport = free_port()
        conf = open(os.path.join(ROOT, "bench", "nginx.conf.in")).read()
        conf = conf.replace("@DIR@", work).replace("@PORT@", str(nport)).replace("@WORKERS@", str(os.cpu_count()))
        with open(os.path.join(work, "nginx.conf"), "w") as f:
            f.write(conf)
        procs.append(subprocess.Popen(["nginx", "-c", os.path.join(work, "nginx.conf"), "-p", work]))
        # rampart
        rport = free_port()
        rp = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:%d" % rport, "--data-dir",
                               os.path.join(work, "data"), "--access-log", "off", "--log-level", "warn"],
                              stdout=subprocess.PIPE, text=True)
        procs.append(rp)
        token = None
        for line in rp.stdout:
            m = re.search(r"(rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43})", line)
            token = token or (m and m.group(1))
            if "listening on" in line:
                break
        base = "http://127.0.0.1:%d" % rport
        wait_http(base + "/healthz")
        wait_http("http://127.0.0.1:%d/" % nport)

        _, small = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "small", "addresses": addresses(100)})
        _, big = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "big", "addresses": addresses(32000, 45)})
        _, churn = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "churn"})
        small_id, big_id, churn_id = (x["_data"][0]["object_id"] for x in (small, big, churn))

        results = {}
        results["nginx fixed 200 (before)"] = wrk("http://127.0.0.1:%d/" % nport, args)
        results["GET 100-entry list"] = wrk(base + "/v4.0/user_ip_lists/" + small_id, args, {"BENCH_TOKEN": token})
        results["check_ioc (1 IOC)"] = wrk(base + "/v4.0/check_ioc", args, {
            "BENCH_TOKEN": token, "BENCH_METHOD": "POST", "BENCH_BODY": json.dumps({"iocs": [{"ioc": "44.0.0.50"}]})})
        results["PATCH add 1 entry (durable)"] = wrk(base + "/v4.0/user_ip_lists/" + churn_id, args, {
            "BENCH_TOKEN": token, "BENCH_METHOD": "PATCH", "BENCH_CYCLE": "1000",
            "BENCH_BODY": json.dumps({"addresses": [{"value": "46.1.{i}", "action": "add"}]})})
        low = argparse.Namespace(**dict(vars(args), connections=4))
        results["GET 32,000-entry list (4 conns)"] = wrk(base + "/v4.0/user_ip_lists/" + big_id, low, {"BENCH_TOKEN": token})

        # PATCH of 32,000 entries into an empty list: end-to-end latency of single requests.
        times = []
        for i in range(5):
            _, fresh = call("POST", base + "/v4.0/user_ip_lists", token, {"list_name": "bulk%d" % i})
            t, _ = call("PATCH", base + "/v4.0/user_ip_lists/" + fresh["_data"][0]["object_id"], token,
                        {"addresses": [dict(a, action="add") for a in addresses(32000, 47)]})
            times.append(t * 1000)

        results["nginx fixed 200 (after)"] = wrk("http://127.0.0.1:%d/" % nport, args)
        # The ceiling is the better of two nginx runs bracketing ours: ratios err on the low side.
        ceiling = max(results["nginx fixed 200 (before)"]["rps"], results["nginx fixed 200 (after)"]["rps"])
        print("| scenario | req/s | p50 ms | p99 ms | req/s vs nginx |")
        print("|---|---:|---:|---:|---:|")
        for name, r in results.items():
            print("| %s | %.0f | %.2f | %.2f | %.1f %% |" % (name, r["rps"], r["p50"], r["p99"], 100 * r["rps"] / ceiling))
        print()
        print("PATCH adding 32,000 entries (5 requests, client-side wall time incl. durable commit): "
              "median %.1f ms, max %.1f ms" % (statistics.median(times), max(times)))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
