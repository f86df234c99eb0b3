"""OWL RL reasoning (owlrl): what it adds, kept apart from what was asserted.

The inferred triples are filtered of axiomatic noise (statements about literals,
reflexive ``owl:sameAs``, the built-in vocabulary, ``owl:Thing`` memberships, and
re-typed copies of asserted literals), grouped by kind, and checked for inconsistency
(members of ``owl:Nothing``, disjointness clashes, functional properties with two values).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.namespaces import ID
from kg.store import comparable

ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"
NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}

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
    """What OWL RL added to a graph, and the inconsistencies it found."""

    inferred: Graph
    by_kind: dict[str, list[tuple]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.errors


def _is_instance(term) -> bool:
    """True for the things the graph describes (``id:``), not claims, sources or terms."""
    return isinstance(term, URIRef) and str(term).startswith(str(ID))


def _is_noise(triple) -> bool:
    """Axiomatic or uninformative: about anything but an entity, reflexive ``owl:sameAs``,
    ``owl:Thing``-like types, and copies of literal values under super-properties (such as
    ``rdfs:comment`` for ``ta:note``)."""
    s, p, o = triple
    if not _is_instance(s) or isinstance(o, Literal):
        return True
    if p == OWL.sameAs and s == o:
        return True
    return p == RDF.type and (o in NOISE_TYPES or isinstance(o, BNode))


def _closure(graph: Graph) -> tuple[Graph, list[str]]:
    """Expand a copy of ``graph`` with OWL RL; return it and owlrl's error messages."""
    expanded = Graph()
    for triple in graph:
        expanded.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(expanded)
    errors = []
    for message in expanded.subjects(RDF.type, URIRef(ERROR_NS + "ErrorMessage")):
        errors.extend(str(text) for text in expanded.objects(message, URIRef(ERROR_NS + "error")))
    return expanded, sorted(errors)


def _kind(triple, schema: Graph, asserted: Graph) -> str:
    s, p, o = triple
    if p == RDF.type:
        return KINDS[0]
    inverses = set(schema.objects(p, OWL.inverseOf)) | set(schema.subjects(OWL.inverseOf, p))
    if any((o, q, s) in asserted for q in inverses):
        return KINDS[1]
    if (p, RDF.type, OWL.TransitiveProperty) in schema:
        return KINDS[2]
    if (p, RDF.type, OWL.SymmetricProperty) in schema:
        return KINDS[3]
    if any(schema.subjects(RDFS.subPropertyOf, p)):
        return KINDS[4]
    return KINDS[5]


def _disjointness_clashes(full: Graph) -> list[str]:
    messages = []
    for group in full.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(full.items(full.value(group, OWL.members)))
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                for thing in set(full.subjects(RDF.type, first)) & set(full.subjects(RDF.type, second)):
                    messages.append(f"{thing} is a member of disjoint classes {first} and {second}")
    return messages


def _from_separate_claims(subject, prop, found: set, claims: list[Graph]) -> bool:
    """True when each claim states at most one of the values and together they state all:
    a disagreement between sources (reported by ``kg validate``), not an inconsistency."""
    stated = [{comparable(o) for o in claim.objects(subject, prop)} for claim in claims]
    return all(len(values) <= 1 for values in stated) and set().union(*stated) >= found


def _functional_clashes(full: Graph, schema: Graph, claims: list[Graph]) -> list[str]:
    messages = []
    for prop in sorted(schema.subjects(RDF.type, OWL.FunctionalProperty)):
        values = defaultdict(set)
        for s, o in full.subject_objects(prop):
            if _is_instance(s):
                values[s].add(comparable(o))
        for subject, found in sorted(values.items()):
            if len(found) > 1 and not _from_separate_claims(subject, prop, found, claims):
                shown = ", ".join(sorted(str(v) for v in found))
                messages.append(f"{subject} has {len(found)} values of functional property {prop}: {shown}")
    return messages


def reason(graph: Graph, schema: Graph | None = None, claims: Iterable[Graph] = ()) -> ReasoningResult:
    """Run OWL RL over ``graph`` (ontology and facts together) and report what it added.

    ``schema`` is the ontology alone (used to classify inferences); by default ``graph``.
    ``claims`` are the claims' graphs: two values of a functional property that come from
    different claims are a conflict between sources, not an inconsistency.
    """
    schema = graph if schema is None else schema
    full, errors = _closure(graph)
    inferred = Graph()
    by_kind: dict[str, list[tuple]] = {kind: [] for kind in KINDS}
    for triple in sorted(set(full) - set(graph)):
        if str(triple[1]).startswith(ERROR_NS) or _is_noise(triple):
            continue
        inferred.add(triple)
        by_kind[_kind(triple, schema, graph)].append(triple)
    errors += [f"{thing} is a member of owl:Nothing" for thing in full.subjects(RDF.type, OWL.Nothing)]
    errors += _disjointness_clashes(full) + _functional_clashes(full, schema, list(claims))
    return ReasoningResult(inferred, {k: v for k, v in by_kind.items() if v}, sorted(set(errors)))

