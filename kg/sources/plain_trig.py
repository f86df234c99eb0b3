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

    Memory stays bounded whatever the size: the body is written to a temporary file as
    it is made (the prefixes it used are known at its end, and go first), the default
    graph subject by subject and each named graph whole (a claim's statements), in an
    order that SQLite sorts on disk."""
    import shutil
    import tempfile

    from kg.sources.canonical import _prologue

    with tempfile.TemporaryFile() as body:
        used, again = _write_body(store, body, default, None)
        if again:  # a graph name was written with a prefix nothing else used
            body.seek(0)
            body.truncate()
            used, _ = _write_body(store, body, default, used)
        out.write(_prologue(used).encode("utf-8"))
        body.seek(0)
        shutil.copyfileobj(body, out)


def _write_body(store, body, default, known: dict[str, str] | None) -> tuple[dict[str, str], bool]:
    """Write the TriG after its prologue to ``body``; return the prefixes it used, and
    whether it must be written again with them as ``known``: with ``known`` None, graph
    names may use any bound prefix, and one that only graph names use is not in the
    prologue (canonical TriG then writes those names in full)."""
    import pyoxigraph

    from kg.sources.canonical import _graph_label
    from kg.terms import to_rdflib

    labels = _CachedLabels()
    for position, pattern, kept in (  # prefixes may be made up for predicates: in this order, as trig() does
        (VERB, "?s ?t ?o", ""),
        (OBJECT, "?s ?p ?o FILTER(isLITERAL(?o) && LANG(?o) = '') BIND(DATATYPE(?o) AS ?t)",
         "FILTER(?t != <http://www.w3.org/2001/XMLSchema#string>)"),  # as rdflib types literals
    ):
        query = (_DISTINCT_TERMS if default is None else _DISTINCT_NAMED_TERMS).format(pattern=pattern, filter=kept)
        for term in sorted(to_rdflib(row[0]) for row in store.query(query, use_default_graph_as_union=False)):
            if not (position == VERB and term in labels.serializer.keywords):
                labels.serializer.get_pname(term, gen_prefix=position == VERB)
    triples = "?s ?p ?o" if default is None else f"GRAPH <{default.value}> {{ ?s ?p ?o }}"
    default = pyoxigraph.DefaultGraph() if default is None else default
    references = {row[0].value: int(row[1].value) for row in store.query(
        f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ {triples} FILTER(isIRI(?o)) }} GROUP BY ?o",
        use_default_graph_as_union=False)}  # the objects of provenance: a few sources and concepts
    with _DiskSort() as subjects:
        previous = None
        for quad in store.quads_for_pattern(None, None, None, default):  # grouped by subject (repeats ignored)
            if quad.subject.value != previous:
                previous = quad.subject.value
                subjects.add(references.get(previous, 0), previous)
        for i, subject in enumerate(subjects.sorted()):
            properties: dict = {}
            for quad in store.quads_for_pattern(pyoxigraph.NamedNode(subject), None, None, default):
                properties.setdefault(labels.term(quad.predicate), []).append(labels.term(quad.object))
            body.write(("\n" if i == 0 else "\n\n").encode("utf-8"))
            body.write(_block(URIRef(subject), properties, labels).encode("utf-8"))
        if previous is not None:
            body.write(b"\n")
    names = Graph(bind_namespaces="none")
    for prefix, namespace in (known if known is not None else dict(labels.serializer.store.namespaces())).items():
        names.bind(prefix, namespace)
    named_with: set[str] = set()
    with _DiskSort() as graphs:
        for graph in store.named_graphs():
            if isinstance(graph, pyoxigraph.NamedNode) and graph != default:
                graphs.add(0, graph.value)
        for name in graphs.sorted():
            graph = pyoxigraph.NamedNode(name)
            triples = [(labels.term(q.subject), labels.term(q.predicate), labels.term(q.object))
                       for q in store.quads_for_pattern(None, None, None, graph)]
            if not triples:
                continue
            block = "\n".join("    " + line if line else "" for line in _body(triples, labels).splitlines())
            label = _graph_label(URIRef(name), names)
            if not label.startswith("<"):
                named_with.add(label.split(":", 1)[0])
            body.write(f"\n{label} {{\n{block}\n}}\n".encode("utf-8"))
    used = labels.prefixes
    return used, known is None and not named_with <= set(used)


class _DiskSort:
    """Distinct texts, each with a count, sorted by count then text by SQLite in a private temporary database, which
    spills to a temporary file beyond its small page cache: bounded memory. Text is
    compared by its UTF-8 bytes, that is by code point, as Python compares strings."""

    def __init__(self):
        import sqlite3

        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("PRAGMA cache_size=-8192")
        self.db.execute("CREATE TABLE k (t TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        self.db.execute("BEGIN")
        self._pending: list = []

    def add(self, count: int, text: str) -> None:
        self._pending.append((count, text))
        if len(self._pending) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT OR IGNORE INTO k (n, t) VALUES (?, ?)", self._pending)
        self._pending = []

    def sorted(self):
        self._flush()
        for (text,) in self.db.execute("SELECT t FROM k ORDER BY n, t"):
            yield text

    def __enter__(self) -> "_DiskSort":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()


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
