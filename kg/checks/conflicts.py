"""Conflicts between sources: claims that give different values of one thing.

Two kinds: claims giving different values of an ``owl:FunctionalProperty`` of one subject
(:func:`find_conflicts`), and figures of the same measure with different values
(:func:`figure_conflicts`). A reported figure (a ``ta:VehicleFigure`` or a
``ta:BusinessFigure``) is one claim's value on an entity of its own, so that two sources
that disagree never put two values of a functional property on one node (which OWL
reasoners read as an inconsistency). What a figure measures is the combination of what it
is a figure of, its metric and its period (year, month, period as reported, or date).
Conflicts are warnings: ``kg validate`` lists them, never counting them against conformance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from kg.terms import OWL, PROV, RDF, TA, Literal, NamedNode, comparable


@dataclass(frozen=True)
class ClaimedValue:
    """One claim's value in a conflict, with the claim's sources and date."""

    value: NamedNode | Literal
    claim: NamedNode
    sources: tuple[NamedNode, ...]
    stated_on: Literal | None
    figure: NamedNode | None = None
    """The figure entity that carries the value, for a disagreement between figures."""


@dataclass(frozen=True)
class Conflict:
    """Claims that give different values of a functional property of one subject, or
    (``measure`` set) figures of the same measure of ``subject`` with different values."""

    subject: NamedNode
    property: NamedNode
    values: tuple[ClaimedValue, ...]
    measure: str | None = None


# -- values of a functional property ---------------------------------------------------

def claimed(kg, subject=None, prop=None) -> Iterator[tuple[NamedNode, NamedNode, object, NamedNode]]:
    """(subject, property, value, claim) of each claim's statement matching the pattern,
    read from the store's indexes (a SPARQL join over every claim's graph grew faster
    than the graph: 19 s at 1M quads)."""
    for quad in kg.claim_quads(subject, prop, None):
        yield quad.subject, quad.predicate, quad.object, quad.graph_name


def provenance(kg, claim: NamedNode, value, figure: NamedNode | None = None) -> ClaimedValue:
    """``value`` as ``claim`` gives it, with the claim's sources and date."""
    sources = tuple(sorted({q.object for q in kg.quads(claim, PROV.wasDerivedFrom, None)}, key=lambda s: s.value))
    return ClaimedValue(value, claim, sources, kg.value(claim, TA.statedOn), figure)


def _functional_properties(kg) -> list[NamedNode]:
    return sorted({q.subject for q in kg.quads(None, RDF.type, OWL.FunctionalProperty)
                   if isinstance(q.subject, NamedNode)}, key=lambda p: p.value)


def find_conflicts(kg) -> list[Conflict]:
    """Subjects for which claims give different values of an ``owl:FunctionalProperty``,
    then figures of one measure that give different values (:func:`figure_conflicts`)."""
    values: dict[tuple, set] = defaultdict(set)
    for prop in _functional_properties(kg):
        for subject, _, value, claim in claimed(kg, None, prop):
            values[(subject, prop)].add((value, claim))
    conflicts = []
    for (subject, prop), found in values.items():
        if len(found) > 1 and len({comparable(value) for value, _ in found}) > 1:
            claims = (provenance(kg, claim, value) for value, claim in found)
            conflicts.append(Conflict(subject, prop, tuple(sorted(claims, key=lambda v: (v.claim.value, str(v.value))))))
    conflicts.sort(key=lambda c: (c.subject.value, c.property.value))
    return conflicts + figure_conflicts(kg)


# -- figures ------------------------------------------------------------------------------

KINDS = {
    TA.VehicleFigure: (TA.isFigureOf, TA.hasMetric, (TA.vehicleCount,)),
    TA.BusinessFigure: (TA.isBusinessFigureOf, TA.hasBusinessMetric,
                        (TA.amount, TA.quantity, TA.percentage, TA.changePercent)),
}
"""For each class of figure: what links it to what it is a figure of, its metric, its value properties."""
PERIODS = (TA.periodYear, TA.periodMonth, TA.periodLabel, TA.onDate)

@dataclass(frozen=True)
class Measure:
    """What a figure measures: its subjects, metric, period and (for amounts) currency."""

    subjects: tuple
    metric: NamedNode | None
    period: tuple[tuple[str, str], ...]
    currency: str | None

    def describe(self, kg) -> str:
        parts = [kg.label(self.metric) if self.metric is not None else "no metric"]
        parts += [value for _, value in self.period]
        if self.currency:
            parts.append(self.currency)
        return ", ".join(parts)


def _objects(kg, prop: NamedNode) -> dict:
    """Each subject's objects of ``prop``, in one pass over the store's index."""
    found = defaultdict(set)
    for triple in kg.triples(None, prop, None):
        found[triple.subject].add(triple.object)
    return found


class _Measures:
    """The measures of many figures, from one pass per property (not a lookup per figure)."""

    def __init__(self, kg, cls: NamedNode):
        of, metric, _ = KINDS[cls]
        self.of, self.metric = _objects(kg, of), _objects(kg, metric)
        self.periods = [(p.value, _objects(kg, p)) for p in PERIODS]
        self.currency = _objects(kg, TA.currency)

    def of_figure(self, figure: NamedNode, prop: NamedNode) -> Measure:
        """The measure of ``figure`` for its value property ``prop``."""
        subjects = tuple(sorted(self.of.get(figure, ()), key=str))
        period = tuple(sorted({(name, o.value) for name, found in self.periods for o in found.get(figure, ())}))
        currency = min(self.currency.get(figure, ()), key=str, default=None) if prop == TA.amount else None
        metric = min(self.metric.get(figure, ()), key=str, default=None)
        return Measure(subjects, metric, period, None if currency is None else currency.value)


def figure_conflicts(kg) -> list:
    """Measures that several figures give different values of, as
    :class:`kg.checks.validation.Conflict` objects: the subject is what the figures are of,
    the property the value property, and each value names the figure that carries it."""
    found: dict[tuple, set] = defaultdict(set)
    for cls, (_, _, props) in KINDS.items():
        figures = {q.subject for q in kg.quads(None, RDF.type, cls) if isinstance(q.subject, NamedNode)}
        if not figures:
            continue
        measures = _Measures(kg, cls)
        for prop in props:
            for figure, _, value, claim in claimed(kg, None, prop):
                if figure in figures:
                    found[(measures.of_figure(figure, prop), prop)].add((value, claim, figure))
    conflicts = []
    for (measure, prop), values in found.items():
        if len(values) < 2 or len({comparable(value) for value, _, _ in values}) < 2 or not measure.subjects:
            continue
        claims = (provenance(kg, claim, value, figure) for value, claim, figure in values)
        ordered = tuple(sorted(claims, key=lambda v: (v.claim.value, str(v.value), v.figure.value)))
        conflicts.append(Conflict(measure.subjects[0], prop, ordered, measure.describe(kg)))
    return sorted(conflicts, key=lambda c: (c.subject.value, c.property.value, c.measure or ""))
