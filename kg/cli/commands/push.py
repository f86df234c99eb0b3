"""Load the graph into an existing SPARQL 1.1 server: the ontology, one named graph per claim, the provenance.

--endpoint URL is the server's SPARQL endpoint (queries, and updates unless --update
names another URL); --graph-store URL sends each graph by the Graph Store Protocol
instead of SPARQL Update. Each graph is replaced whole, in requests of at most --batch
triples, so pushing twice leaves the same store; graphs a previous push left that the
graph no longer has are dropped. The merge of every graph goes to kgg:merged and the
dataset is described in kgg:dataset, which kg query/explain/validate --endpoint read.
Credentials: --user/--password or KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD (HTTP basic or
digest). Exit 0 when pushed, 2 on any error (one line: the URL and what the server said).
"""

from __future__ import annotations

import argparse
import sys

from kg.cli.options import add_graph_options, positive


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", dest="push_to", required=True, metavar="URL", help="the server's SPARQL endpoint")
    parser.add_argument("--update", metavar="URL", help="its SPARQL Update endpoint, when not --endpoint")
    parser.add_argument("--graph-store", metavar="URL", help="push by the Graph Store Protocol at URL")
    parser.add_argument("--batch", type=positive(int), default=10_000, metavar="N",
                        help="at most N triples per request (default 10000)")
    parser.add_argument("--timeout", type=positive(float), default=120, metavar="SECONDS",
                        help="time limit of each request (default 120)")
    parser.add_argument("--user", help="user name for the server (HTTP basic or digest)")
    parser.add_argument("--password", help="password for the server (better: KG_ENDPOINT_PASSWORD)")
    add_graph_options(parser)


def run(args: argparse.Namespace) -> int:
    from kg.cli.options import endpoint, load_graph
    from kg.exports import push

    target = endpoint(args, args.push_to, args.timeout, update=args.update, graph_store=args.graph_store)
    kg = load_graph(args)
    report = push.push(kg, target, args.batch)
    dropped = f"; {len(report.dropped)} stale graphs dropped" if report.dropped else ""
    print(f"kg push: {report.graphs} graphs, {report.triples} triples in {report.requests} requests "
          f"to {args.graph_store or args.update or args.push_to}{dropped}", file=sys.stderr)
    return 0
