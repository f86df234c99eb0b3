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
from dataclasses import dataclass

from kg.terms import TA, Literal, NamedNode, comparable

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

_CLAIMED_VALUES_QUERY = """
SELECT ?subject ?property ?value ?claim ?stated (GROUP_CONCAT(STR(?source); separator=" ") AS ?sources)
WHERE {
    GRAPH ?claim { ?subject ?property ?value }
    FILTER (STRSTARTS(STR(?claim), STR(claim:)))
    ?property a owl:FunctionalProperty .
    OPTIONAL { ?claim prov:wasDerivedFrom ?source }
    OPTIONAL { ?claim ta:statedOn ?stated }
}
GROUP BY ?subject ?property ?value ?claim ?stated
"""


def find_conflicts(kg) -> list[Conflict]:
    """Subjects for which claims give different values of an ``owl:FunctionalProperty``,
    then figures of one measure that give different values (:func:`figure_conflicts`)."""
    claimed: dict[tuple, list[ClaimedValue]] = {}
    for row in kg.query(_CLAIMED_VALUES_QUERY):
        sources = tuple(sorted((NamedNode(s) for s in row.sources.value.split()), key=lambda s: s.value))
        claimed.setdefault((row.subject, row.property), []).append(
            ClaimedValue(row.value, row.claim, sources, row.stated)
        )
    return [
        Conflict(subject, prop, tuple(sorted(values, key=lambda v: (v.claim.value, str(v.value)))))
        for (subject, prop), values in sorted(claimed.items(), key=lambda item: (item[0][0].value, item[0][1].value))
        if len({comparable(v.value) for v in values}) > 1
    ] + figure_conflicts(kg)



# -- figures ------------------------------------------------------------------------------

KINDS = {
    TA.VehicleFigure: (TA.isFigureOf, TA.hasMetric, (TA.vehicleCount,)),
    TA.BusinessFigure: (TA.isBusinessFigureOf, TA.hasBusinessMetric,
                        (TA.amount, TA.quantity, TA.percentage, TA.changePercent)),
}
"""For each class of figure: what links it to what it is a figure of, its metric, its value properties."""
PERIODS = (TA.periodYear, TA.periodMonth, TA.periodLabel, TA.onDate)

_FIGURE_VALUES_QUERY = """
SELECT ?figure ?class ?property ?value ?claim ?stated
       (GROUP_CONCAT(STR(?source); separator=" ") AS ?sources)
WHERE {
  VALUES (?class ?property) { __PAIRS__ }
  ?figure a ?class .
  GRAPH ?claim { ?figure ?property ?value }
  FILTER(STRSTARTS(STR(?claim), STR(claim:)))
  OPTIONAL { ?claim prov:wasDerivedFrom ?source }
  OPTIONAL { ?claim ta:statedOn ?stated }
}
GROUP BY ?figure ?class ?property ?value ?claim ?stated"""


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


def measure_of(kg, figure: NamedNode, cls: NamedNode, prop: NamedNode) -> Measure:
    """The measure of ``figure`` (of class ``cls``) for its value property ``prop``."""
    of, metric, _ = KINDS[cls]
    subjects = tuple(sorted({q.object for q in kg.quads(figure, of, None)}, key=str))
    period = tuple(sorted({(p.value, q.object.value) for p in PERIODS for q in kg.quads(figure, p, None)}))
    currency = kg.value(figure, TA.currency) if prop == TA.amount else None
    return Measure(subjects, kg.value(figure, metric), period, None if currency is None else currency.value)


def figure_conflicts(kg) -> list:
    """Measures that several figures give different values of, as
    :class:`kg.checks.validation.Conflict` objects: the subject is what the figures are of,
    the property the value property, and each value names the figure that carries it."""
    pairs = " ".join(f"({cls} {prop})" for cls, (_, _, props) in KINDS.items() for prop in props)
    found: dict[tuple, list] = defaultdict(list)
    measures: dict[tuple, Measure] = {}
    for row in kg.query(_FIGURE_VALUES_QUERY.replace("__PAIRS__", pairs)):
        key = (row.figure, row[1], row.property)
        if key not in measures:
            measures[key] = measure_of(kg, *key)
        sources = tuple(sorted((NamedNode(s) for s in row.sources.value.split()), key=lambda s: s.value))
        found[(measures[key], row.property)].append(ClaimedValue(row.value, row.claim, sources, row.stated, row.figure))
    conflicts = []
    for (measure, prop), values in found.items():
        if len({comparable(v.value) for v in values}) < 2 or not measure.subjects:
            continue
        ordered = tuple(sorted(values, key=lambda v: (v.claim.value, str(v.value), v.figure.value)))
        conflicts.append(Conflict(measure.subjects[0], prop, ordered, measure.describe(kg)))
    return sorted(conflicts, key=lambda c: (c.subject.value, c.property.value, c.measure or ""))
