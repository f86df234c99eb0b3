"""Canonical TriG of graphs without blank nodes or lists, written subject by subject.

:func:`kg.sources.canonical.trig` gives the same bytes (the tests compare them), but it
builds an rdflib graph of each graph and runs rdflib's ``longturtle`` serializer over
it: at a million statements, many minutes and gigabytes. Here the statements stay
plain tuples of rdflib terms, and each subject's block is laid out as ``longturtle``
lays it out: subjects sorted by how many statements of their graph point to them, then
by IRI; ``rdf:type`` first (as ``a``), then ``rdfs:label``, then the other predicates
sorted; objects sorted, one per line when there are several. Every term is written by
the serializer's own functions (prefixed names, literals), so escapes and prefixes are
rdflib's. :func:`supports` says whether a dataset may be written here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer
from rdflib.plugins.serializers.turtle import OBJECT, SUBJECT, VERB

from kg.namespaces import bind_prefixes

Triple = tuple[URIRef, URIRef, object]
_LIST_TERMS = (RDF.first, RDF.rest, RDF.nil)
_FIRST_PREDICATES = (RDF.type, RDFS.label)


def supports(default: Iterable[Triple], graphs: Mapping[URIRef, Iterable[Triple]]) -> bool:
    """True when no statement has a blank node, a list, or a subject typed ``rdfs:Class``
    (which ``longturtle`` puts first): what this writer lays out as rdflib would."""
    for triples in (default, *graphs.values()):
        for s, p, o in triples:
            if isinstance(s, BNode) or isinstance(o, BNode) or p in _LIST_TERMS or o == RDF.nil:
                return False
            if p == RDF.type and o == RDFS.Class:
                return False
    return True


class _Labels:
    """Terms as rdflib's longturtle serializer writes them, and the prefixes it used."""

    def __init__(self):
        graph = Graph()
        bind_prefixes(graph)
        self.serializer = LongTurtleSerializer(graph)

    def register(self, triple: Triple) -> None:
        """What the serializer's ``preprocessTriple`` does to the prefixes."""
        for position, node in enumerate(triple):
            if position == VERB and node in self.serializer.keywords:
                continue
            self.serializer.get_pname(node, gen_prefix=position == VERB)
            if isinstance(node, Literal) and node.datatype:
                self.serializer.get_pname(node.datatype, gen_prefix=False)

    def label(self, node, position: int) -> str:
        return self.serializer.label(node, position)

    @property
    def prefixes(self) -> dict[str, str]:
        return {prefix: str(namespace) for prefix, namespace in self.serializer.namespaces.items()}


def _body(triples: list[Triple], labels: _Labels) -> str:
    """A graph's canonical Turtle, without its prefixes (as ``canonical._serialize``)."""
    by_subject: dict[URIRef, dict[URIRef, list]] = {}
    references: Counter = Counter()
    for s, p, o in dict.fromkeys(triples):  # a graph holds a statement once
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        references[o] += 1
    subjects = sorted(by_subject, key=lambda s: (references[s], s))
    return "\n\n".join(_block(subject, by_subject[subject], labels) for subject in subjects)


def _block(subject, properties: dict, labels: _Labels) -> str:
    """One subject's statements, laid out as ``longturtle`` lays them out."""
    order = [p for p in _FIRST_PREDICATES if p in properties]
    order += sorted(p for p in properties if p not in _FIRST_PREDICATES)
    lines = [labels.label(subject, SUBJECT)]
    for predicate in order:
        objects = sorted(properties[predicate])
        verb = labels.label(predicate, VERB)
        if len(objects) == 1:
            lines.append(f"    {verb} {labels.label(objects[0], OBJECT)} ;")
        else:
            lines.append(f"    {verb}")
            lines += [f"        {labels.label(o, OBJECT)} ," for o in objects[:-1]]
            lines.append(f"        {labels.label(objects[-1], OBJECT)} ;")
    lines.append(".")
    return "\n".join(lines)


def trig(default: list[Triple], graphs: Mapping[URIRef, list[Triple]]) -> str:
    """Canonical TriG of a default graph and named graphs (see :func:`supports`): the
    bytes :func:`kg.sources.canonical.trig` writes for the same dataset."""
    from kg.sources.canonical import _graph_label, _prologue

    labels = _Labels()
    for triples in (default, *graphs.values()):
        for triple in triples:
            labels.register(triple)
    prefixes = labels.prefixes
    parts = []
    if default:
        parts.append("\n" + _body(default, labels) + "\n")
    names = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        names.bind(prefix, namespace)
    for name in sorted((n for n, t in graphs.items() if t), key=str):
        block = "\n".join("    " + line if line else "" for line in _body(graphs[name], labels).splitlines())
        parts.append(f"\n{_graph_label(name, names)} {{\n{block}\n}}\n")
    return _prologue(prefixes) + "".join(parts)


# -- from an Oxigraph store, streamed ----------------------------------------------------

_DISTINCT_TERMS = """SELECT DISTINCT ?t WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} {filter} }}"""
_DISTINCT_NAMED_TERMS = """SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {pattern} }} {filter} }}"""
"""When a named graph holds the default graph, the store's own only holds the merge of the others."""


