"""Benchmark: each stage of ``kg build`` through kg and through the plain stack, by graph size.

    python benchmarks/bench.py                      # 10k, 100k and 1M quads, 3 runs each
    python benchmarks/bench.py --sizes 10k,100k --runs 3 --out benchmarks/results.md

The graphs are made by :mod:`kg.sources.synthetic` (copies of the shipped facts, linked
across copies) into ``--work`` (default ``benchmarks/work``, not kept in git). Every
measurement is a fresh process that loads the graph, then runs one stage, timed from
inside; its peak memory (resident set, ``ru_maxrss``) is that of the whole process, load
included. Stages, through kg and through the plain stack (what this project did before
its store, and what a user of rdflib alone would write):

===========  ========================================  =====================================================
stage        kg                                        plain stack
===========  ========================================  =====================================================
load         ``KnowledgeGraph.load`` (Oxigraph)        rdflib ``Dataset.parse`` (TriG) and the ontology
reason       ``kg.reason()`` (compiled OWL RL rules)   owlrl ``DeductiveClosure`` on ontology + facts
validate     ``validation.validate`` (pySHACL, or      pySHACL on the facts (with ``ta:isStatedIn``) and the
             TopBraid SHACL from 100,000 quads)        ontology
headline     ``xiaomi-beijing-plant`` on Oxigraph      the same query in rdflib's SPARQL engine
queries      every other shipped query                 the same queries in rdflib
exports      Turtle, TriG, N-Triples (canonical)       rdflib ``serialize`` of the same three
networkx     ``to_networkx`` and ``analysis.stats``    the id: links of the rdflib graph into NetworkX, stats
build        ``kg build --data FILE`` (the command)    the sum of the plain stages above
===========  ========================================  =====================================================

A plain stage that would run past ``--budget`` seconds (estimated from the size below,
or stopped at it) is skipped with a note; kg's stages always run (``--stages`` picks some). The table gives medians of ``--runs`` runs,
peak memory, and the ratio plain / kg.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_QUADS = 0
"""Asserted quads of the shipped facts (set by :func:`run`), to pick the synthetic factors."""
STAGES = ("load", "reason", "validate", "headline", "queries", "exports", "networkx", "build")
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
FAILED: list[str] = []
"""Queries that an engine could not answer in a child's run (reported beside the time)."""


# -- the stages, run in a child process ----------------------------------------------------


def _kg_graph(data: Path):
    from kg.store import KnowledgeGraph

    return KnowledgeGraph.load(data=[data])


def kg_stage(stage: str, data: Path) -> float:
    """Run one stage through kg; the seconds it took (the load not counted, but for ``load``)."""
    if stage == "build":
        out = data.parent / f"build-{os.getpid()}"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "build", "--quiet", "--no-pictures", "--data", str(data),
                        "-o", str(out)], check=True, capture_output=True)
        return time.perf_counter() - start
    start = time.perf_counter()
    kg = _kg_graph(data)
    if stage == "load":
        return time.perf_counter() - start
    start = time.perf_counter()
    if stage == "reason":
        kg.reason()
    elif stage == "validate":
        from kg.checks import validation

        validation.validate(kg)
    elif stage in ("headline", "queries"):
        from kg.answers import answering, questions

        for name, query in questions.catalogue().items():
            if (name == "xiaomi-beijing-plant") == (stage == "headline"):
                try:
                    answering.answer(query, {}, kg=kg)
                except Exception:  # noqa: BLE001 - a benchmark notes it and goes on
                    FAILED.append(name)
    elif stage == "exports":
        from kg.exports import rdf

        for fmt in ("turtle", "trig", "nt"):
            rdf.serialize(kg, fmt)
    elif stage == "networkx":
        from kg.network import analysis
        from kg.network.convert import to_networkx

        analysis.stats(to_networkx(kg))
    return time.perf_counter() - start


def _plain_graph(data: Path):
    from rdflib import Dataset, Graph

    dataset = Dataset(default_union=True)
    dataset.parse(data, format="trig")
    ontology = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    return dataset, ontology


