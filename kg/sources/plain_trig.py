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

from collections import Counter
from collections.abc import Iterable, Mapping

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
    blocks = []
    for subject in sorted(by_subject, key=lambda s: (references[s], s)):
        properties = by_subject[subject]
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
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


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
