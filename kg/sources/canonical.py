"""Canonical, byte-stable Turtle and TriG of the project's data files (rdflib): same graph
in, same bytes out. (Exports of a whole store have a streaming writer: :mod:`kg.exports.rdf`.)

Turtle uses rdflib's ``longturtle`` serializer (sorted subjects and predicates), with
``canon=True`` when there are blank nodes (renamed from their content). TriG, which rdflib writes in
store order, is assembled here from one canonical Turtle block per named graph, graphs
sorted by name, all sharing one set of prefixes.
"""

from __future__ import annotations

from rdflib import BNode, Dataset, Graph, URIRef

from kg.namespaces import bind_prefixes


def merged(dataset: Dataset) -> Graph:
    """Every triple of every graph of ``dataset`` in one graph (graph names dropped)."""
    union = Graph()
    bind_prefixes(union)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _serialize(graph: Graph, prefixes: dict[str, str] | None = None) -> tuple[dict, str]:
    """Canonical Turtle of ``graph`` split into (prefixes used, body without them)."""
    copy = Graph()
    bind_prefixes(copy)
    for prefix, namespace in (prefixes or {}).items():
        copy.bind(prefix, namespace, override=False)
    for triple in graph:
        copy.add(triple)
    has_blank_nodes = any(isinstance(term, BNode) for triple in copy for term in triple)
    text = copy.serialize(format="longturtle", canon=has_blank_nodes)
    found, body = {}, []
    for line in text.splitlines():
        if line.startswith("PREFIX "):
            prefix, _, namespace = line[len("PREFIX ") :].partition(": ")
            found[prefix] = namespace.strip()[1:-1]
        else:
            body.append(line)
    return found, "\n".join(body).strip("\n")


def _prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def turtle(graph: Graph) -> str:
    """Canonical Turtle text of ``graph``."""
    prefixes, body = _serialize(graph)
    return _prologue(prefixes) + ("\n" + body + "\n" if body else "")


def trig(dataset: Dataset) -> str:
    """Canonical TriG text of ``dataset``: default graph first, then graphs by name."""
    prefixes, _ = _serialize(merged(dataset))
    parts = []
    default = dataset.default_context
    if len(default):
        parts.append("\n" + _serialize(default, prefixes)[1] + "\n")
    named = [g for g in dataset.graphs() if g.identifier != default.identifier and len(g)]
    names = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        names.bind(prefix, namespace)
    for graph in sorted(named, key=lambda g: str(g.identifier)):
        label = _graph_label(graph.identifier, names)
        body = _serialize(graph, prefixes)[1]
        block = "\n".join("    " + ln if ln else "" for ln in body.splitlines())
        parts.append(f"\n{label} {{\n{block}\n}}\n")
    return _prologue(prefixes) + "".join(parts)


def _graph_label(name, names: Graph) -> str:
    """A graph name as a prefixed name where that is valid Turtle, else as ``<IRI>``."""
    if not isinstance(name, URIRef):
        return f"<{name}>"
    try:
        prefix, namespace, local = names.namespace_manager.compute_qname_strict(str(name), generate=False)
    except (KeyError, ValueError):
        return name.n3()
    return f"{prefix}:{local}" if local else name.n3()


def lines(quads, with_graphs: bool) -> str:
    """Canonical N-Quads (``with_graphs``) or N-Triples text of pyoxigraph ``quads``: blank
    nodes named by RDFC-1.0 (W3C RDF Dataset Canonicalization), one statement per line in
    canonical N-Triples form, lines sorted by code point."""
    import pyoxigraph

    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    fmt = pyoxigraph.RdfFormat.N_QUADS if with_graphs else pyoxigraph.RdfFormat.N_TRIPLES
    statements = dataset if with_graphs else (q.triple for q in dataset)
    text = pyoxigraph.serialize(statements, format=fmt).decode("utf-8")
    return "".join(line + "\n" for line in sorted(set(text.splitlines())) if line)


def same_dataset(first, second) -> bool:
    """True when two collections of pyoxigraph quads are the same RDF dataset, blank
    nodes aside (isomorphic: equal once both are canonicalized with RDFC-1.0)."""
    import pyoxigraph

    one, two = pyoxigraph.Dataset(first), pyoxigraph.Dataset(second)
    if len(one) != len(two):
        return False
    for dataset in (one, two):
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return one == two
