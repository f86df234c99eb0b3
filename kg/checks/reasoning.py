"""OWL RL reasoning: what it adds, kept apart from what was asserted, and whether the
graph is consistent.

Two engines compute the same entailments: ``rules`` (the default: the OWL RL rules the
ontology needs, compiled from it and run on the store, :mod:`kg.checks.rules`) and
``owlrl`` (the reference: the full OWL RL closure by the owlrl library, on an rdflib copy
of the graph). What they add is filtered of axiomatic noise (statements about anything
but the graph's entities, literal values, reflexive ``owl:sameAs``, ``owl:Thing``-like
types), grouped by kind, and checked for inconsistency (members of ``owl:Nothing``,
disjointness clashes, functional properties with two values) with the same queries
whichever engine ran.

:meth:`kg.store.KnowledgeGraph.reason` runs :func:`infer`, keeps the inferences, then
asks :func:`report`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph

from kg.checks import DEFAULT_REASONER as DEFAULT_ENGINE
from kg.checks import REASONERS as ENGINES
from kg.terms import OWL, RDF, RDFS, BlankNode, Literal, Triple, comparable, is_entity
ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"
NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_TYPE, _SAME_AS = RDF.type, OWL.sameAs

KINDS = (
    "types from the class hierarchy, domains and ranges",
    "inverse links",
    "transitive links",
    "symmetric links",
    "links from super-properties",
    "other",
)


@dataclass
class ReasoningResult:
    """What reasoning added to a graph, and the inconsistencies it found."""

    inferred: list[Triple]
    by_kind: dict[str, list[Triple]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    reasoner: str = DEFAULT_ENGINE

    @property
    def consistent(self) -> bool:
        return not self.errors

    def __contains__(self, triple) -> bool:
        return Triple(*triple) in set(self.inferred)


def is_noise(triple: Triple) -> bool:
    """Axiomatic or uninformative: about anything but an entity, a literal value,
    reflexive ``owl:sameAs``, ``owl:Thing``-like or blank-node types."""
    s, p, o = triple.subject, triple.predicate, triple.object
    if not is_entity(s) or isinstance(o, Literal):
        return True
    if p == _SAME_AS and s == o:
        return True
    return p == _TYPE and (o in NOISE_TYPES or isinstance(o, BlankNode))


def infer(kg, engine: str | None = None) -> tuple[list[Triple], list[str]]:
    """The filtered, sorted triples that ``engine`` entails beyond what ``kg`` asserts,
    and the engine's own error messages."""
    engine = engine or DEFAULT_ENGINE
    if engine == "owlrl":
        triples, errors = _owlrl(kg)
    elif engine == "rules":
        from kg.checks import rules

        triples, errors = rules.infer(kg), []
    else:
        from kg.errors import InputError

        raise InputError(f"--reasoner {engine}: unknown (known: {', '.join(ENGINES)})")
    kept = {t for t in triples if not is_noise(t)}
    if engine == "owlrl":  # the rules give only what the store does not hold already
        kept = {t for t in kept if not kg.has(t.subject, t.predicate, t.object)}
    return sorted(kept, key=lambda t: (t.subject.value, t.predicate.value, str(t.object))), errors


def _owlrl(kg) -> tuple[list[Triple], list[str]]:
    """owlrl's OWL RL closure of ontology and facts, as new triples and error messages."""
    import owlrl
    from rdflib import URIRef
    from rdflib.namespace import RDF as RDFLIB_RDF

    from kg.terms import from_rdflib

    graph = kg.rdflib_graph(ontology=True, asserted=True)
    before = set(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = []
    for message in graph.subjects(RDFLIB_RDF.type, URIRef(ERROR_NS + "ErrorMessage")):
        errors.extend(str(text) for text in graph.objects(message, URIRef(ERROR_NS + "error")))
    new = []
    for s, p, o in set(graph) - before:
        if str(p).startswith(ERROR_NS):
            continue
        try:
            new.append(Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)))
        except (TypeError, ValueError):  # a literal in subject position (owlrl's datatype rules)
            continue
    return new, sorted(errors)


# -- what the inferences are, and whether the graph is consistent -------------------------

_SCHEMA_QUERY = """
SELECT ?p ?kind ?q WHERE { GRAPH kgg:ontology {
  { ?p owl:inverseOf ?q BIND("inverse" AS ?kind) }
  UNION { ?q owl:inverseOf ?p BIND("inverse" AS ?kind) }
  UNION { ?p a owl:TransitiveProperty BIND("transitive" AS ?kind) }
  UNION { ?p a owl:SymmetricProperty BIND("symmetric" AS ?kind) }
  UNION { ?q rdfs:subPropertyOf ?p BIND("super" AS ?kind) }
} }"""