def write_store(store, out, default=None) -> None:
    """Write the dataset of a pyoxigraph ``store`` (its default graph and named graphs,
    with :func:`supports`' restrictions and predicates in the project's namespaces) to
    the binary stream ``out`` as canonical TriG: the bytes :func:`trig` writes for it.
    ``default``: the named graph that holds the dataset's default graph (the store's own
    default graph then holds nothing else than the merge of the others, and is skipped).

    Nothing holds the whole dataset: the prefixes come from the distinct terms, the
    default graph is written subject by subject as the store finds them, each named
    graph whole (a claim's statements)."""
    import pyoxigraph

    from kg.sources.canonical import _graph_label, _prologue
    from kg.terms import to_rdflib

    labels = _CachedLabels()
    for position, pattern, kept in (
        (SUBJECT, "?t ?p ?o", ""), (VERB, "?s ?t ?o", ""), (OBJECT, "?s ?p ?t", "FILTER(!isLITERAL(?t))"),
        (OBJECT, "?s ?p ?o FILTER(isLITERAL(?o) && LANG(?o) = '') BIND(DATATYPE(?o) AS ?t)",
         "FILTER(?t != <http://www.w3.org/2001/XMLSchema#string>)"),  # as rdflib types literals
    ):
        query = (_DISTINCT_TERMS if default is None else _DISTINCT_NAMED_TERMS).format(pattern=pattern, filter=kept)
        terms = (to_rdflib(row[0]) for row in store.query(query, use_default_graph_as_union=False))
        for i, term in enumerate(sorted(terms) if position == VERB else terms):  # new prefixes named in this order
            if not (position == VERB and term in labels.serializer.keywords):
                labels.serializer.get_pname(term, gen_prefix=position == VERB)
            if i % _CACHED == _CACHED - 1:
                labels.forget()
    out.write(_prologue(labels.prefixes).encode("utf-8"))
    triples = "?s ?p ?o" if default is None else f"GRAPH <{default.value}> {{ ?s ?p ?o }}"
    default = pyoxigraph.DefaultGraph() if default is None else default
    references = Counter()  # by plain string (an rdflib term hashes in Python, slowly)
    for row in store.query(f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ {triples} FILTER(isIRI(?o)) }} GROUP BY ?o",
                           use_default_graph_as_union=False):
        references[row[0].value] = int(row[1].value)
    subjects = sorted((row[0].value for row in store.query(f"SELECT DISTINCT ?s WHERE {{ {triples} }}",
                                                           use_default_graph_as_union=False)),
                      key=lambda s: (references[s], s))
    references.clear()
    for i, subject in enumerate(subjects):
        properties: dict = {}
        for quad in store.quads_for_pattern(pyoxigraph.NamedNode(subject), None, None, default):
            properties.setdefault(labels.term(quad.predicate), []).append(labels.term(quad.object))
        out.write(("\n" if i == 0 else "\n\n").encode("utf-8"))
        out.write(_block(URIRef(subject), properties, labels).encode("utf-8"))
    if subjects:
        out.write(b"\n")
    names = Graph(bind_namespaces="none")
    for prefix, namespace in labels.prefixes.items():
        names.bind(prefix, namespace)
    for name in sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode) and g != default):
        graph = pyoxigraph.NamedNode(name)
        triples = [(labels.term(q.subject), labels.term(q.predicate), labels.term(q.object))
                   for q in store.quads_for_pattern(None, None, None, graph)]
        if not triples:
            continue
        block = "\n".join("    " + line if line else "" for line in _body(triples, labels).splitlines())
        out.write(f"\n{_graph_label(URIRef(name), names)} {{\n{block}\n}}\n".encode("utf-8"))


class _CachedLabels(_Labels):
    """:class:`_Labels` remembering each IRI's rdflib term and label (a million statements
    name a few hundred thousand IRIs, most of them many times)."""

    def __init__(self):
        super().__init__()
        self._terms: dict = {}
        self._labels: dict = {}

    def term(self, node):
        """The rdflib term of a pyoxigraph term, IRIs and typed literals made once."""
        from kg.terms import to_rdflib

        if isinstance(node, NamedNode):
            key = node
        elif isinstance(node, OxLiteral) and not node.language and node.datatype.value != _XSD_STRING:
            key = (node.value, node.datatype.value)
        else:
            return to_rdflib(node)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) >= _CACHED:
                self._terms.clear()
            found = self._terms[key] = to_rdflib(node)
        return found

    def label(self, node, position: int) -> str:
        if isinstance(node, Literal):
            if node.datatype is None and not _ESCAPED.search(node):
                # what rdflib's Literal._literal_n3 writes for such a string
                return f'"{node}"@{node.language}' if node.language else f'"{node}"'
            key = (position, str(node), str(node.datatype))
        else:
            key = (position, str(node))  # plain strings hash and compare in C
        found = self._labels.get(key)
        if found is None:
            if len(self._labels) >= _CACHED:
                self.forget()
            found = self._labels[key] = super().label(node, position)
        return found


    def forget(self) -> None:
        """Empty the caches of labels, this one's and rdflib's (its namespace manager
        remembers every IRI it was asked to write)."""
        self._labels.clear()
        self.serializer.store.namespace_manager.reset()


_ESCAPED = re.compile(r'[\n\r"\\]')
"""What rdflib escapes (or quotes three times) in a string literal."""
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CACHED = 100_000
"""IRIs (and labels) remembered at most, so that memory stays bounded."""