def _merged(dataset):
    from rdflib import Graph

    merged = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def plain_stage(stage: str, data: Path) -> float:
    """Run one stage through the plain stack (rdflib, owlrl, pySHACL, NetworkX)."""
    if stage == "build":
        raise ValueError("the plain build is the sum of its stages")
    start = time.perf_counter()
    dataset, ontology = _plain_graph(data)
    if stage == "load":
        return time.perf_counter() - start
    start = time.perf_counter()
    if stage == "reason":
        import owlrl

        union = _merged(dataset) + ontology
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(union)
    elif stage == "validate":
        import pyshacl
        from rdflib import Graph, Namespace

        ta = Namespace("https://w3id.org/techauto/ontology#")
        facts = _merged(dataset)
        for graph in dataset.graphs():
            if str(graph.identifier).startswith("https://w3id.org/techauto/claim/"):
                for subject in set(graph.subjects()):
                    facts.add((subject, ta.isStatedIn, graph.identifier))
        shapes = Graph().parse(ROOT / "ontology" / "shapes" / "techauto-shapes.ttl", format="turtle")
        pyshacl.validate(facts, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
                         allow_warnings=True)
    elif stage in ("headline", "queries"):
        from rdflib import URIRef

        from kg.answers import questions
        from kg.namespaces import PREFIXES

        for name, query in questions.catalogue().items():
            if (name == "xiaomi-beijing-plant") != (stage == "headline"):
                continue
            bindings = {p.name: URIRef(PREFIXES["id"] + p.default.split(":", 1)[1])
                        for p in query.params if p.type == "iri" and p.default not in (None, "-")}
            try:
                list(dataset.query(query.text, initNs=PREFIXES, initBindings=bindings))
            except Exception:  # noqa: BLE001 - rdflib fails on some queries: noted, not timed
                FAILED.append(name)
    elif stage == "exports":
        merged = _merged(dataset)
        merged.serialize(format="turtle")
        dataset.serialize(format="trig")
        merged.serialize(format="nt")
    elif stage == "networkx":
        import networkx as nx

        network = nx.MultiDiGraph()
        for s, p, o in _merged(dataset):
            if str(s).startswith("https://w3id.org/techauto/id/") and str(o).startswith("https://w3id.org/techauto/id/"):
                network.add_edge(str(s), str(o), key=str(p))
        nx.number_weakly_connected_components(network)
        degrees = [d for _, d in network.degree()]
        statistics.median(degrees) if degrees else 0
    return time.perf_counter() - start


def child(stack: str, stage: str, data: Path) -> None:
    seconds = (kg_stage if stack == "kg" else plain_stage)(stage, data)
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": seconds, "peak_kb": peak_kb, "failed": FAILED}))


# -- the driver ------------------------------------------------------------------------------


def graph_for(size: str, work: Path) -> tuple[Path, int]:
    """The synthetic graph of about ``size`` quads (made once), and its factor."""
    factor = max(1, round(SIZES[size] / SHIPPED_QUADS))
    path = work / f"synthetic-{factor}.trig"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "kg.sources.synthetic", "--factor", str(factor), "-o", str(path)],
                       check=True, capture_output=True)
    return path, factor


