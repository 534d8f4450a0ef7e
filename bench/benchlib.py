"""Shared pieces of the benchmark harnesses: ports, the nginx ceiling, starting rampart, wrk."""
import os
import re
import resource
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# RAMPART_BENCH_BIN: another build (e.g. an older commit, to compare in one sitting)
BINARY = os.environ.get("RAMPART_BENCH_BIN") or os.path.join(ROOT, "build", "release", "cli", "rampart")


def free_port():
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


def start_nginx(work, workers=None):
    """nginx answering a fixed 200 on a free port: the ceiling; `workers` processes (default one per
    core). Returns (process, url)."""
    port = free_port()
    conf = open(os.path.join(ROOT, "bench", "nginx.conf.in")).read()
    conf = conf.replace("@DIR@", work).replace("@PORT@", str(port)).replace("@WORKERS@", str(workers or os.cpu_count()))
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["nginx", "-c", os.path.join(work, "nginx.conf"), "-p", work])
    url = "http://127.0.0.1:%d/" % port
    wait_http(url)
    return proc, url


def start_rampart(data_dir, extra=(), log_level="warn", stderr=None):
    """Release rampart on a free port (DNS on another), access log off; the server log goes to
    `stderr` (a file object) if given. Returns (process, base URL, startup lines)."""
    port = free_port()
    proc = subprocess.Popen([BINARY, "serve", "--listen", "127.0.0.1:%d" % port, "--data-dir", data_dir,
                             "--access-log", "off", "--log-level", log_level, "--dns-listen", "127.0.0.1:0",
                             "--create-demo", "true", *extra],
                            stdout=subprocess.PIPE, stderr=stderr, text=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "listening on http" in line:
            break
    base = "http://127.0.0.1:%d" % port
    wait_http(base + "/healthz")
    return proc, base, "".join(lines)


def parse_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v if unit == "ms" else v * 1000


def rss_mib(pid):
    """A process's resident memory, MiB."""
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) / 1024


def cpu_user_sys(pid):
    """User and system CPU seconds of a process and its direct children (nginx's workers)."""
    def own(p):
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0, 0, None
        return int(fields[11]), int(fields[12]), int(fields[1])
    user, system, _ = own(pid)
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != pid:
            u, s, ppid = own(int(entry))
            if ppid == pid:
                user, system = user + u, system + s
    hz = os.sysconf("SC_CLK_TCK")
    return user / hz, system / hz


def cpu_seconds(pid):
    """User + system CPU seconds of a process and its direct children (nginx's workers)."""
    return sum(cpu_user_sys(pid))


def wrk(url, seconds, connections, threads=1, lua=None, env_extra=None, server_pid=None):
    """Runs wrk; returns req/s, p50 and p99 in ms, and the CPU cores the client (wrk) and, given its
    pid, the server used on average. Any non-2xx response aborts the benchmark."""
    env = dict(os.environ, **(env_extra or {}))
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency",
           "-s", lua or os.path.join(ROOT, "bench", "wrk_request.lua"), url]
    server0 = cpu_seconds(server_pid) if server_pid else 0.0
    client0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    elapsed = time.perf_counter() - t0
    client1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cores = (cpu_seconds(server_pid) - server0) / elapsed if server_pid else None
    client_cores = (client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime) / elapsed
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise RuntimeError("non-2xx responses during benchmark of %s:\n%s" % (url, out))
    return {"rps": rps, "p50": parse_ms(lat["50"]), "p99": parse_ms(lat["99"]),
            "client_cores": client_cores, "server_cores": server_cores}


def stop_all(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=30)
