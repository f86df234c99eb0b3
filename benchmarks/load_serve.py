"""A bounded local load test of ``kg serve``: N clients for S seconds on entity pages, then
on /sparql, each phase with a runaway query sent in the middle; throughput, p50/p90/p99
latency, errors by status, and the server's memory (its process and its workers).

Only 127.0.0.1: the script starts ``kg serve --port 0`` itself (with ``--data`` or
``--store`` passed on) and refuses any other address.

    python benchmarks/load_serve.py --clients 20 --seconds 20
    python benchmarks/load_serve.py --store /tmp/kg-1m --clients 20 --seconds 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

SLUGS_QUERY = """SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5000"""
ID = "https://w3id.org/techauto/id/"
SPARQL_QUERIES = [
    'PREFIX ta: <https://w3id.org/techauto/ontology#> SELECT ?plant ?capacity WHERE { '
    '?plant ta:plannedAnnualCapacity ?capacity } ORDER BY ?plant LIMIT 50',
    'ASK { <https://w3id.org/techauto/id/xiaomi> ?p ?o }',
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { <{IRI}> rdfs:label ?label }',
    'SELECT ?p ?o WHERE { <{IRI}> ?p ?o } LIMIT 100',
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start_server(args) -> tuple[subprocess.Popen, int]:
    kg = shutil.which("kg") or str(Path(sys.executable).parent / "kg")
    command = [kg, "serve", "--port", "0", "--max-running", str(args.workers), "--timeout", str(args.timeout)]
    if args.store:
        command += ["--store", args.store]
    if args.data:
        command += ["--data", *args.data]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1)
        if ready:
            line = process.stdout.readline()
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
            if not match:
                raise SystemExit(f"kg serve did not start: {line!r}")
            print(line.strip(), file=sys.stderr)
            return process, int(match.group(1))
        if process.poll() is not None:
            raise SystemExit("kg serve stopped")
    raise SystemExit("kg serve did not start in time")


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS of the server's process and of its workers together, in MB (shared pages
    counted in each process, so the sum overstates what the workers share)."""
    def rss(p: int) -> int:
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as handle:
                return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            return 0

    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            children = [int(c) for c in handle.read().split()]
    except OSError:
        children = []
    return rss(pid) / 2**20, (rss(pid) + sum(rss(c) for c in children)) / 2**20


def fetch(connection, method: str, path: str, body: str | None = None, headers: dict | None = None):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    return response.status, data


def slugs(port: int) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, data = fetch(connection, "GET", "/sparql?" + urlencode({"query": SLUGS_QUERY}))
    if status != 200:
        raise SystemExit(f"could not list the things: {status} {data[:200]!r}")
    rows = json.loads(data)["results"]["bindings"]
    return sorted({r["s"]["value"][len(ID):] for r in rows if r["s"]["value"].startswith(ID)})


def phase(port: int, name: str, make_request, clients: int, seconds: float, server_pid: int,
          runaway_query: bool = True) -> dict:
    """``clients`` threads sending ``make_request(rng)`` for ``seconds``; a runaway query halfway."""
    latencies: list[float] = []
    first_visits: list[float] = []
    repeat_visits: list[float] = []
    statuses: dict[int, int] = {}
    seen: set[str] = set()
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    peak = [0.0, 0.0]

    def client(index: int) -> None:
        rng = random.Random(index)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            method, path, body, headers = make_request(rng)
            start = time.perf_counter()
            try:
                status, _ = fetch(connection, method, path, body, headers)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1
                if path not in seen:
                    seen.add(path)
                    first_visits.append(took)
                else:
                    repeat_visits.append(took)

    runaway: dict = {}

    def run_away() -> None:
        time.sleep(seconds / 3)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start = time.perf_counter()
        status, body = fetch(connection, "POST", "/sparql", urlencode({"query": RUNAWAY}),
                             {"Content-Type": "application/x-www-form-urlencoded"})
        runaway.update(status=status, seconds=round(time.perf_counter() - start, 2),
                       body=body.decode("utf-8", "replace").strip())

    def watch() -> None:
        while time.monotonic() < stop:
            own, total = memory_mb(server_pid)
            peak[0], peak[1] = max(peak[0], own), max(peak[1], total)
            time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=watch)] + ([threading.Thread(target=run_away)] if runaway_query else [])
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)

    def percentile(values, q):
        return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1) if values else None

    firsts, repeats = sorted(first_visits), sorted(repeat_visits)
    return {
        "phase": name, "clients": clients, "seconds": round(elapsed, 1), "requests": len(ordered),
        "per_second": round(len(ordered) / elapsed, 1), "statuses": dict(sorted(statuses.items())),
        "p50_ms": percentile(ordered, 0.50), "p90_ms": percentile(ordered, 0.90), "p99_ms": percentile(ordered, 0.99),
        "first_visit": {"count": len(firsts), "p50_ms": percentile(firsts, 0.5), "p99_ms": percentile(firsts, 0.99)},
        "repeat_visit": {"count": len(repeats), "p50_ms": percentile(repeats, 0.5),
                         "p99_ms": percentile(repeats, 0.99)},
        "runaway": runaway, "server_rss_mb": round(peak[0], 1), "server_and_workers_rss_mb": round(peak[1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4, help="kg serve --max-running (default 4)")
    parser.add_argument("--timeout", type=float, default=5, help="kg serve --timeout (default 5)")
    parser.add_argument("--store", help="serve this --store DIR")
    parser.add_argument("--data", nargs="+", help="serve these --data files")
    parser.add_argument("--phases", default="pages,sparql", help="pages, sparql or both (default)")
    parser.add_argument("--no-runaway", action="store_true", help="send no runaway query")
    args = parser.parse_args()
    process, port = start_server(args)
    try:
        things = slugs(port)
        before = memory_mb(process.pid)
        print(f"{len(things)} things; server {before[0]:.0f} MB, with workers {before[1]:.0f} MB", file=sys.stderr)

        def page(rng):
            return "GET", f"/page/{rng.choice(things)}", None, {"Accept": "text/html"}

        def query(rng):
            text = rng.choice(SPARQL_QUERIES).replace("{IRI}", "https://w3id.org/techauto/id/" + rng.choice(things))
            return ("POST", "/sparql", urlencode({"query": text}),
                    {"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json"})

        chosen = {"pages": page, "sparql": query}
        report = [phase(port, name, chosen[name], args.clients, args.seconds, process.pid, not args.no_runaway)
                  for name in args.phases.split(",")]
        print(json.dumps({"things": len(things), "workers": args.workers, "phases": report}, indent=2))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
