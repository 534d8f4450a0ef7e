"""Real resolvers for the end-to-end enforcement tests: BIND 9 (RPZ secondary of rampart),
Unbound (rpz: clause) and Knot Resolver 5 (the zone file, watched), plus a BIND authoritative
server for the lab data, all on loopback ports
of their own, with recursion forwarded to a dead loopback port so no query leaves the machine.
The configurations are the ones docs/enforcement.md shows."""
import os
import random
import socket
import subprocess
import time


_handed_out = set()  # ports already given to a daemon of this test run


def _below_ephemeral_range():
    """Ports under the kernel's ephemeral range (ip_local_port_range), or None if that range is too
    low to leave room."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return range(10000, low) if low > 11000 else None


def free_port():
    """A port free for both TCP and UDP on 127.0.0.1 right now.

    Only for the third-party daemons (BIND, Unbound, Knot Resolver): their configuration files must
    name the port before they start, and none of them can bind port 0 and report it back; `dead` is
    a port where nothing may listen. rampart itself always binds port 0 and prints the port it got
    (conftest.Server), and a restart keeps that port only because the resolvers point at it.

    Between this check and the daemon's bind another process could take the port. The window is
    narrowed by drawing ports below the kernel's ephemeral range: the kernel never hands those out to
    bind(0) nor to outgoing connections and queries (the source ports of dig, requests, and BIND's own
    queries), so only a program that asks for that very port could race; and no port is handed out
    twice in one run (a daemon of an earlier test may still be letting go of it)."""
    candidates = _below_ephemeral_range()
    for _ in range(200):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", random.choice(candidates) if candidates else 0))
            port = t.getsockname()[1]
            if port in _handed_out:
                continue
            u.bind(("127.0.0.1", port))
            _handed_out.add(port)
            return port
        except OSError:
            continue
        finally:
            u.close()
            t.close()
    raise RuntimeError("no free port")


LAB_ZONE = """$TTL 60
@ IN SOA ns.lab.example. hostmaster.lab.example. 1 600 60 86400 60
@ IN NS ns.lab.example.
ns IN A 127.0.0.1
blocked IN A 1.0.0.1
ok.blocked IN A 1.1.1.1
ip IN A 45.33.32.10
clean IN A 9.9.9.9
"""

AUTH_CONF = """options {{
  directory "{dir}";
  pid-file none;
  session-keyfile "{dir}/session.key";
  listen-on port {port} {{ 127.0.0.1; }};
  listen-on-v6 {{ none; }};
  recursion no;
  allow-query {{ any; }};
}};
controls {{ }};
zone "lab.example" {{ type primary; file "lab.example.zone"; }};
"""

# The resolver under test: a secondary of rampart's RPZ zone (docs/enforcement.md, "BIND 9").
BIND_CONF = """{key_clause}options {{
  directory "{dir}";
  pid-file none;
  session-keyfile "{dir}/session.key";
  managed-keys-directory "{dir}";
  listen-on port {port} {{ 127.0.0.1; }};
  listen-on-v6 {{ none; }};
  recursion yes;
  allow-query {{ 127.0.0.0/8; }};
  dnssec-validation no;
  forwarders {{ 127.0.0.1 port {dead}; }};
  forward only;
  notify no;
  response-policy {{ zone "{zone}" min-update-interval 0; }} qname-wait-recurse no;
}};
controls {{ }};
zone "{zone}" {{
  type secondary;
  primaries {{ 127.0.0.1 port {primary}{key_ref}; }};
  file "rpz.sec";
  allow-query {{ localhost; }};
}};
zone "lab.example" {{ type forward; forward only; forwarders {{ 127.0.0.1 port {auth}; }}; }};
"""

UNBOUND_CONF = """server:
  interface: 127.0.0.1@{port}
  port: {port}
  module-config: "respip validator iterator"
  do-daemonize: no
  chroot: ""
  username: ""
  directory: "{dir}"
  pidfile: ""
  use-syslog: no
  logfile: "{dir}/unbound.log"
  verbosity: 2
  do-ip6: no
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@{dead}
forward-zone:
  name: "lab.example."
  forward-addr: 127.0.0.1@{auth}
rpz:
  name: "{zone}"
  primary: 127.0.0.1@{primary}
  rpz-log: yes