_DISJOINT_QUERY = """
SELECT DISTINCT ?thing ?first ?second WHERE {
  GRAPH kgg:ontology { ?group a owl:AllDisjointClasses ; owl:members ?list .
                       ?list rdf:rest*/rdf:first ?first . ?list rdf:rest*/rdf:first ?second }
  FILTER(STR(?first) < STR(?second))
  ?thing a ?first , ?second .
}"""

_NOTHING_QUERY = "SELECT DISTINCT ?thing WHERE { ?thing a owl:Nothing }"

_FUNCTIONAL_QUERY = "SELECT ?property WHERE { GRAPH kgg:ontology { ?property a owl:FunctionalProperty } }"



def report(kg, inferred: list[Triple], engine_errors: list[str], engine: str) -> ReasoningResult:
    """Group ``inferred`` by kind and check ``kg`` (its inferences kept) for inconsistency."""
    schema = defaultdict(lambda: defaultdict(set))
    for row in kg.query(_SCHEMA_QUERY):
        schema[row.kind.value][row.p].add(row.q)
    by_kind: dict[str, list[Triple]] = {kind: [] for kind in KINDS}
    for triple in inferred:
        by_kind[_kind(kg, triple, schema)].append(triple)
    errors = list(engine_errors)
    errors += [f"{r.thing.value} is a member of owl:Nothing" for r in kg.query(_NOTHING_QUERY, inferred=True)]
    errors += [f"{r.thing.value} is a member of disjoint classes {r.first.value} and {r.second.value}"
               for r in kg.query(_DISJOINT_QUERY, inferred=True)]
    errors += _functional_clashes(kg)
    return ReasoningResult(inferred, {k: v for k, v in by_kind.items() if v}, sorted(set(errors)), engine)


def _kind(kg, triple: Triple, schema) -> str:
    s, p, o = triple.subject, triple.predicate, triple.object
    if p == _TYPE:
        return KINDS[0]
    if any(kg.has(o, q, s) for q in schema["inverse"].get(p, ())):
        return KINDS[1]
    for kind, name in ((KINDS[2], "transitive"), (KINDS[3], "symmetric"), (KINDS[4], "super")):
        if p in schema[name]:
            return kind
    return KINDS[5]


def _functional_clashes(kg) -> list[str]:
    """Anything with two different values of a functional property (compared by value,
    so 300000 and 300000.0 are one), whether one claim or several state them: OWL DL
    reasoners find such a graph inconsistent. Sources that disagree on a figure give one
    figure each (see ``kg/facts/README.md``), and ``kg validate`` reports them as conflicts."""
    properties = " ".join(str(row.property) for row in kg.query(_FUNCTIONAL_QUERY))
    if not properties:
        return []
    text = kg.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {properties} }} ?s ?p ?o }}",
                    inferred=True).ntriples()
    objects = defaultdict(set)  # (subject, property) as N-Triples -> objects as N-Triples
    for line in text.splitlines():
        subject, prop, rest = line.split(b" ", 2)
        objects[(subject, prop)].add(rest)
    two = b"".join(s + b" " + p + b" " + o + b"\n" for (s, p), found in objects.items() if len(found) > 1 for o in found)
    values = {}
    for triple in sorted(pyoxigraph.parse(two, format=pyoxigraph.RdfFormat.N_TRIPLES), key=str):
        found = values.setdefault((triple.subject, triple.predicate), {})  # 300000 and 300000.0 are one value
        found.setdefault(comparable(triple.object), triple.object)
    messages = []
    for (subject, prop), found in sorted(values.items(), key=lambda item: (str(item[0][0]), item[0][1].value)):
        if len(found) > 1:
            shown = ", ".join(sorted(v.value for v in found.values()))
            messages.append(f"{subject.value} has {len(found)} values of functional property {prop.value}: {shown}")
    return messages


def describe(kg, triple: Triple) -> str:
    """``label —property→ label`` of an inferred triple, for people."""
    s, p, o = triple.subject, triple.predicate, triple.object
    obj = o.value if isinstance(o, Literal) else kg.label(o)
    return f"{kg.label(s)} —{kg.label(p)}→ {obj}"

