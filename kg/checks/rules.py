"""The OWL RL rules this ontology needs, compiled from it and run over the store's quads.

The ontology is read once (it is small) into tables: the closure of ``rdfs:subClassOf``
and ``rdfs:subPropertyOf``, ``owl:inverseOf`` pairs, symmetric and transitive
properties, ``rdfs:domain`` and ``rdfs:range``. The facts (every quad outside
``kgg:ontology``) are then closed under the property rules of OWL RL, until nothing is
new, and typed:

- ``prp-spo1`` (sub-properties), ``prp-inv1``/``prp-inv2`` (inverses), ``prp-symp``
  (symmetric), ``prp-trp`` (transitive);
- ``prp-dom``, ``prp-rng`` (domains and ranges), ``cax-sco`` (the class hierarchy).

That is what owlrl entails about the graph's entities for the constructs the ontology
uses (a test compares the two); the inconsistency checks (``cax-dw``/``cax-adc``,
``prp-fp``, ``cls-nothing2``) are queries of :mod:`kg.checks.reasoning`, run whichever
engine reasoned. One difference is by design: two values of a functional object
property are reported, not merged through ``owl:sameAs`` (``prp-fp`` with ``eq-rep-*``).
"""

from __future__ import annotations

from collections import defaultdict

from kg.terms import INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF, Literal, Triple

_SCHEMA_QUERY = """
SELECT ?kind ?a ?b WHERE { GRAPH kgg:ontology {
  { ?a rdfs:subClassOf ?b BIND("subclass" AS ?kind) }
  UNION { ?a rdfs:subPropertyOf ?b BIND("subproperty" AS ?kind) }
  UNION { ?a owl:inverseOf ?b BIND("inverse" AS ?kind) }
  UNION { ?a a owl:SymmetricProperty BIND("symmetric" AS ?kind) }
  UNION { ?a a owl:TransitiveProperty BIND("transitive" AS ?kind) }
  UNION { ?a rdfs:domain ?b BIND("domain" AS ?kind) }
  UNION { ?a rdfs:range ?b BIND("range" AS ?kind) }
} }"""


def _closure(pairs: dict) -> dict:
    """For each key, everything reachable from it (itself excluded unless on a cycle)."""
    closed = {}
    for start in pairs:
        seen, todo = set(), list(pairs[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(pairs.get(node, ()))
        closed[start] = seen
    return closed


class Schema:
    """The rule tables compiled from the ontology graph of a knowledge graph."""

    def __init__(self, kg):
        direct = defaultdict(lambda: defaultdict(set))
        for row in kg.query(_SCHEMA_QUERY):
            direct[row.kind.value][row.a].add(row.b)
        self.superclasses = _closure(direct["subclass"])
        self.superproperties = _closure(direct["subproperty"])
        self.inverses = defaultdict(set)
        for a, bs in direct["inverse"].items():
            for b in bs:
                self.inverses[a].add(b)
                self.inverses[b].add(a)
        self.symmetric = set(direct["symmetric"])
        self.transitive = set(direct["transitive"])
        self.domains = {p: set(c) for p, c in direct["domain"].items()}
        self.ranges = {p: set(c) for p, c in direct["range"].items()}


def infer(kg) -> list[Triple]:
    """The triples the rules add to ``kg``'s facts (not yet filtered of noise)."""
    schema = Schema(kg)
    facts, types = set(), set()
    for quad in kg.store.quads_for_pattern(None, None, None, None):
        if quad.graph_name == ONTOLOGY_GRAPH or quad.graph_name == INFERRED_GRAPH:
            continue
        if quad.predicate == RDF.type:
            types.add((quad.subject, quad.object))
        else:
            facts.add((quad.subject, quad.predicate, quad.object))
    asserted_facts, asserted_types = set(facts), set(types)
    _close_properties(facts, schema)
    for s, p, o in facts:
        for cls in schema.domains.get(p, ()):
            types.add((s, cls))
        if not isinstance(o, Literal):
            for cls in schema.ranges.get(p, ()):
                types.add((o, cls))
    for thing, cls in list(types):
        for above in schema.superclasses.get(cls, ()):
            types.add((thing, above))
    new = [Triple(s, p, o) for s, p, o in facts - asserted_facts]
    new += [Triple(thing, RDF.type, cls) for thing, cls in types - asserted_types]
    return new


def _close_properties(facts: set, schema: Schema) -> None:
    """Add to ``facts`` what sub-properties, inverses, symmetry and transitivity entail."""
    by_subject = defaultdict(set)  # (p, s) -> objects, for transitive properties
    by_object = defaultdict(set)  # (p, o) -> subjects
    for s, p, o in facts:
        if p in schema.transitive:
            by_subject[(p, s)].add(o)
            by_object[(p, o)].add(s)
    delta = list(facts)
    while delta:
        found = []
        for s, p, o in delta:
            for q in schema.superproperties.get(p, ()):
                found.append((s, q, o))
            if not isinstance(o, Literal):
                for q in schema.inverses.get(p, ()):
                    found.append((o, q, s))
                if p in schema.symmetric:
                    found.append((o, p, s))
                if p in schema.transitive:
                    found += [(s, p, x) for x in by_subject.get((p, o), ())]
                    found += [(y, p, o) for y in by_object.get((p, s), ())]
        delta = []
        for triple in found:
            if triple not in facts:
                facts.add(triple)
                delta.append(triple)
                s, p, o = triple
                if p in schema.transitive:
                    by_subject[(p, s)].add(o)
                    by_object[(p, o)].add(s)
