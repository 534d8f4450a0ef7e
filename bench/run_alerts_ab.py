#!/usr/bin/env python3
"""A/B of rampart binaries on the alerts pages: the same million alerts, each binary in turn.

Usage: bench/run_alerts_ab.py [--seconds 8] [--alerts 1000000] [--rounds 1] BINARY[:ENV=V,…] …
Imports the alerts once (with the first binary), then for each round starts every binary on them
in turn (with its environment, e.g. RAMPART_READ_THREADS=1) and runs wrk, 32 connections, on the
first page and on a deep page (1,000 pages into a from/until window, token only), as
bench/run_v2_bench.py does. Prints req/s, p50/p99 and the server's CPU per page. A binary that
migrates the schema must come after the ones that cannot read the result.
"""
import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time

import benchlib
import run_v2_bench as v2


def parse_binary(spec):
    path, _, env = spec.partition(":")
    return path, dict(kv.split("=", 1) for kv in env.split(",") if kv)


def start(binary, env, data):
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        benchlib.BINARY = binary
        return benchlib.start_rampart(data, v2.LIMITS)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--alerts", type=int, default=1000000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()
    binaries = [parse_binary(b) for b in args.binaries]
    work = tempfile.mkdtemp(prefix="rampart-alerts-ab-")
    data = os.path.join(work, "data")
    try:
        rp, _, startup = start(*binaries[0], data)
        m = re.search(r"TS_USER_ID=(\w+) TS_ORGANIZATION_ID=(\w+) TS_API_KEY=([\w-]+)", startup)
        creds = {"user_id": m.group(1), "org_id": m.group(2), "api_key": m.group(3)}
        benchlib.stop_all([rp])
        t0_ms = (int(time.time()) - args.alerts - 86400) * 1000  # kept by retention, as in run_v2_bench
        jsonl = os.path.join(work, "telemetry.jsonl")
        v2.write_telemetry(jsonl, 200, args.alerts, t0_ms)
        subprocess.run([binaries[0][0], "admin", "import", "--org", creds["org_id"], "--data-dir", data, jsonl],
                       check=True, stdout=subprocess.DEVNULL)
        os.remove(jsonl)
        window = "/v2/alerts?from=%s&until=%s" % (v2.iso(t0_ms + args.alerts * 250), v2.iso(t0_ms + args.alerts * 750))
        print("| binary | env | page | req/s | p50 ms | p99 ms | server CPU µs/page |")
        print("|---|---|---|---:|---:|---:|---:|")
        for _ in range(args.rounds):
            for binary, env in binaries:
                rp, base, _ = start(binary, env, data)
                signer = v2.Signer(creds, int(base.rsplit(":", 1)[1]))
                deep = window
                for _ in range(min(1000, args.alerts // 400)):
                    deep = "/v2/alerts?token=" + signer.get(base, deep)["token"]
                for name, target in [("first", "/v2/alerts"), ("deep", deep)]:
                    signed = signer.file(work, [target], 60000 * args.seconds)
                    r = benchlib.wrk(base + "/", args.seconds, 32, lua=v2.HAWK_LUA,
                                     env_extra={"BENCH_HAWK_FILE": signed}, server_pid=rp.pid)
                    print("| %s | %s | %s | %.0f | %.2f | %.2f | %.0f |" % (
                        os.path.basename(binary), ",".join("%s=%s" % kv for kv in env.items()) or "-", name,
                        r["rps"], r["p50"], r["p99"], r["server_cores"] / r["rps"] * 1e6), flush=True)
                benchlib.stop_all([rp])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
