#!/usr/bin/env python3
"""Agents ingest benchmark (issue 13 §5): synthetic agents speaking docs/ingest.md against a release
rampart (one I/O thread), with the Base Rule Set evaluated and every event durably stored.

  1. sustained ingest: enrolled agents send gzip batches of a realistic event mix; events/s
     accepted, the server's CPU cores and CPU µs per event;
  2. the storage floor in the same run: the same rows inserted into the same table with raw SQLite
     (WAL, synchronous=FULL, one transaction per batch) from Python;
  3. event -> alert visible through /v2/alerts: send a batch whose event opens a new alert, poll
     the alerts list until it shows; p50/p99 over the trials;
  4. heartbeats: 10,000 enrolled agents heartbeating every 30 s (333/s), each on its own kept
     connection as rampart-agent does — the server's CPU share, in windows alternating with nginx
     answering a fixed 200 on as many kept connections (the ceiling) — then each on a new connection.

The agents speak to the ingest-only listener (`ingest_listen`, run in rounds: http/rounds.hpp)
unless --agent-listener main says the main one.

Usage: bench/run_ingest_bench.py [--seconds 20] [--agents 200] [--batch 500] [--heartbeat-agents 10000]
                                 [--rounds 5] [--round-seconds 10] [--agent-listener ingest|main]
Needs build/release (scripts/build release)."""
import argparse
import gzip
import http.client
import json
import os
import requests
import random
import resource
import re
import shutil
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "api"))
import benchlib  # noqa: E402
from agent_client import Agent, enroll  # noqa: E402
from hawk_py import HawkSession  # noqa: E402

USERS = ["alice", "bob", "carol", "dave", "www-data", "postgres", "root"]


def event(rng, i):
    """A realistic mix: mostly execs that match nothing, some sudo, connects, file changes, logins."""
    r = rng.random()
    ts = 1_700_000_000_000 + i
    user = rng.choice(USERS)
    if r < 0.62:
        exe = rng.choice(["/usr/bin/ls", "/usr/bin/cat", "/usr/bin/python3", "/usr/bin/git", "/bin/bash", "/usr/bin/curl"])
        return {"event_type": "audit", "timestamp": ts, "syscall": "execve", "exe": exe, "command": exe.rsplit("/", 1)[1],
                "arguments": exe.rsplit("/", 1)[1] + " -la /var/tmp/build-%d" % rng.randrange(1000), "cwd": "/home/" + user,
                "user": user, "uid": 1000, "auid": 1000, "pid": rng.randrange(2, 1 << 22), "ppid": 1,
                "parent_exe": "/usr/sbin/sshd", "tty": "pts0", "session": 3, "success": True}
    if r < 0.66:
        return {"event_type": "audit", "timestamp": ts, "syscall": "execve", "exe": "/usr/bin/sudo", "command": "sudo",
                "arguments": "sudo systemctl restart app", "user": user, "uid": 1000, "pid": rng.randrange(2, 1 << 22)}
    if r < 0.82:
        return {"event_type": "audit", "timestamp": ts, "syscall": "connect", "exe": "/usr/sbin/nginx", "user": "www-data",
                "connection": {"dst_addr": "10.0.%d.%d" % (rng.randrange(256), rng.randrange(256)), "dst_port": 5432}}
    if r < 0.95:
        path = rng.choice(["/var/log/app.log", "/etc/hosts", "/home/alice/notes.txt", "/tmp/x"])
        return {"event_type": "file", "timestamp": ts, "action": rng.choice(["modify", "open"]), "path": path, "user": user}
    return {"event_type": "login", "timestamp": ts, "user": user, "success": rng.random() < 0.9,
            "remote_addr": "198.51.100.%d" % rng.randrange(256), "login_type": "ssh"}


def bodies(n_bodies, batch, seed=7):
    rng = random.Random(seed)
    out = []
    for b in range(n_bodies):
        events = [event(rng, b * batch + i) for i in range(batch)]
        out.append((gzip.compress("".join(json.dumps(e) + "\n" for e in events).encode()), events))
    return out


def enroll_many(base, key, n, threads=4, start=0):
    agents, lock = [], threading.Lock()

    def work(k):
        for i in range(k, n, threads):
            r = enroll(base, key, hostname="host-%05d" % i, machine_id="%032x" % (start + i + 1))
            assert r.status_code == 201, r.text
            with lock:
                agents.append(Agent(base, r.json()))
    ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return agents


