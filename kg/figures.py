"""Figures that measure the same thing: where sources disagree on a count or an amount.

A reported figure (a ``ta:VehicleFigure`` or a ``ta:BusinessFigure``) is one claim's value
on an entity of its own, so that two sources that disagree never put two values of a
functional property on one node (which OWL reasoners read as an inconsistency). What a
figure measures is the combination of what it is a figure of, its metric and its period
(year, month, period as reported, or date). Figures with the same measure whose values
differ are a disagreement between sources: :func:`figure_conflicts` reports them in the
same form as the functional-property conflicts of :func:`kg.validation.conflicts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from kg.namespaces import TA
from kg.store import KnowledgeGraph, comparable


@dataclass(frozen=True)
class FigureKind:
    """How one class of figure says what it measures and what value it gives."""

    cls: URIRef
    of: URIRef
    metric: URIRef
    values: tuple[URIRef, ...]


KINDS = (
    FigureKind(TA.VehicleFigure, TA.isFigureOf, TA.hasMetric, (TA.vehicleCount,)),
    FigureKind(TA.BusinessFigure, TA.isBusinessFigureOf, TA.hasBusinessMetric,
               (TA.amount, TA.quantity, TA.percentage, TA.changePercent)),
)
PERIODS = (TA.periodYear, TA.periodMonth, TA.periodLabel, TA.onDate)

@dataclass(frozen=True)
class Measure:
    """What a figure measures: its subjects, metric, period and (for amounts) currency."""

    subjects: tuple[Node, ...]
    metric: Node | None
    period: tuple[tuple[str, str], ...]
    currency: str | None

    def describe(self, kg: KnowledgeGraph) -> str:
        parts = [kg.label(self.metric) if isinstance(self.metric, URIRef) else "no metric"]
        parts += [value for _, value in self.period]
        if self.currency:
            parts.append(self.currency)
        return ", ".join(parts)


def measure_of(kg: KnowledgeGraph, figure: Node, kind: FigureKind, prop: URIRef) -> Measure:
    """The measure of ``figure`` for its value property ``prop``."""
    graph = kg.dataset
    subjects = tuple(sorted(set(graph.objects(figure, kind.of)), key=str))
    period = tuple(sorted({(str(p), str(v)) for p in PERIODS for v in graph.objects(figure, p)}))
    currency = graph.value(figure, TA.currency) if prop == TA.amount else None
    return Measure(subjects, graph.value(figure, kind.metric), period, None if currency is None else str(currency))


def figure_conflicts(kg: KnowledgeGraph):
    """Measures that several figures give different values of, as :class:`kg.validation.Conflict`
    objects: the subject is what the figures are of, the property the value property, and each
    value names the figure that carries it."""
    from rdflib.namespace import PROV, RDF

    from kg.validation import ClaimedValue, Conflict

    dataset = kg.dataset
    figures = {kind: set(dataset.subjects(RDF.type, kind.cls)) for kind in KINDS}
    found: dict[tuple, list] = {}
    for graph in kg.claim_graphs():
        claim = graph.identifier
        sources = stated = None
        for kind in KINDS:
            for figure in figures[kind] & set(graph.subjects()):
                for prop in kind.values:
                    for value in graph.objects(figure, prop):
                        if sources is None:
                            sources = tuple(sorted(dataset.objects(claim, PROV.wasDerivedFrom), key=str))
                            stated = dataset.value(claim, TA.statedOn)
                        measure = measure_of(kg, figure, kind, prop)
                        found.setdefault((measure, prop), []).append(ClaimedValue(value, claim, sources, stated, figure))
    conflicts = []
    for (measure, prop), values in found.items():
        if len({comparable(v.value) for v in values}) < 2 or not measure.subjects:
            continue
        ordered = tuple(sorted(values, key=lambda v: (str(v.claim), str(v.value), str(v.figure))))
        conflicts.append(Conflict(measure.subjects[0], prop, ordered, measure.describe(kg)))
    return sorted(conflicts, key=lambda c: (str(c.subject), str(c.property), c.measure or ""))
