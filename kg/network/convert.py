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

from collections import defaultdict
from functools import lru_cache

from kg.terms import ONTOLOGY_GRAPH, RDF, RDFS, Literal, NamedNode, is_entity, python_value


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
    text = iri.value if isinstance(iri, NamedNode) else str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class _Ontology:
    """What the conversion needs to know about the ontology's terms."""

    def __init__(self, kg):
        self.superclasses: dict[NamedNode, set[NamedNode]] = defaultdict(set)
        self.properties: set[NamedNode] = set()
        self.symmetric: set[NamedNode] = set()
        self.concepts: set[NamedNode] = set()
        declared_inverses = []
        for term, kind, related in kg.query(_ONTOLOGY_QUERY):
            kind = kind.value
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
    def _turned_properties(declared: list[tuple[NamedNode, NamedNode]]) -> dict[NamedNode, NamedNode]:
        """For each inverse property to turn round, the property kept in its place."""
        turned, seen = {}, set()
        for kept, inverse in sorted(declared, key=lambda pair: (pair[0].value, pair[1].value)):
            if kept not in seen and inverse not in seen:
                turned[inverse] = kept
                seen.update((kept, inverse))
        return turned

    def ancestors(self, cls: NamedNode) -> set[NamedNode]:
        """``cls`` and every ontology class above it."""
        found, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current in found or current not in self.superclasses:
                continue
            found.add(current)
            todo.extend(self.superclasses[current])
        return found

    def edge(self, s: NamedNode, p: NamedNode, o: NamedNode) -> tuple[NamedNode, NamedNode, NamedNode]:
        """The statement in the direction the network keeps."""
        if p in self.turned:
            return o, self.turned[p], s
        if p in self.symmetric and o.value < s.value:
            return o, p, s
        return s, p, o


def _python_value(value: Literal):
    """A literal as an int, float or bool where it is one, else its lexical form."""
    native = python_value(value)
    if isinstance(native, bool | int | float):
        return native
    if type(native).__name__ == "Decimal":
        return float(native)
    return value.value


def _kind(label, classes: frozenset[NamedNode], ontology: _Ontology) -> tuple[str, str]:
    """(kind label, space-separated class IRIs) of an entity's asserted classes."""
    every = set().union(*(ontology.ancestors(c) for c in classes))
    above = set().union(*(ontology.ancestors(c) - {c} for c in classes))
    specific = classes - above
    kind = " / ".join(sorted(label(c) for c in specific))
    return kind, " ".join(sorted(c.value for c in every))


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
                    self.labels[(s, "label_fr" if o.language == "fr" else "label")].add(o.value)
            elif isinstance(o, Literal):
                self.values[s][local_name(p)].add(_python_value(o))
            elif o in ontology.concepts:
                self.values[s][local_name(p)].add(label(o))
            elif p in ontology.properties:
                self.statements.add(ontology.edge(s, p, o))

    def attributes(self, node: NamedNode, kind: str, classes: str) -> dict:
        """The node's attributes: labels, kind, classes, then literal and controlled values."""
        attributes = {"label": min(self.labels.get((node, "label")) or {local_name(node)})}
        if self.labels.get((node, "label_fr")):
            attributes["label_fr"] = min(self.labels[(node, "label_fr")])
        attributes.update(kind=kind, classes=classes)
        for key in sorted(self.values[node]):
            attributes.setdefault(key, _attribute_values(self.values[node][key]))
        return attributes


def nearby(kg, entity: NamedNode, radius: int) -> set[NamedNode]:
    """Every ``id:`` entity within ``radius`` links of ``entity``, in either direction,
    found in the store (a superset of the network's neighbourhood: any link counts)."""
    found, frontier = {entity}, {entity}
    for _ in range(max(radius, 0)):
        reached = set()
        for node in frontier:
            reached.update(q.object for q in kg.quads(node, None, None) if is_entity(q.object))
            reached.update(q.subject for q in kg.quads(None, None, node) if is_entity(q.subject))
        frontier = reached - found
        found |= frontier
    return found


def to_networkx(kg, inferred: bool = False, nodes: set[NamedNode] | None = None):
    """The knowledge graph as a :class:`networkx.MultiDiGraph` (see the module doc).

    With ``inferred``, triples of ``kgg:inferred`` count too (run ``kg.reason()`` first).
    With ``nodes``, only the statements about them (read one node at a time from the store).
    """
    import networkx as nx

    ontology = _Ontology(kg)
    label = lru_cache(maxsize=None)(kg.label)
    kinds = lru_cache(maxsize=None)(lambda found: _kind(label, found, ontology))
    quads = kg.quads(inferred=inferred) if nodes is None else (
        q for node in sorted(nodes, key=lambda n: n.value) for q in kg.quads(node, None, None, inferred=inferred))
    triples = ((q.subject, q.predicate, q.object) for q in quads
               if q.graph_name != ONTOLOGY_GRAPH and is_entity(q.subject))
    facts = _Facts(triples, ontology, label)
    graph = nx.MultiDiGraph()
    for node in sorted(facts.classes, key=lambda n: n.value):
        graph.add_node(node.value, **facts.attributes(node, *kinds(frozenset(facts.classes[node]))))
    edges = {(s.value, o.value, p) for s, p, o in facts.statements if s in facts.classes and o in facts.classes}
    for u, v, p in sorted(edges, key=lambda e: (e[0], e[1], e[2].value)):
        graph.add_edge(u, v, key=local_name(p), property=label(p), iri=p.value)
    _uniform_types(graph)
    return graph