"""

# Knot Resolver 5 cannot transfer zones: it reads the zone file rampart serves over the API and
# watches it (docs/enforcement.md, "Knot Resolver 5"). Its PASSTHRU ends policy processing and
# hands the query to ordinary recursion, skipping the STUB rules below, and recursion has no
# Internet here: a static hint stands in for it for the allowed host.
KRESD_CONF = """net.listen('127.0.0.1', {port}, {{ kind = 'dns' }})
cache.open(10 * MB, 'lmdb://{dir}/cache')
modules.load('policy')
modules.load('hints')
hints.set('ok.blocked.lab.example 1.1.1.1')
policy.add(policy.rpz(policy.DENY_MSG('blocked by rampart'), '{dir}/{zone}.rpz', true))
policy.add(policy.suffix(policy.STUB('127.0.0.1@{auth}'), {{todname('lab.example.')}}))
policy.add(policy.all(policy.STUB('127.0.0.1@{dead}')))
"""


class Resolvers:
    def __init__(self, workdir, zone, primary_port, tsig=None):
        """`tsig`: (key name, base64 secret) BIND signs its transfers with."""
        self.tsig = tsig
        self.dir = workdir
        self.zone = zone
        self.primary = primary_port
        self.dead = free_port()
        self.auth_port, self.bind_port, self.unbound_port = free_port(), free_port(), free_port()
        self.kresd_port = free_port()
        self.procs = []

    def _start(self, name, args):
        log = open(os.path.join(self.dir, name + ".out"), "ab")
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def start(self, which=("auth", "bind", "unbound")):
        for sub in ("auth", "bind", "unbound", "kresd"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        auth_dir = os.path.join(self.dir, "auth")
        with open(os.path.join(auth_dir, "lab.example.zone"), "w") as f:
            f.write(LAB_ZONE)
        fill = dict(zone=self.zone, primary=self.primary, dead=self.dead, auth=self.auth_port)
        key = ('key "%s" { algorithm hmac-sha256; secret "%s"; };\n' % self.tsig) if self.tsig else ""
        ref = (" key %s" % self.tsig[0]) if self.tsig else ""
        confs = {"auth": AUTH_CONF.format(dir=auth_dir, port=self.auth_port),
                 "bind": BIND_CONF.format(dir=os.path.join(self.dir, "bind"), port=self.bind_port,
                                          key_clause=key, key_ref=ref, **fill),
                 "unbound": UNBOUND_CONF.format(dir=os.path.join(self.dir, "unbound"), port=self.unbound_port, **fill),
                 "kresd": KRESD_CONF.format(dir=os.path.join(self.dir, "kresd"), port=self.kresd_port, **fill)}
        for name, text in confs.items():
            with open(os.path.join(self.dir, name, name + ".conf"), "w") as f:
                f.write(text)
        if "auth" in which:
            self._start("auth", ["named", "-g", "-c", os.path.join(auth_dir, "auth.conf")])
        if "bind" in which:
            self._start("bind", ["named", "-g", "-c", os.path.join(self.dir, "bind", "bind.conf")])
        if "unbound" in which:
            self._start("unbound", ["unbound", "-d", "-c", os.path.join(self.dir, "unbound", "unbound.conf")])
        if "kresd" in which:
            kdir = os.path.join(self.dir, "kresd")
            self._start("kresd", ["kresd", "-n", "-c", os.path.join(kdir, "kresd.conf"), kdir])
        return self

    def install_zone_file(self, text):
        """Replaces Knot Resolver's zone file in one rename, as docs/enforcement.md does with curl + mv."""
        os.makedirs(os.path.join(self.dir, "kresd"), exist_ok=True)
        path = os.path.join(self.dir, "kresd", self.zone + ".rpz")
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()

    @property
    def notify_targets(self):
        return ["127.0.0.1:%d" % self.bind_port, "127.0.0.1:%d" % self.unbound_port]

    def log(self, name):
        path = {"bind": os.path.join(self.dir, "bind.out"),
                "unbound": os.path.join(self.dir, "unbound", "unbound.log"),
                "kresd": os.path.join(self.dir, "kresd.out")}[name]
        with open(path, errors="replace") as f:
            return f.read()


def dig(port, name, qtype="A", extra=()):
    """(status, answers) of one query: status is NOERROR/NXDOMAIN/SERVFAIL/…, or TIMEOUT."""
    out = subprocess.run(["dig", "@127.0.0.1", "-p", str(port), name, qtype, "+time=1", "+tries=1", *extra],
                         capture_output=True, text=True).stdout
    status = "TIMEOUT"
    for line in out.splitlines():
        if "status:" in line:
            status = line.split("status:")[1].split(",")[0].strip()
    answers = [l.split()[-1] for l in out.split(";; ANSWER SECTION:")[-1].split("\n\n")[0].splitlines()[1:]
               if l and not l.startswith(";")] if ";; ANSWER SECTION:" in out else []
    return status, answers


def wait_for(predicate, timeout, interval=0.05):
    """Polls until predicate() is true; returns the seconds it took, or None on timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if predicate():
            return time.monotonic() - t0
        time.sleep(interval)
    return None
