"""Time each shipped question on one loaded graph: the best of ``--runs`` runs, default parameters.

    python -m kg.sources.synthetic --factor 16 -o /tmp/f16.trig     # about 100,000 quads
    python benchmarks/questions.py /tmp/f16.trig --runs 3

The graph is loaded once (``KnowledgeGraph.load``); each question runs as ``kg query NAME``
runs it (:func:`kg.answers.answering.answer`, every row read), timed from inside.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.answers import answering, questions
from kg.store import KnowledgeGraph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the graph (any format kg reads)")
    parser.add_argument("--runs", type=int, default=3, help="runs per question; the best is shown (default 3)")
    parser.add_argument("names", nargs="*", help="only these questions (default: every shipped one)")
    args = parser.parse_args()
    started = time.perf_counter()
    kg = KnowledgeGraph.load(data=[args.data])
    print(f"{len(kg)} quads loaded in {time.perf_counter() - started:.1f} s")
    print(f"{'question':40} {'rows':>8} {'seconds':>8}")
    for name in args.names or sorted(questions.catalogue()):
        query = questions.find(name)
        best, rows = None, 0
        for _ in range(args.runs):
            started = time.perf_counter()
            rows = len(answering.answer(query, {}, kg=kg).rows)
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        print(f"{name:40} {rows:8} {best:8.3f}")


if __name__ == "__main__":
    main()
