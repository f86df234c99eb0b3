"""Canonical, byte-stable Turtle and TriG of the project's data files (rdflib): same graph
in, same bytes out. (Exports of a whole store have a streaming writer: :mod:`kg.exports.rdf`.)

Turtle uses rdflib's ``longturtle`` serializer (sorted subjects and predicates), with
``canon=True`` when there are blank nodes (renamed from their content). TriG, which rdflib writes in
store order, is assembled here from one canonical Turtle block per named graph, graphs
sorted by name, all sharing one set of prefixes.
"""

from __future__ import annotations

import re

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import bind_prefixes

_TURTLE_NUMERALS = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}
"""The lexical forms Turtle can write bare (``12``, ``1.5``, ``1.5e3``, ``true``) and read back
with the same datatype."""


class _Exact(Literal):
    """A literal rdflib writes bare only when the bare form is its own lexical form: rdflib's
    "pretty" numerals would write ``"89900"^^xsd:decimal`` as ``89900.0``, ``"1.5E3"^^xsd:double``
    as ``1.5e+03`` and ``"1"^^xsd:boolean`` as ``1`` (an integer): another RDF term."""

    __slots__ = ()

    def _literal_n3(self, use_plain=False, qname_callback=None):
        if use_plain and _TURTLE_NUMERALS[self.datatype].fullmatch(str(self)):
            plain = super()._literal_n3(True, qname_callback)
            if plain == str(self):
                return plain
        return super()._literal_n3(False, qname_callback)


def _exact(term):
    if isinstance(term, Literal) and term.datatype in _TURTLE_NUMERALS and not isinstance(term, _Exact):
        return _Exact(str(term), datatype=term.datatype, normalize=False)
    return term


def dataset_of(quads) -> Dataset:
    """An rdflib dataset of pyoxigraph ``quads`` that keeps every literal's lexical form
    (rdflib's own parsers normalise ``"007"^^xsd:integer`` to ``7``, ``"1"^^xsd:boolean`` to
    ``true``: other RDF terms)."""
    import pyoxigraph

    dataset = Dataset()
    for quad in quads:
        triple = (_term(quad.subject), _term(quad.predicate), _term(quad.object))
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            dataset.default_context.add(triple)
        else:
            dataset.graph(_term(quad.graph_name)).add(triple)
    return dataset


def _term(term):
    """The rdflib term of a pyoxigraph term, literals exactly as written."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = URIRef(term.datatype.value)
        if datatype == XSD.string:
            return Literal(term.value, normalize=False)
        kind = _Exact if datatype in _TURTLE_NUMERALS else Literal
        return kind(term.value, datatype=datatype, normalize=False)
    raise TypeError(f"not an RDF term of a file: {term!r}")


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
    if any(isinstance(term, BNode) for triple in copy for term in triple):
        copy = _canonical_blank_nodes(copy)
    text = copy.serialize(format="longturtle")
    found, body = {}, []
    for line in text.splitlines():
        if line.startswith("PREFIX "):
            prefix, _, namespace = line[len("PREFIX ") :].partition(": ")
            found[prefix] = namespace.strip()[1:-1]
        else:
            body.append(line)
    return found, "\n".join(body).strip("\n")


def _canonical_blank_nodes(graph: Graph) -> Graph:
    """``graph`` with blank nodes renamed from their content: what rdflib's longturtle does
    with ``canon=True``, except that it reads its own output back normalising literals
    (``"007"^^xsd:integer`` would become ``7``); here they stay as written."""
    import rdflib
    from rdflib.compare import to_canonical_graph

    lines = sorted(to_canonical_graph(graph).serialize(format="application/n-triples").split("\n"))
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        parsed = Graph().parse(data="\n".join(lines), format="application/n-triples", skolemize=True).de_skolemize()
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    exact = any(isinstance(o, _Exact) for o in graph.objects())  # see dataset_of
    result = Graph()
    result.namespace_manager = graph.namespace_manager
    for s, p, o in parsed.triples((None, None, None)):
        result.add((s, p, _exact(o) if exact else o))
    return result


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
