"""``kg push``: load the graph into an existing SPARQL 1.1 server, in batches, idempotently.

What goes there is the server layout of :func:`kg.exports.rdf.server_groups` (the
ontology, one named graph per claim, the provenance in ``kgg:default``), with the merge of
every graph in ``kgg:merged`` and the dataset described in ``kgg:dataset``
(:mod:`kg.store.remote` says why). Each graph is replaced whole, so pushing twice leaves
the same store; graphs a previous push left that the graph no longer has are dropped.

Two ways in: the SPARQL 1.1 Graph Store Protocol (``PUT`` of each graph, then ``POST`` of
the rest of a graph longer than a batch), or SPARQL 1.1 Update (``DROP SILENT GRAPH``
then ``INSERT DATA``, several graphs per request, at most a batch of triples each; see
:func:`_insert` for blank nodes). A
graph's triples with blank nodes all go in its first request, together: a blank node
names one node within one request only.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from kg import progress
from kg.store.remote import DATASET_GRAPH, MERGED_GRAPH, SD, Endpoint

DEFAULT_BATCH = 10_000
"""Triples per request (``--batch``)."""
_TURTLE = "text/turtle"  # N-Triples is Turtle; every Graph Store server reads Turtle


@dataclass
class PushReport:
    """What a push did: graphs and triples sent, requests made, stale graphs dropped."""

    graphs: int
    triples: int
    requests: int
    dropped: list[str]


def description(graphs: list[str]) -> list[bytes]:
    """``kgg:dataset`` as N-Triples: the merge as default graph, ``graphs`` as named graphs
    (each graph's name standing for the ``sd:NamedGraph``, so that no blank node is needed)."""
    dataset, rdf_type = f"<{DATASET_GRAPH.value}>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [f"{dataset} {rdf_type} <{SD}Dataset> .", f"{dataset} <{SD}defaultGraph> <{MERGED_GRAPH.value}> ."]
    for graph in graphs:
        lines += [f"{dataset} <{SD}namedGraph> <{graph}> .", f"<{graph}> <{SD}name> <{graph}> ."]
    return [line.encode("utf-8") for line in lines]


def chunks(lines: list[bytes], size: int) -> list[list[bytes]]:
    """``lines`` cut into pieces of at most ``size``; the ones with blank nodes all in the
    first piece, on their own (which may then be longer); one empty piece for an empty graph."""
    with_blank = [line for line in lines if b"_:" in line]
    rest = [line for line in lines if b"_:" not in line]
    pieces = [with_blank] if with_blank else []
    pieces += [rest[i:i + size] for i in range(0, len(rest), size)]
    return pieces or [[]]


def previously_pushed(endpoint: Endpoint) -> set[str]:
    """The named graphs the server's ``kgg:dataset`` lists (none before a first push)."""
    rows = endpoint.select(f"SELECT ?g WHERE {{ GRAPH <{DATASET_GRAPH.value}> {{ "
                           f"?d <{SD}namedGraph>/<{SD}name> ?g }} }}")
    return {row[0].value for row in rows}


def push(kg, endpoint: Endpoint, batch: int = DEFAULT_BATCH) -> PushReport:
    """Push ``kg`` (a :class:`kg.store.KnowledgeGraph`) to ``endpoint``."""
    from kg.exports import rdf

    groups = rdf.server_groups(kg)
    merged = groups.pop("")
    graphs = {MERGED_GRAPH.value: merged, **groups}
    stale = sorted(previously_pushed(endpoint) - set(groups) - {MERGED_GRAPH.value})
    graphs[DATASET_GRAPH.value] = description(list(groups))
    send = _by_graph_store if endpoint.graph_store else _by_update
    requests = send(endpoint, graphs, stale, batch)
    return PushReport(len(graphs), sum(len(lines) for lines in graphs.values()), requests, stale)


def _by_graph_store(endpoint: Endpoint, graphs: dict[str, list[bytes]], stale: list[str], batch: int) -> int:
    requests = 0
    with progress.phase("pushing graphs (Graph Store Protocol)", total=len(graphs) + len(stale),
                        unit="graphs") as step:
        for graph in stale:
            _gsp(endpoint, "DELETE", graph, None, missing_ok=True)
            requests += 1
            step.advance()
        for graph, lines in graphs.items():
            for number, piece in enumerate(chunks(lines, batch)):
                _gsp(endpoint, "PUT" if number == 0 else "POST", graph, b"\n".join(piece) + b"\n")
                requests += 1
            step.advance()
    return requests


def _gsp(endpoint: Endpoint, method: str, graph: str, body: bytes | None, missing_ok: bool = False) -> None:
    from kg.errors import KgError

    separator = "&" if "?" in endpoint.graph_store else "?"
    url = f"{endpoint.graph_store}{separator}{urllib.parse.urlencode({'graph': graph})}"
    try:
        endpoint.send(url, method, body, _TURTLE if body is not None else None)
    except KgError as exc:
        if not (missing_ok and ": HTTP 404:" in str(exc)):
            raise


def _by_update(endpoint: Endpoint, graphs: dict[str, list[bytes]], stale: list[str], batch: int) -> int:
    requests = 0
    operations = [f"DROP SILENT GRAPH <{graph}>" for graph in stale]
    size = 0
    with progress.phase("pushing graphs (SPARQL Update)", total=len(graphs), unit="graphs") as step:
        for graph, lines in graphs.items():
            for number, piece in enumerate(chunks(lines, batch)):
                if size and size + len(piece) > batch:
                    endpoint.update_request(" ;\n".join(operations))
                    requests, operations, size = requests + 1, [], 0
                if number == 0:
                    operations.append(f"DROP SILENT GRAPH <{graph}>")
                if piece:
                    operations.append(_insert(graph, piece))
                size += len(piece)
            step.advance()
        if operations:
            endpoint.update_request(" ;\n".join(operations))
            requests += 1
    return requests


def _insert(graph: str, lines: list[bytes]) -> str:
    """``INSERT DATA`` of the lines; ``INSERT ... WHERE {}`` (one solution: the same
    triples, each blank node a new node) when they have blank nodes, which Virtuoso 7
    refuses in ``INSERT DATA`` ("Blank node ... is not allowed in a constant clause")."""
    body = b"\n".join(lines).decode("utf-8")
    if any(b"_:" in line for line in lines):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


def quad_counts(endpoint: Endpoint) -> dict[str, int]:
    """Quads per named graph on the server (every graph it has), for checking a push."""
    rows = endpoint.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row[0].value: int(row[1].value) for row in rows}
