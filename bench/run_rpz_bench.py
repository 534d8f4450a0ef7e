#!/usr/bin/env python3
"""RPZ enforcement benchmarks, on loopback, in one run.

Usage: bench/run_rpz_bench.py [--entries 1000000] [--runs 3]
A DNS policy over --entries domain entries (lists of 31,250, the per-list cap being 32,000):
  - zone build: time of the policy POST that compiles the zone, and the server's RSS growth;
  - AXFR with `dig +tcp axfr` against rampart (and rampart's RSS growth while serving them) and, in the same run, against BIND (named) serving
    the very same zone file (GET /v4.0/policies/{id}/zone) as a primary; best of --runs;
  - a 1-entry PATCH: time from sending the PATCH to receiving the NOTIFY (a UDP socket here
    acknowledges it), and the IXFR that follows (size, and server-side time from rampart's log).
Needs release build, bind9 and dnsutils (scripts/install-deps).
"""
import argparse
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import free_port, start_rampart, stop_all  # noqa: E402

PER_LIST = 31250


def api(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.read()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


class RssPeak:
    """Samples a process's RSS every 5 ms in a thread; `peak_kb` is the largest sample."""

    def __init__(self, pid):
        self.pid, self.peak_kb, self.done = pid, rss_kb(pid), False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.done:
            self.peak_kb = max(self.peak_kb, rss_kb(self.pid))
            time.sleep(0.005)

    def stop(self):
        self.done = True
        self.thread.join()
        return self.peak_kb


def timed_axfr(port, zone, runs):
    """Best time of `runs` complete transfers (failed ones, e.g. before a zone is loaded, are retried)."""
    best, size, failures = None, None, 0
    while runs > 0:
        t = time.perf_counter()
        out = subprocess.run(["dig", "+tcp", "@127.0.0.1", "-p", str(port), zone, "AXFR", "+noall", "+stats"],
                             capture_output=True, text=True, check=True).stdout
        dt = time.perf_counter() - t
        m = re.search(r"XFR size: (\d+) records \(messages (\d+), bytes (\d+)\)", out)
        if not m:
            failures += 1
            if failures > 60:
                raise RuntimeError("AXFR keeps failing on port %d" % port)
            time.sleep(0.5)
            continue
        runs -= 1
        best, size = (dt if best is None else min(best, dt)), tuple(int(x) for x in m.groups())
    return best, size


class NotifySink:
    """Receives NOTIFYs, records when the first one arrives, and acknowledges each."""
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.arrivals = []
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            data, peer = self.sock.recvfrom(4096)
            self.arrivals.append(time.perf_counter())
            reply = bytearray(data[:12])
            reply[2] |= 0x80
            reply[6:12] = b"\0" * 6
            q_end = 12
            while data[q_end] != 0:
                q_end += data[q_end] + 1
            self.sock.sendto(bytes(reply[:4]) + struct.pack(">HHHH", 1, 0, 0, 0) + data[12:q_end + 5], peer)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rampart-rpzbench-")
    procs = []
    try:
        err = open(os.path.join(work, "rampart.log"), "w")
        rp, base, startup = start_rampart(os.path.join(work, "d"), ["--list-name-max-length", "16"],
                                          log_level="info", stderr=err)
        procs.append(rp)
        token = re.search(r"\b(rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\b", startup).group(1)
        dns_port = int(re.search(r"dns listening on 127\.0\.0\.1:(\d+)", startup).group(1))
        lists, t = [], time.perf_counter()
        for i in range(0, args.entries, PER_LIST):
            addrs = [{"value": "d%07d.bench.example" % j} for j in range(i, min(args.entries, i + PER_LIST))]
            body = json.loads(api(base, token, "POST", "/v4.0/user_domain_lists",
                                  {"list_name": "bench%03d" % (i // PER_LIST), "list_type": "block", "addresses": addrs}))
            lists.append(body["_data"][0]["object_id"])
        lists_s = time.perf_counter() - t
        rss0 = rss_kb(rp.pid)
        t = time.perf_counter()
        pol = json.loads(api(base, token, "POST", "/v4.0/policies", {
            "name": "bench", "type": "dns", "lists": [{"list_id": l, "behavior": "nxdomain"} for l in lists]}))["_data"][0]
        build_s = time.perf_counter() - t
        rss1 = rss_kb(rp.pid)
        sink = NotifySink()
        api(base, token, "POST", "/v4.0/devices", {"name": "bench", "type": "dns", "policy_id": pol["object_id"],
                                                   "transfer_acl": ["127.0.0.1"], "notify": ["127.0.0.1:%d" % sink.port]})
        zone = pol["zone_name"]
        zone_text = api(base, token, "GET", "/v4.0/policies/%s/zone" % pol["object_id"]).decode()
        rss_before_axfr = rss_kb(rp.pid)
        sampler = RssPeak(rp.pid)
        rampart_axfr, rampart_size = timed_axfr(dns_port, zone, args.runs)
        axfr_rss_growth = sampler.stop() - rss_before_axfr

        # BIND as a primary for the same zone file.
        bdir = os.path.join(work, "bind")
        os.makedirs(bdir)
        with open(os.path.join(bdir, "zone.db"), "w") as f:
            f.write(zone_text)
        bport = free_port()
        with open(os.path.join(bdir, "named.conf"), "w") as f:
            f.write('options { directory "%s"; pid-file none; session-keyfile "%s/s.key"; listen-on port %d { 127.0.0.1; };'
                    ' listen-on-v6 { none; }; recursion no; allow-transfer { any; }; notify no; };\ncontrols { };\n'
                    'zone "%s" { type primary; file "zone.db"; };\n' % (bdir, bdir, bport, zone))
        named = subprocess.Popen(["named", "-g", "-c", os.path.join(bdir, "named.conf")],
                                 stdout=open(os.path.join(bdir, "out"), "w"), stderr=subprocess.STDOUT)
        procs.append(named)
        t0 = time.perf_counter()
        while True:
            r = subprocess.run(["dig", "@127.0.0.1", "-p", str(bport), zone, "SOA", "+short"], capture_output=True, text=True)
            if r.stdout.strip():
                break
            if time.perf_counter() - t0 > 300:
                raise RuntimeError("BIND did not load the zone")
            time.sleep(0.5)
        bind_load = time.perf_counter() - t0
        bind_axfr, bind_size = timed_axfr(bport, zone, args.runs)

        # One-entry change: PATCH → NOTIFY, then the IXFR.
        old_serial = int(subprocess.run(["dig", "@127.0.0.1", "-p", str(dns_port), zone, "SOA", "+short"],
                                        capture_output=True, text=True).stdout.split()[2])
        sink.arrivals.clear()
        t = time.perf_counter()
        api(base, token, "PATCH", "/v4.0/user_domain_lists/" + lists[0],
            {"addresses": [{"value": "d0000000.bench.example", "action": "remove"}]})
        patch_s = time.perf_counter() - t
        while not sink.arrivals and time.perf_counter() - t < 60:
            time.sleep(0.001)
        notify_ms = (sink.arrivals[0] - t) * 1000 if sink.arrivals else None
        ixfr = subprocess.run(["dig", "+tcp", "@127.0.0.1", "-p", str(dns_port), zone, "IXFR=%d" % old_serial,
                               "+noall", "+answer", "+stats"], capture_output=True, text=True).stdout
        time.sleep(0.2)
        with open(os.path.join(work, "rampart.log")) as f:
            log = f.readlines()
        ixfr_log = [l for l in log if "dns IXFR zone=" in l][-1]
        axfr_us = min(int(re.search(r"us=(\d+)", l).group(1)) for l in log if "dns AXFR zone=" in l)
        us = int(re.search(r"us=(\d+)", ixfr_log).group(1))
        ixfr_bytes = int(re.search(r"bytes=(\d+)", ixfr_log).group(1))
        ixfr_rrs = len([l for l in ixfr.splitlines() if l and not l.startswith(";")])

        print("entries: %d in %d lists (created in %.1f s)" % (args.entries, len(lists), lists_s))
        print("| measurement | rampart | BIND 9.18 | ratio |\n|---|---:|---:|---:|")
        print("| zone build (policy POST, %d records) | %.2f s, RSS +%d MiB | load %.1f s | |" % (
            rampart_size[0] - 2, build_s, (rss1 - rss0) // 1024, bind_load))
        print("| AXFR with dig, best of %d (records / messages / bytes) | %.2f s (%d / %d / %d) | %.2f s (%d / %d / %d) | %.2f |" % (
            args.runs, rampart_axfr, *rampart_size, bind_axfr, *bind_size, rampart_axfr / bind_axfr))
        print("| AXFR server-side (build + write, best) | %.2f s | | |" % (axfr_us / 1e6))
        print("| server RSS growth while serving the AXFRs (peak of 5 ms samples) | %.1f MiB | | |" % (axfr_rss_growth / 1024))
        print("| 1-entry PATCH: request time | %.1f ms | | |" % (patch_s * 1000))
        print("| 1-entry PATCH → NOTIFY received | %s ms | | |" % ("%.1f" % notify_ms if notify_ms else "none"))
        print("| IXFR for it: RRs / bytes / server-side time | %d / %d / %.2f ms | | |" % (ixfr_rrs, ixfr_bytes, us / 1000))
    finally:
        stop_all(procs)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
