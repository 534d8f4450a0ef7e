#!/usr/bin/python3
"""No module includes a header of its own level or a higher one (other than its own). The levels are the table in
docs/architecture.md ("| L3 | `identity/` | …"), so the check and the documentation cannot drift
apart: a module missing from the table, or an include that climbs, fails the check.
Usage: check_levels.py REPO_ROOT"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
with open(os.path.join(root, "docs", "architecture.md")) as f:
    levels = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\| L(\d) \| `([a-z_]+)/` \|", f.read(), re.M)}
assert levels, "no level table found in docs/architecture.md"

problems = []
for top, base_dir in (("src", None), ("cli", "cli"), ("agent", "agent")):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        rel = os.path.relpath(dirpath, os.path.join(root, top))
        module = base_dir or rel.split(os.sep)[0]
        if module == ".":
            continue
        if module not in levels:
            problems.append("%s/%s is not in the level table of docs/architecture.md" % (top, module))
            continue
        for name in files:
            if not name.endswith((".hpp", ".cpp", ".in")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, errors="replace") as f:
                for n, line in enumerate(f, 1):
                    m = re.match(r'\s*#\s*include\s+"([a-z_]+)/', line)
                    if not m or m.group(1) not in levels or m.group(1) == module:
                        continue
                    used = m.group(1)
                    if levels[used] >= levels[module]:
                        problems.append("%s:%d: %s (L%d) includes %s (L%d), not a lower level" % (
                            os.path.relpath(path, root), n, module, levels[module], used, levels[used]))

for p in sorted(set(problems)):
    print(p)
print("%d module(s) checked, %d problem(s)" % (len(levels), len(set(problems))))
sys.exit(1 if problems else 0)
