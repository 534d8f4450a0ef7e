"""docs/quickstart.md, run as written: its ```sh blocks in order, in one bash with `set -euo
pipefail`, inside a network namespace that has only loopback (BIND is a recursive resolver: nothing
it tries may leave the machine), with the tested binaries on the PATH. Only two kinds of block are
not run as they stand, each marked in the document: the install block (this build is the one under
test) and the settings block, which the test replaces with its own directory and ports.
Everything the walkthrough starts is killed with the namespace's processes at the end.

Needs root (a network namespace, BIND, nft); under CI=true that is never a reason to skip."""
import os
import random
import re
import shutil
import signal
import subprocess

from conftest import AGENT, ROOT, cannot
from api_conftest import BIN

DOC = os.path.join(ROOT, "docs", "quickstart.md")
MARK = re.compile(r"<!-- quickstart: (settings|not run)[^>]*-->\s*$")


def blocks(text):
    """(marker or None, body) of every ```sh block, in order; a marker comment applies to the block
    right after it (blank lines between)."""
    out, marker, lines, i = [], None, text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if MARK.match(line):
            marker = MARK.match(line).group(1)
        elif line.startswith("```"):
            end = lines.index("```", i + 1)
            if line == "```sh":
                out.append((marker, "\n".join(lines[i + 1:end])))
            marker, i = None, end
        elif line.strip():
            marker = None
        i += 1
    return out


def test_blocks_are_found_and_marked():
    found = blocks(open(DOC).read())
    assert [m for m, _ in found].count("settings") == 1
    assert [m for m, _ in found].count("not run") == 1
    assert len(found) >= 12


def test_the_quickstart_runs_as_written(tmp_path):
    if os.geteuid() != 0:
        cannot("the walkthrough runs BIND and nft in a network namespace: needs root")
    for tool in ("unshare", "named", "dig", "nft", "jq", "curl", "ip"):
        if not shutil.which(tool):
            cannot(tool + " is not installed (scripts/install-deps installs it)")
    work = tmp_path / "quickstart"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(os.path.abspath(BIN), bindir / "rampart")
    os.symlink(os.path.abspath(AGENT), bindir / "rampart-agent")
    http, dns, bind = random.sample(range(20000, 30000), 3)  # a fresh namespace: every port is free
    script = ["set -euo pipefail", "set -x"]
    for marker, body in blocks(open(DOC).read()):
        if marker == "not run":
            continue
        if marker == "settings":
            body = "\n".join([
                "export WORK=%s" % work,
                "export HTTP_PORT=%d DNS_PORT=%d BIND_PORT=%d" % (http, dns, bind),
                "export API=http://127.0.0.1:$HTTP_PORT",
                'mkdir -p "$WORK" && cd "$WORK"'])
        script.append(body)
    path = tmp_path / "quickstart.sh"
    path.write_text("\n".join(script) + "\n")
    env = dict(os.environ, PATH="%s:%s" % (bindir, os.environ["PATH"]), HOME=str(tmp_path))
    for k in [k for k in env if k.startswith("RAMPART_")]:
        del env[k]  # the walkthrough's own environment only
    proc = subprocess.Popen(["unshare", "-n", "bash", "-c", "ip link set lo up && exec bash %s" % path],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise AssertionError("the quickstart did not finish in 240 s:\n" + out[-6000:])
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever the clean-up step did not stop
        except ProcessLookupError:
            pass
    print(out)  # shown by pytest when a later assertion fails
    assert proc.returncode == 0, out[-6000:]
    assert "status: NXDOMAIN" in out  # www.bad.example, printed by step 6
    assert re.search(r"198\.51\.100\.0/24", out), "the nft set lists the blocked network"
    assert '"title": "a file changed in the watched directory"' in out, out[-3000:]
    assert not work.exists(), "the clean-up step removes the walkthrough's directory"
