"""Run a command; print its wall time and the peak resident memory of its whole process
tree (kg and its children, such as TopBraid SHACL's Java), sampled every 0.2 s, and the
peak of each program in it.

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


def tree_rss(root: int, by_name: dict[str, int] | None = None) -> int:
    """Bytes resident in ``root`` and all its descendants now; ``by_name`` gets the
    largest resident size seen of each program (``kg``, ``java`` ...)."""
    children, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", encoding="utf-8") as statm:
                resident = int(statm.read().split()[1]) * PAGE
            with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
                name = comm.read().strip()
        except (OSError, IndexError, ValueError):
            continue
        total += resident
        if by_name is not None:
            by_name[name] = max(by_name.get(name, 0), resident)
    return total


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    peak, by_name = 0, {}
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid, by_name))
        time.sleep(0.2)
    each = ", ".join(f"{name} {size / 1e9:.2f} GB" for name, size in sorted(by_name.items()))
    print(f"{time.perf_counter() - start:.1f} s wall, peak tree RSS {peak / 1e9:.2f} GB ({each}), "
          f"exit {process.returncode}", file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