def ingest(server_pid, agents, pre, seconds, threads=8):
    accepted, lock = [0], threading.Lock()
    deadline = time.time() + seconds

    def work(k):
        i = k
        session = requests.Session()  # an agent keeps its connection while it has batches to send
        while time.time() < deadline:
            agent = agents[i % len(agents)]
            body, _ = pre[i % len(pre)]
            r = agent.signed("POST", "/ingest/v1/events?seq=%d" % i, body, "application/x-ndjson",
                             headers={"Content-Encoding": "gzip"}, ts=int(time.time()), session=session)
            assert r.status_code == 200, r.text
            with lock:
                accepted[0] += r.json()["accepted"]
            i += threads
    cpu0, t0 = benchlib.cpu_seconds(server_pid), time.perf_counter()
    ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    elapsed = time.perf_counter() - t0
    cpu = benchlib.cpu_seconds(server_pid) - cpu0
    return {"events": accepted[0], "events_per_s": accepted[0] / elapsed, "server_cores": cpu / elapsed,
            "cpu_us_per_event": cpu / max(1, accepted[0]) * 1e6}


def sqlite_floor(rows, batch):
    """The same rows into the same table, raw: the storage floor."""
    d = tempfile.mkdtemp(prefix="rampart-floor-")
    db = sqlite3.connect(os.path.join(d, "floor.db"), isolation_level=None)  # rows 32 to a statement, as rampart
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL, agent_id TEXT NOT NULL,"
               " at_ms INTEGER NOT NULL, event_type TEXT NOT NULL, doc TEXT NOT NULL)")
    db.execute("CREATE INDEX events_org ON events(org_id, seq)")
    db.execute("CREATE INDEX events_age ON events(at_ms)")
    docs = [(e["event_type"], json.dumps(e)) for e in rows]
    t0 = time.perf_counter()
    many = "INSERT INTO events(org_id, agent_id, at_ms, event_type, doc) VALUES " + ", ".join(["('o', 'a', 1, ?, ?)"] * 32)
    for i in range(0, len(docs), batch):
        db.execute("BEGIN IMMEDIATE")
        chunk = docs[i:i + batch]
        whole = len(chunk) - len(chunk) % 32
        for j in range(0, whole, 32):
            db.execute(many, [x for d in chunk[j:j + 32] for x in d])
        db.executemany("INSERT INTO events(org_id, agent_id, at_ms, event_type, doc) VALUES ('o', 'a', 1, ?, ?)",
                       chunk[whole:])
        db.execute("COMMIT")
    return len(docs) / (time.perf_counter() - t0)


def alert_latency(owner, agent, trials):
    lat = []
    for t in range(trials):
        user = "latency-%d-%d" % (os.getpid(), t)
        e = {"event_type": "audit", "timestamp": 1, "command": "sudo", "user": user, "arguments": "sudo id"}
        t0 = time.perf_counter()
        r = agent.send([e], seq=10_000_000 + t)
        assert r.status_code == 200 and r.json()["alertsOpened"] == 1, r.text
        while True:
            alerts = owner.get("/v2/alerts?severity=3").json()["alerts"]
            if any(user in a["title"] for a in alerts):
                break
            time.sleep(0.002)
        lat.append((time.perf_counter() - t0) * 1000)
    return p50_p99_ms(lat)


