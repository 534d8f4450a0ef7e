#!/usr/bin/env python3
"""rampart-agent on this host (issue 14 §6): a real auditd with the agent's rule file and its
af_unix dispatcher, the agent enrolled against a release rampart on loopback, then

    for i in $(seq N); do /bin/true; done        (N = 100,000 by default)

Reports the loop's exec rate, the events the agent handled, its CPU per event and peak RSS, the
kernel's lost-record count, and events/s end to end (from the loop's start until the server has
stored every event of it). Root with audit control; kernel audit state is restored afterwards.

Usage: bench/run_agent_bench.py [--execs 100000]   (needs build/release: scripts/build release)"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, HERE)
import benchlib  # noqa: E402

AGENT = os.path.join(ROOT, "build", "release", "agent", "rampart-agent")
RULES = os.path.join(ROOT, "agent", "dist", "rampart.rules")


def proc_cpu_s(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kib(pid):
    m = re.search(r"VmHWM:\s+(\d+) kB", open("/proc/%d/status" % pid).read())
    return int(m.group(1))


def kernel_lost():
    out = subprocess.run(["auditctl", "-s"], capture_output=True, text=True).stdout
    return int(re.search(r"^lost (\d+)", out, re.M).group(1))


def stored_events(base):
    for line in requests.get(base + "/metrics", timeout=30).text.splitlines():
        if line.startswith("rampart_ingest_events_total"):
            return int(float(line.split()[-1]))
    return 0


def start_auditd(work):
    conf = os.path.join(work, "audit")
    os.makedirs(os.path.join(conf, "plugins"))
    sock = os.path.join(conf, "events.sock")
    base = [l for l in open("/etc/audit/auditd.conf").read().splitlines()
            if not l.startswith(("log_file", "plugin_dir", "log_group"))]
    with open(os.path.join(conf, "auditd.conf"), "w") as f:
        f.write("\n".join(base + ["log_file = %s/audit.log" % conf, "plugin_dir = %s/plugins" % conf,
                                  "log_group = root"]) + "\n")
    os.chmod(os.path.join(conf, "auditd.conf"), 0o640)
    with open(os.path.join(conf, "plugins", "af_unix.conf"), "w") as f:
        f.write("active = yes\ndirection = out\npath = builtin_af_unix\ntype = builtin\nargs = 0600 %s\n"
                "format = string\n" % sock)
    proc = subprocess.Popen(["auditd", "-n", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while not os.path.exists(sock):
        assert proc.poll() is None and time.time() < deadline, "auditd did not start"
        time.sleep(0.1)
    subprocess.run(["auditctl", "-R", RULES], check=True, capture_output=True)
    return proc, sock


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--execs", type=int, default=100000)
    a = ap.parse_args()
    if os.geteuid() != 0 or not shutil.which("auditd"):
        sys.exit("needs root and auditd (scripts/install-deps)")
    work = tempfile.mkdtemp(prefix="rampart-agent-bench-")
    procs = []
    auditd = None
    try:
        server, base, _ = benchlib.start_rampart(os.path.join(work, "data"), extra=[
            "--ingest-agent-per-min", "100000000", "--ingest-org-per-min", "1000000000"])
        procs.append(server)
        out = subprocess.run([benchlib.BINARY, "admin", "deploy-key", "create", "--org", "demo", "--json",
                              "--data-dir", os.path.join(work, "data")], capture_output=True, text=True, check=True)
        auditd, sock = start_auditd(work)
        state = os.path.join(work, "agent")
        subprocess.run([AGENT, "enroll", "--server", base, "--deploy-key", json.loads(out.stdout)["key"],
                        "--state-dir", state], check=True, capture_output=True)
        agent = subprocess.Popen([AGENT, "run", "--state-dir", state, "--audit-socket", sock],
                                 stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "agent.log"), "wb"))
        procs.append(agent)
        time.sleep(3)  # connected, config read, watches set
        stored0, cpu0, lost0 = stored_events(base), proc_cpu_s(agent.pid), kernel_lost()
        t0 = time.perf_counter()
        subprocess.run(["bash", "-c", "for i in $(seq %d); do /bin/true; done" % a.execs], check=True)
        loop_s = time.perf_counter() - t0
        # Drained: the server holds an event per exec (other processes' events, this script's own
        # connections to /metrics among them, keep the count moving, so "stopped moving" never comes).
        deadline = time.perf_counter() + 600
        while stored_events(base) - stored0 < a.execs and time.perf_counter() < deadline:
            time.sleep(0.1)
        done_s = time.perf_counter() - t0
        stored = stored_events(base) - stored0
        cpu = proc_cpu_s(agent.pid) - cpu0
        status = json.load(open(os.path.join(state, "status.json")))
        print("loop: %d execs of /bin/true in %.1f s (%.0f execs/s)" % (a.execs, loop_s, a.execs / loop_s), flush=True)
        print("agent: %.2f CPU s for %d events stored: %.1f CPU us per event, peak RSS %.1f MiB"
              % (cpu, stored, cpu / max(1, stored) * 1e6, peak_rss_kib(agent.pid) / 1024))
        print("end to end: %d events stored in %.1f s from the loop's start: %.0f events/s; kernel lost %d, "
              "agent queue dropped %d, spool dropped %d"
              % (stored, done_s, stored / done_s, kernel_lost() - lost0, status["counters"]["queueDropped"],
                 status["counters"]["spoolDropped"]))
    finally:
        subprocess.run(["auditctl", "-D"], capture_output=True)
        if auditd:
            auditd.send_signal(signal.SIGTERM)
            auditd.wait(timeout=20)
        subprocess.run(["auditctl", "-e", "0"], capture_output=True)
        benchlib.stop_all(procs)


if __name__ == "__main__":
    main()