def measure(stack: str, stage: str, data: Path, budget: float) -> dict:
    env = dict(os.environ, KG_MAX_FILE_MB="4096", PYTHONDONTWRITEBYTECODE="")
    try:
        done = subprocess.run([sys.executable, __file__, "--child", stack, stage, str(data)],
                              capture_output=True, text=True, timeout=budget, env=env)
    except subprocess.TimeoutExpired:
        return {"over": budget}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes: list[str], runs: int, budget: float, work: Path, out: Path | None,
        stages: tuple[str, ...] = STAGES) -> str:
    global SHIPPED_QUADS
    from kg.store import KnowledgeGraph

    SHIPPED_QUADS = KnowledgeGraph.load().asserted_count()
    work.mkdir(parents=True, exist_ok=True)
    rows, seen = [], {}  # seen: (stack, stage) -> (seconds, quads) at the last size
    for size in sizes:
        data, _ = graph_for(size, work)
        quads = KnowledgeGraph.load(data=[data]).asserted_count()
        for stage in stages:
            row = {"size": size, "quads": quads, "stage": stage}
            for stack in ("kg", "plain"):
                if stack == "plain" and stage == "build":
                    row[stack] = _plain_build(rows, size)
                    continue
                if stack == "plain" and (stack, stage) in seen:  # kg's stages always run
                    seconds, before = seen[(stack, stage)]
                    estimate = seconds * quads / before
                    if estimate > budget:
                        row[stack] = {"note": f"skipped (about {estimate:.0f} s from {before:,} quads)"}
                        continue
                row[stack] = _median(stack, stage, data, runs, budget)
                if "seconds" in row[stack]:
                    seen[(stack, stage)] = (row[stack]["seconds"], quads)
                else:
                    seen[(stack, stage)] = (budget * 2, quads)  # it did not finish: nor will it on more
            rows.append(row)
            print(_row_text(row), file=sys.stderr, flush=True)
    text = render(rows, runs, budget)
    if out:
        out.write_text(text, encoding="utf-8")
    return text


def _median(stack: str, stage: str, data: Path, runs: int, budget: float) -> dict:
    samples = []
    for _ in range(runs):
        sample = measure(stack, stage, data, budget)
        if "seconds" not in sample:
            return {"note": f"over {budget:.0f} s" if "over" in sample else sample.get("error", "failed")}
        samples.append(sample)
    return {"seconds": statistics.median(s["seconds"] for s in samples),
            "peak_kb": max(s["peak_kb"] for s in samples), "runs": len(samples),
            "failed": sorted(set().union(*(s.get("failed", []) for s in samples)))}


def _plain_build(rows: list[dict], size: str) -> dict:
    parts = [r["plain"] for r in rows if r["size"] == size]
    if not parts or not all("seconds" in p for p in parts):
        return {"note": "not every plain stage ran"}
    return {"seconds": sum(p["seconds"] for p in parts), "peak_kb": max(p["peak_kb"] for p in parts)}


def _cell(result: dict) -> tuple[str, str]:
    if "seconds" not in result:
        return result.get("note", "-"), "-"
    failed = f" ({len(result['failed'])} failed: {', '.join(result['failed'])})" if result.get("failed") else ""
    return f"{result['seconds']:.2f} s{failed}", f"{result['peak_kb'] / 1024:.0f} MB"


def _row_text(row: dict) -> str:
    return f"{row['size']:>5} {row['stage']:9} kg {_cell(row['kg'])} plain {_cell(row['plain'])}"


def render(rows: list[dict], runs: int, budget: float) -> str:
    lines = [f"Medians of {runs} runs; peak memory of the process; plain stages over {budget:.0f} s skipped.", "",
             "| graph | stage | kg | kg peak | plain stack | plain peak | plain / kg |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        kg_time, kg_peak = _cell(row["kg"])
        plain_time, plain_peak = _cell(row["plain"])
        ratio = (f"{row['plain']['seconds'] / row['kg']['seconds']:.0f}x"
                 if "seconds" in row["kg"] and "seconds" in row["plain"] and row["kg"]["seconds"] > 0 else "-")
        lines.append(f"| {row['size']} ({row['quads']:,} quads) | {row['stage']} | {kg_time} | {kg_peak} | "
                     f"{plain_time} | {plain_peak} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--budget", type=float, default=600, help="seconds a plain stage may take (default 600)")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work", help="where the graphs go")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of: {', '.join(STAGES)}")
    parser.add_argument("--child", nargs=3, metavar=("STACK", "STAGE", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return 0
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    if unknown or args.runs < 1 or not set(stages) <= set(STAGES):
        parser.error(f"--sizes takes {', '.join(SIZES)}; --stages {', '.join(STAGES)}; --runs at least 1")
    print(run(sizes, args.runs, args.budget, args.work, args.out, stages), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
