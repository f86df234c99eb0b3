"""Run a command; print its wall time and the peak resident memory of its whole process
tree (kg and its children, such as TopBraid SHACL's Java), sampled every 0.2 s.

    python benchmarks/peak.py kg build --data big.trig -o out

``/usr/bin/time`` reports the largest single process instead, not their sum.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            found.setdefault(parent, []).append(int(name))
    return found


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants now."""
    children, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", encoding="utf-8") as statm:
                total += int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.2)
    print(f"{time.perf_counter() - start:.1f} s wall, peak tree RSS {peak / 1e9:.2f} GB, exit {process.returncode}",
          file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
