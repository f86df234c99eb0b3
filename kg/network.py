"""The knowledge graph as a NetworkX network: the one conversion, and its exports.

Nodes are the entities of the ``id:`` namespace that have an ontology class, keyed by
their IRI, with the attributes ``label`` (English), ``label_fr``, ``kind`` (the English
label of the most specific class), ``classes`` (the IRIs of every ontology class the
entity belongs to, superclasses included, space-separated) and one attribute per
property with a literal or a controlled value (``plannedAnnualCapacity=300000``,
``followsRoute="own brand and plant"``; several values are joined with ``"; "``).

Edges are object-property statements between two nodes, keyed by the property's local
name, with the attributes ``property`` (its English label) and ``iri``. Each pair of
``owl:inverseOf`` properties keeps one direction: the property that the ontology
declares with ``owl:inverseOf`` (``operates``, ``hasPhase``, ``hasInvestor``,
``isMemberOf`` ...); a statement made with the other one is turned round. A symmetric
property (``isPartnerOf``) keeps one edge per pair, from the smaller IRI. A fact stated
by several claims is one edge. Analyses that ignore direction use the undirected view.

Sources, claims, classes, controlled values and literals are not nodes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from io import BytesIO

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import InputError
from kg.namespaces import ID

EXPORT_FORMATS = ("graphml", "gexf", "node-link-json")

_ONTOLOGY_QUERY = """
SELECT ?term ?kind ?related WHERE {
  GRAPH kgg:ontology {
    { ?term a owl:Class . BIND("class" AS ?kind) OPTIONAL { ?term rdfs:subClassOf ?related } }
    UNION { ?term a owl:ObjectProperty . BIND("property" AS ?kind) }
    UNION { ?term owl:inverseOf ?related . BIND("inverse" AS ?kind) }
    UNION { ?term a owl:SymmetricProperty . BIND("symmetric" AS ?kind) }
    UNION { ?term a ta:Concept . BIND("concept" AS ?kind) }
  }
}"""


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class _Ontology:
    """What the conversion needs to know about the ontology's terms."""

    def __init__(self, kg):
        self.superclasses: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.properties: set[URIRef] = set()
        self.symmetric: set[URIRef] = set()
        self.concepts: set[URIRef] = set()
        declared_inverses = []
        for term, kind, related in kg.query(_ONTOLOGY_QUERY):
            kind = str(kind)
            if kind == "class":
                self.superclasses[term]
                if related is not None:
                    self.superclasses[term].add(related)
            elif kind == "property":
                self.properties.add(term)
            elif kind == "inverse":
                declared_inverses.append((term, related))
            elif kind == "symmetric":
                self.symmetric.add(term)
            else:
                self.concepts.add(term)
        self.turned = self._turned_properties(declared_inverses)

    @staticmethod
    def _turned_properties(declared: list[tuple[URIRef, URIRef]]) -> dict[URIRef, URIRef]:
        """For each inverse property to turn round, the property kept in its place."""
        turned, seen = {}, set()
        for kept, inverse in sorted(declared):
            if kept not in seen and inverse not in seen:
                turned[inverse] = kept
                seen.update((kept, inverse))
        return turned

    def ancestors(self, cls: URIRef) -> set[URIRef]:
        """``cls`` and every ontology class above it."""
        found, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current in found or current not in self.superclasses:
                continue
            found.add(current)
            todo.extend(self.superclasses[current])
        return found

    def edge(self, s: URIRef, p: URIRef, o: URIRef) -> tuple[URIRef, URIRef, URIRef]:
        """The statement in the direction the network keeps."""
        if p in self.turned:
            return o, self.turned[p], s
        if p in self.symmetric and str(o) < str(s):
            return o, p, s
        return s, p, o


def _python_value(value: Literal):
    """A literal as an int, float or bool where it is one, else its lexical form."""
    native = value.toPython()
    if isinstance(native, bool | int | float):
        return native
    if type(native).__name__ == "Decimal":
        return float(native)
    return str(value)


