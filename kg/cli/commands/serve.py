"""Serve the graph: a read-only SPARQL endpoint at /sparql and pages for every thing.

/sparql speaks the SPARQL 1.1 Protocol (GET ?query=, POST of a form or of
application/sparql-query): SELECT and ASK answers as SPARQL results JSON, XML, CSV or
TSV, CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD, chosen by Accept. The
refusals of kg query hold (updates; SERVICE and FROM unless --allow-network); a query
stops after --timeout seconds (408), an answer of more than --limit rows is refused
(413), and at most --max-running queries run at once (the next wait for a free worker,
at most --queue-seconds: then 503). Each runs in a worker process that is killed and replaced at its
deadline, so the server stays up whatever a query does.

/id/NAME (the graph's https://w3id.org/techauto/id/NAME) redirects (303) to the page
/page/NAME or, by Accept, to its data /data/NAME.ttl (.jsonld, .nt, .trig, .nq); the
home page lists the entrants, with a search; /questions runs the shipped questions,
/query is an editor for /sparql, /ontology the terms. Pages load nothing from outside.

Listens on 127.0.0.1 unless --host says otherwise. Needs the serve extra
(pip install 'techauto-kg[serve]').
"""

from __future__ import annotations

import argparse

from kg.cli.options import add_graph_options, positive


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0: any free one)")
    parser.add_argument("--allow-network", action="store_true",
                        help="allow SERVICE and FROM, which query or load remote graphs")
    parser.add_argument("--timeout", type=positive(float), default=10, metavar="SECONDS",
                        help="stop a query (or page) that runs longer: 408 (default 10)")
    parser.add_argument("--limit", type=positive(int), default=10000, metavar="N",
                        help="refuse answers of more than N rows or triples: 413 (default 10000)")
    parser.add_argument("--max-running", type=positive(int), default=4, metavar="N",
                        help="worker processes: at most N queries run at once (default 4)")
    parser.add_argument("--queue-seconds", type=positive(float), default=5, metavar="SECONDS",
                        help="how long a request waits for a free worker before it is refused: 503 (default 5)")
    add_graph_options(parser)


def _require_extra() -> None:
    import importlib.util

    from kg.errors import KgError

    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise KgError(f"kg serve needs {' and '.join(missing)}: pip install 'techauto-kg[serve]'")


def run(args: argparse.Namespace) -> int:
    _require_extra()
    from kg.errors import InputError

    if not 0 <= args.port <= 65535:
        raise InputError(f"--port {args.port}: expected 0 to 65535")
    from kg.checks import limits
    from kg.serve import app
    from kg.serve.pool import Pool

    sock = app.listening_socket(args.host, args.port)
    init, size = _graph(args)
    pool = Pool(args.max_running, init, _handle, seconds=args.timeout, memory_mb=limits.memory_mb(),
                wait=args.queue_seconds, close=[sock.fileno()])
    try:
        pool.start()
    except BaseException:
        sock.close()
        raise
    where = "" if args.host in ("127.0.0.1", "::1", "localhost") else " (reachable from other machines)"
    app.run(pool, sock, allow_network=args.allow_network, timeout=args.timeout, max_running=args.max_running,
            note=f"{where}, {size:,} quads")
    return 0


def _handle(service, request):
    return service.handle(request)


def _graph(args: argparse.Namespace):
    """What each worker runs to get its graph, and the graph's size. In memory, the graph
    is loaded here and the workers share it; with --store, the workers open the store
    read-only (loading it first, in a child process, when it is new or --data is given)."""
    from kg.cli.options import load_graph
    from kg.serve.jobs import Service

    options = {"allow_network": args.allow_network, "limit": args.limit}
    if args.store is None:
        kg = load_graph(args)
        return (lambda: Service(kg, **options)), len(kg)
    from kg.checks import limits
    from kg.store import KnowledgeGraph, persistent

    if args.data is not None or args.ontology is not None or not persistent.is_store(args.store):
        def fill():
            kg = load_graph(args, read_only=False)
            return len(kg)

        limits.run(fill, seconds=10**6, memory=2**30)  # no RocksDB in the server's own process
    persistent.check_folder(args.store)
    size = persistent.read_manifest(args.store).get("quads", 0)
    store = args.store

    def open_store():
        return Service(KnowledgeGraph.load(store=store, read_only=True), **options)

    return open_store, size