def p50_p99_ms(ms):
    """{"p50_ms", "p99_ms"} of a list of times in milliseconds (0 for an empty one)."""
    ms = sorted(ms) or [0.0]
    return {"p50_ms": ms[len(ms) // 2], "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))]}


def paced(pid, rate, seconds, send, threads=32):
    """Calls send(i) for i = 0, 1, … at `rate` per second for `seconds` from `threads` threads;
    returns the calls per second and the CPU share of process `pid` (and its children) meanwhile.
    Agents are independent: one waiting for its answer must not hold back the others' requests,
    so there are enough senders for the answers' wait (up to an ingest round, 20 ms) at 333/s."""
    sent, lock, waits = [0], threading.Lock(), []
    t0 = time.perf_counter()
    cpu0 = benchlib.cpu_user_sys(pid)

    def work(k):
        i = k
        while True:
            due = t0 + i / rate
            if due > t0 + seconds:
                return
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            send(i)
            took_ms = (time.perf_counter() - began) * 1000
            with lock:
                sent[0] += 1
                waits.append(took_ms)
            i += threads
    ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    elapsed = time.perf_counter() - t0
    cpu1 = benchlib.cpu_user_sys(pid)
    return {"per_s": sent[0] / elapsed, "core_share": (sum(cpu1) - sum(cpu0)) / elapsed,
            "user_share": (cpu1[0] - cpu0[0]) / elapsed, "sys_share": (cpu1[1] - cpu0[1]) / elapsed,
            **p50_p99_ms(waits)}


def post(base, n, k, own, path, body, headers):
    """One POST to `base`+`path`: on a new connection, or (with `own`, a dict kept across calls) on
    connection k of n kept ones, opened from 127.0.1.x addresses, at most 200 an address (rampart's
    per-client cap is 256). Returns (status, body)."""
    u = urlsplit(base)
    if own is None:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    else:
        conn = own.get(k)
        if conn is None:
            conn = own[k] = http.client.HTTPConnection(u.hostname, u.port, timeout=60,
                                                       source_address=("127.0.1.%d" % (1 + k // 200), 0))
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    text = r.read()
    if own is None or r.getheader("Connection", "").lower() == "close":
        conn.close()
        if own is not None:
            own.pop(k)
    return r.status, text


def heartbeats(server_pid, agents, rate, seconds, own=None):
    """Each heartbeat on a new connection, or, with `own`, on the agent's own kept connection, as
    rampart-agent does: 10,000 agents hold 10,000 connections."""
    body = json.dumps({"modules": {"audit": {"healthy": True, "status": "RUNNING"},
                                   "fim": {"healthy": True, "status": "RUNNING"}},
                       "counters": {"auditLost": 0, "auditBacklog": 0}}).encode()

    def send(i):
        k = i % len(agents)
        auth, _ = agents[k].authorization("POST", "/ingest/v1/heartbeat", body, "application/json", int(time.time()))
        status, text = post(agents[k].base, len(agents), k, own, "/ingest/v1/heartbeat", body,
                            {"Authorization": auth, "Content-Type": "application/json"})
        assert status == 200, text
    return paced(server_pid, rate, seconds, send)


def start_nginx_on(work, cpu):
    """nginx with one worker on `cpu` (the server's), the ceiling for a heartbeat."""
    os.makedirs(os.path.join(work, "nginx"), exist_ok=True)
    mine = os.sched_getaffinity(0)
    if cpu >= 0:
        os.sched_setaffinity(0, {cpu})  # nginx inherits it
    try:
        return benchlib.start_nginx(os.path.join(work, "nginx"), workers=1)
    finally:
        os.sched_setaffinity(0, mine)


def nginx_client(url, pid, n):
    """--nginx-client mode: n kept connections to nginx answering a fixed 200 to a POST, in a process
    of its own (a process may hold 20,000 descriptors here and the parent holds rampart's 10,000),
    running the windows the parent asks for on stdin: `window <rate> <seconds> kept|new`. Prints
    each window's result as a JSON line."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 1024)), hard))
    base, own = url.rstrip("/"), {}

    def send(i, kept):
        assert post(base, n, i % n, own if kept else None, "/", b"{}", {"Content-Type": "application/json"})[0] == 200
    paced(pid, n / 30.0 * 3, 10, lambda i: send(i, True))  # opens the kept connections
    print(json.dumps({"open": len(own)}), flush=True)
    for line in sys.stdin:
        _, rate, seconds, kind = line.split()
        print(json.dumps(paced(pid, float(rate), float(seconds), lambda i: send(i, kind == "kept"))), flush=True)
    for c in own.values():
        c.close()


class NginxCeiling:
    """nginx on the server's CPU and its client process (nginx_client), so that its windows can
    alternate with rampart's in one run: the machine's speed drifts by ±30 % over minutes here, and
    a ratio taken from windows minutes apart carries that drift."""

    def __init__(self, work, cpu, n):
        self.proc, url = start_nginx_on(work, cpu)
        self.client = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--nginx-client", url,
                                        str(self.proc.pid), str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        json.loads(self.client.stdout.readline())

    def window(self, rate, seconds, kept):
        self.client.stdin.write("window %f %f %s\n" % (rate, seconds, "kept" if kept else "new"))
        self.client.stdin.flush()
        return json.loads(self.client.stdout.readline())

    def close(self):
        self.client.stdin.close()
        self.client.wait()
        benchlib.stop_all([self.proc])


def us_each(r):
    return r["core_share"] / r["per_s"] * 1e6


def interleaved_heartbeats(pid, agents, own, ceiling, rate, rounds, seconds):
    """Windows of heartbeats on kept connections and of nginx's fixed 200 on as many kept
    connections, alternating (ABBA…); the medians and the median of each round's ratio."""
    ours, theirs = [], []
    for k in range(rounds):
        steps = [lambda: ours.append(heartbeats(pid, agents, rate, seconds, own=own)),
                 lambda: theirs.append(ceiling.window(rate, seconds, True))]
        for step in (steps if k % 2 == 0 else steps[::-1]):
            step()
        print("  round %d: rampart %.0f µs each (user %.0f, system %.0f), nginx %.0f µs each (user %.0f, system %.0f)"
              % (k + 1, us_each(ours[-1]), ours[-1]["user_share"] / ours[-1]["per_s"] * 1e6,
                 ours[-1]["sys_share"] / ours[-1]["per_s"] * 1e6, us_each(theirs[-1]),
                 theirs[-1]["user_share"] / theirs[-1]["per_s"] * 1e6, theirs[-1]["sys_share"] / theirs[-1]["per_s"] * 1e6),
              flush=True)
    med = statistics.median
    return {"share": med([r["core_share"] for r in ours]), "us": med([us_each(r) for r in ours]),
            "p50_ms": med([r["p50_ms"] for r in ours]), "p99_ms": med([r["p99_ms"] for r in ours]),
            "nginx_p50_ms": med([r["p50_ms"] for r in theirs]), "nginx_p99_ms": med([r["p99_ms"] for r in theirs]),
            "nginx_share": med([r["core_share"] for r in theirs]), "nginx_us": med([us_each(r) for r in theirs]),
            "ratio": med([us_each(a) / us_each(b) for a, b in zip(ours, theirs)]),
            "per_s": med([r["per_s"] for r in ours])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--agents", type=int, default=200)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--heartbeat-agents", type=int, default=10000)
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--server-cpu", type=int, default=os.cpu_count() - 1,
                    help="the one CPU the server runs on (the target is per core), the client on the others; -1: unpinned")
    ap.add_argument("--rounds", type=int, default=5, help="heartbeat windows, alternating with nginx's")
    ap.add_argument("--round-seconds", type=int, default=10)
    ap.add_argument("--agent-listener", choices=["ingest", "main"], default="ingest",
                    help="where the agents connect: the ingest-only listener (run in 20 ms rounds) or the main one")
    ap.add_argument("--nginx-client", nargs=3, metavar=("URL", "PID", "N"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.nginx_client:
        return nginx_client(a.nginx_client[0], int(a.nginx_client[1]), int(a.nginx_client[2]))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a kept connection per heartbeating agent
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, a.heartbeat_agents + 1024)), hard))
    work = tempfile.mkdtemp(prefix="rampart-ingest-bench-")
    proc, base, startup = benchlib.start_rampart(os.path.join(work, "data"), extra=[
        "--io-threads", "1", "--ingest-listen", "127.0.0.1:0", "--ingest-agent-per-min", "100000000", "--ingest-org-per-min", "1000000000",
        "--ingest-ip-per-min", "1000000000", "--enroll-per-key-per-min", "1000000", "--rate-limit-org-per-min", "100000000",
        "--rate-limit-ip-per-min", "100000000"])
    try:
        m = re.search(r"TS_USER_ID=(\w+) TS_ORGANIZATION_ID=(\w+) TS_API_KEY=([\w-]+)", startup)
        ingest_base = re.search(r"ingest-only listener on (http://127\.0\.0\.1:\d+)", startup).group(1)
        agent_base = ingest_base if a.agent_listener == "ingest" else base
        print("agents connect to the %s listener (%s)" % (a.agent_listener, agent_base), flush=True)
        owner = HawkSession(base, {"user_id": m.group(1), "org_id": m.group(2), "api_key": m.group(3)})
        out = subprocess.run([benchlib.BINARY, "admin", "deploy-key", "create", "--org", "demo", "--json",
                              "--data-dir", os.path.join(work, "data")], capture_output=True, text=True, check=True)
        key = json.loads(out.stdout)["key"]
        if a.server_cpu >= 0 and os.cpu_count() > 1:
            subprocess.run(["taskset", "-a", "-p", "-c", str(a.server_cpu), str(proc.pid)], check=True, capture_output=True)
            os.sched_setaffinity(0, set(range(os.cpu_count())) - {a.server_cpu})
            print("server pinned to CPU %d (all its threads), this client on the others" % a.server_cpu, flush=True)
        agents = enroll_many(agent_base, key, a.agents)
        pre = bodies(40, a.batch)
        print("ingest: %d agents, batches of %d events (gzip), %d s" % (a.agents, a.batch, a.seconds), flush=True)
        res = ingest(proc.pid, agents, pre, a.seconds)
        print("  %(events)d events, %(events_per_s).0f events/s, server %(server_cores).2f cores, "
              "%(cpu_us_per_event).1f CPU us/event" % res, flush=True)
        floor = sqlite_floor([e for _, evs in pre for e in evs] * 3, a.batch)
        print("  raw SQLite floor (same rows, same table, a transaction per %d): %.0f rows/s -> ingest at %.2f x the floor"
              % (a.batch, floor, res["events_per_s"] / floor), flush=True)
        lat = alert_latency(owner, agents[0], a.trials)
        print("event -> alert visible in /v2/alerts (%d trials): p50 %.1f ms, p99 %.1f ms" % (a.trials, lat["p50_ms"], lat["p99_ms"]),
              flush=True)
        if a.heartbeat_agents <= 0:
            return
        t0 = time.perf_counter()
        more = enroll_many(agent_base, key, a.heartbeat_agents, start=1 << 40) if a.heartbeat_agents > a.agents else agents
        print("enrolled %d agents in %.1f s" % (len(more), time.perf_counter() - t0), flush=True)
        # One untimed round first: every agent's key is loaded into the cache once per server start
        # (a store read and an unseal) and opens its connection; the rounds measured are the steady state.
        own = {}
        heartbeats(proc.pid, more, len(more) / 30.0, 30, own=own)
        assert len(own) == len(more), "every agent keeps its connection"
        # What the server spends with these agents enrolled and nothing arriving (timers, flushes):
        # the part of a heartbeat's cost that is not the request.
        cpu0, t0 = benchlib.cpu_seconds(proc.pid), time.perf_counter()
        time.sleep(30)
        idle = (benchlib.cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - t0)
        print("idle with %d agents enrolled, 30 s: server %.2f %% of one core" % (len(more), idle * 100), flush=True)
        print("server with %d kept connections: %.0f MiB resident" % (len(own), benchlib.rss_mib(proc.pid)), flush=True)
        if not shutil.which("nginx"):
            sys.exit("nginx is needed for the heartbeat ceiling (scripts/install-deps)")
        ceiling = NginxCeiling(work, a.server_cpu, len(more))
        try:
            print("heartbeats: %d agents every 30 s = %.0f/s, each on its agent's kept connection, in %d rounds of "
                  "%d s alternating with nginx answering a fixed 200 on as many kept connections (same CPU, same rate):"
                  % (len(more), len(more) / 30.0, a.rounds, a.round_seconds), flush=True)
            hb = interleaved_heartbeats(proc.pid, more, own, ceiling, len(more) / 30.0, a.rounds, a.round_seconds)
            print("  median: rampart %.1f %% of one core (%.0f CPU µs each, flushes included); nginx %.1f %% (%.0f µs); "
                  "median ratio %.2f x nginx" % (hb["share"] * 100, hb["us"], hb["nginx_share"] * 100, hb["nginx_us"], hb["ratio"]),
                  flush=True)
            print("  a heartbeat's answer, as the agent waits for it (medians of the windows): rampart p50 %.1f ms, "
                  "p99 %.1f ms; nginx p50 %.1f ms, p99 %.1f ms" % (hb["p50_ms"], hb["p99_ms"], hb["nginx_p50_ms"],
                                                                 hb["nginx_p99_ms"]), flush=True)
            for c in own.values():
                c.close()
            new = heartbeats(proc.pid, more, len(more) / 30.0, 30)
            ng = ceiling.window(len(more) / 30.0, 30, False)
            print("heartbeats, a new connection each, 30 s: rampart %.1f %% of one core (%.0f µs each); nginx %.1f %% (%.0f µs)"
                  % (new["core_share"] * 100, us_each(new), ng["core_share"] * 100, us_each(ng)), flush=True)
        finally:
            ceiling.close()
    finally:
        benchlib.stop_all([proc])


if __name__ == "__main__":
    main()