def _kind(label, classes: frozenset[URIRef], ontology: _Ontology) -> tuple[str, str]:
    """(kind label, space-separated class IRIs) of an entity's asserted classes."""
    every = set().union(*(ontology.ancestors(c) for c in classes))
    above = set().union(*(ontology.ancestors(c) - {c} for c in classes))
    specific = sorted(classes - above)
    kind = " / ".join(sorted(label(c) for c in specific))
    return kind, " ".join(sorted(every))


def _attribute_values(values: set) -> object:
    if len(values) == 1:
        return next(iter(values))
    return "; ".join(sorted(str(v) for v in values))


def _uniform_types(graph) -> None:
    """Make each node attribute one type across nodes, as GraphML and GEXF require."""
    types = defaultdict(set)
    for _, data in graph.nodes(data=True):
        for key, value in data.items():
            types[key].add(type(value))
    mixed = {key for key, found in types.items() if len(found) > 1}
    for _, data in graph.nodes(data=True):
        for key in mixed & data.keys():
            data[key] = str(data[key])


class _Facts:
    """The statements about ``id:`` entities, sorted out for the conversion."""

    def __init__(self, triples, ontology: _Ontology, label):
        self.classes, self.labels = defaultdict(set), defaultdict(set)
        self.values, self.statements = defaultdict(lambda: defaultdict(set)), set()
        for s, p, o in triples:
            if p == RDF.type:
                if o in ontology.superclasses:
                    self.classes[s].add(o)
            elif p == RDFS.label and isinstance(o, Literal):
                if o.language in (None, "en", "fr"):
                    self.labels[(s, "label_fr" if o.language == "fr" else "label")].add(str(o))
            elif isinstance(o, Literal):
                self.values[s][local_name(p)].add(_python_value(o))
            elif o in ontology.concepts:
                self.values[s][local_name(p)].add(label(o))
            elif p in ontology.properties:
                self.statements.add(ontology.edge(s, p, o))

    def attributes(self, node: URIRef, kind: str, classes: str) -> dict:
        """The node's attributes: labels, kind, classes, then literal and controlled values."""
        attributes = {"label": min(self.labels.get((node, "label")) or {local_name(node)})}
        if self.labels.get((node, "label_fr")):
            attributes["label_fr"] = min(self.labels[(node, "label_fr")])
        attributes.update(kind=kind, classes=classes)
        for key in sorted(self.values[node]):
            attributes.setdefault(key, _attribute_values(self.values[node][key]))
        return attributes


def to_networkx(kg, inferred: bool = False):
    """The knowledge graph as a :class:`networkx.MultiDiGraph` (see the module doc).

    With ``inferred``, triples of ``kgg:inferred`` count too (run ``kg.reason()`` first).
    """
    import networkx as nx

    ontology = _Ontology(kg)
    label = lru_cache(maxsize=None)(kg.label)
    kinds = lru_cache(maxsize=None)(lambda found: _kind(label, found, ontology))
    prefix = str(ID)
    triples = kg.union() if inferred else kg.asserted()
    facts = _Facts((t for t in triples if t[0].startswith(prefix)), ontology, label)
    graph = nx.MultiDiGraph()
    for node in sorted(facts.classes, key=str):
        graph.add_node(str(node), **facts.attributes(node, *kinds(frozenset(facts.classes[node]))))
    edges = {(str(s), str(o), p) for s, p, o in facts.statements if s in facts.classes and o in facts.classes}
    for u, v, p in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]))):
        graph.add_edge(u, v, key=local_name(p), property=label(p), iri=str(p))
    _uniform_types(graph)
    return graph


def network_export(kg, fmt: str, inferred: bool = False) -> bytes:
    """The network of ``kg`` as GraphML, GEXF or node-link JSON; same graph, same bytes.

    With ``inferred``, triples of ``kgg:inferred`` count too (see :func:`to_networkx`).
    """
    writers = {"graphml": _graphml, "gexf": _gexf, "node-link-json": _node_link_json}
    if fmt not in writers:
        raise InputError(f"unknown network format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    return writers[fmt](to_networkx(kg, inferred=inferred))


def _graphml(graph) -> bytes:
    import networkx as nx

    buffer = BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    return buffer.getvalue()


def _gexf(graph) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(graph)
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)  # today's date would change the bytes
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _node_link_json(graph) -> bytes:
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

