"""The OWL RL rules this ontology needs, compiled from it and run over the store's quads.

The ontology is read once (it is small) into tables: the closure of ``rdfs:subClassOf``
and ``rdfs:subPropertyOf``, ``owl:inverseOf`` pairs, symmetric and transitive
properties, ``rdfs:domain`` and ``rdfs:range``. The facts (every triple of the
ontology and the asserted graphs, each once) are read as N-Triples lines that Oxigraph writes, each term kept as its
N-Triples text (no Python object per term, a literal only as "some literal"), closed
under the property rules of OWL RL until nothing is new, then typed:

- ``prp-spo1`` (sub-properties), ``prp-inv1``/``prp-inv2`` (inverses), ``prp-symp``
  (symmetric), ``prp-trp`` (transitive);
- ``prp-dom``, ``prp-rng`` (domains and ranges), ``cax-sco`` (the class hierarchy).

That is what owlrl entails about the graph's entities for the constructs the ontology
uses (a test compares the two), and :func:`check_ontology` refuses an ontology that
uses a construct these rules do not cover (use ``--reasoner owlrl`` for it). The
inconsistency checks (``cax-dw``/``cax-adc``, ``prp-fp``, ``cls-nothing2``) are queries of
:mod:`kg.checks.reasoning`, run whichever engine reasoned. One difference is by design:
two values of a functional object property are reported, not merged through
``owl:sameAs`` (``prp-fp`` with ``eq-rep-*``).
"""

from __future__ import annotations

from collections import defaultdict


from kg.errors import InputError
from kg.namespaces import ID_IRI
from kg.terms import RDF, BlankNode, NamedNode, Triple

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

UNSUPPORTED = (
    "equivalentClass", "equivalentProperty", "sameAs", "intersectionOf", "unionOf", "complementOf",
    "oneOf", "someValuesFrom", "allValuesFrom", "hasValue", "propertyChainAxiom", "hasKey",
    "InverseFunctionalProperty", "IrreflexiveProperty", "AsymmetricProperty", "propertyDisjointWith",
    "AllDisjointProperties", "maxCardinality", "maxQualifiedCardinality", "cardinality", "onProperty",
)
"""OWL terms with OWL RL rules these compiled rules do not run."""
LITERAL = "L"
"""What every literal object becomes: no rule needs its value, only that it is a literal."""


def check_ontology(kg) -> None:
    """Refuse an ontology using an OWL construct these rules do not cover, in one line."""
    values = " ".join(f"owl:{name}" for name in UNSUPPORTED)
    rows = kg.select(f"SELECT DISTINCT ?term WHERE {{ GRAPH kgg:ontology {{ {{ ?s ?term ?o }} UNION {{ ?s a ?term }} }}"
                     f" VALUES ?term {{ {values} }} }}")
    if rows:
        names = ", ".join(sorted("owl:" + row.term.value.rsplit("#", 1)[1] for row in rows))
        raise InputError(f"the ontology uses {names}, which kg's compiled OWL RL rules do not cover: "
                         "reason with --reasoner owlrl")


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
    """The rule tables compiled from the ontology graph, keyed by N-Triples text."""

    def __init__(self, kg):
        direct = defaultdict(lambda: defaultdict(set))
        for row in kg.query(_SCHEMA_QUERY):
            direct[row.kind.value][str(row.a)].add(str(row.b))
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


def _facts(kg, schema: Schema) -> tuple[set, set]:
    """(facts, types) of the merge of every asserted graph and the ontology (the store's
    default graph, :mod:`kg.store.layout`), as text. Only the facts a rule reads or
    writes: those of a property the rules name (the others neither entail nor get
    entailed), found by Oxigraph, which also writes them (no Python object per triple)."""
    named = set(schema.superproperties) | set(schema.inverses) | schema.symmetric | schema.transitive
    named |= set(schema.domains) | set(schema.ranges)
    named |= {q for qs in [*schema.superproperties.values(), *schema.inverses.values()] for q in qs}
    facts, types = set(), set()
    if named:
        data = kg.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {' '.join(sorted(named))} }} ?s ?p ?o }}")
        for line in data.ntriples().decode("utf-8").split("\n"):
            if line:
                s, p, rest = line.split(" ", 2)
                facts.add((s, p, LITERAL if rest[0] == '"' else rest.split(" ", 1)[0]))
    data = kg.query("CONSTRUCT { ?s a ?o } WHERE { ?s a ?o }").ntriples().decode("utf-8")
    for line in data.split("\n"):
        if line:
            s, _, rest = line.split(" ", 2)
            types.add((s, LITERAL if rest[0] == '"' else rest.split(" ", 1)[0]))
    return facts, types


def infer(kg) -> list[Triple]:
    """The triples the rules add to ``kg``'s facts about its entities (``id:`` subjects,
    :func:`kg.terms.is_entity`), not yet filtered of other noise."""
    check_ontology(kg)
    schema = Schema(kg)
    facts, types = _facts(kg, schema)
    asserted_facts, asserted_types = set(facts), set(types)
    _close_properties(facts, schema)
    for s, p, o in facts:
        for cls in schema.domains.get(p, ()):
            types.add((s, cls))
        if o != LITERAL:
            for cls in schema.ranges.get(p, ()):
                types.add((o, cls))
    for thing, cls in list(types):
        for above in schema.superclasses.get(cls, ()):
            types.add((thing, above))
    term, rdf_type, entity = _term, RDF.type, f"<{ID_IRI}"
    new = [Triple(term(s), term(p), term(o)) for s, p, o in facts - asserted_facts
           if o != LITERAL and s.startswith(entity)]
    new += [Triple(term(thing), rdf_type, term(cls)) for thing, cls in types - asserted_types
            if thing.startswith(entity)]
    return new


def _term(text: str):
    """An IRI or blank node from its N-Triples text."""
    if text.startswith("_:"):
        return BlankNode(text[2:])
    return NamedNode(text[1:-1])


def _close_properties(facts: set, schema: Schema) -> None:
    """Add to ``facts`` what sub-properties, inverses, symmetry and transitivity entail."""
    by_subject = defaultdict(set)  # (p, s) -> objects, for transitive properties
    by_object = defaultdict(set)  # (p, o) -> subjects
    transitive, symmetric = schema.transitive, schema.symmetric
    supers, inverses = schema.superproperties, schema.inverses
    for s, p, o in facts:
        if p in transitive:
            by_subject[(p, s)].add(o)
            by_object[(p, o)].add(s)
    delta = list(facts)
    while delta:
        found = []
        for s, p, o in delta:
            for q in supers.get(p, ()):
                found.append((s, q, o))
            if o != LITERAL:
                for q in inverses.get(p, ()):
                    found.append((o, q, s))
                if p in symmetric:
                    found.append((o, p, s))
                if p in transitive:
                    found += [(s, p, x) for x in by_subject.get((p, o), ())]
                    found += [(y, p, o) for y in by_object.get((p, s), ())]
        delta = []
        for triple in found:
            if triple not in facts:
                facts.add(triple)
                delta.append(triple)
                s, p, o = triple
                if p in transitive:
                    by_subject[(p, s)].add(o)
                    by_object[(p, o)].add(s)
