"""SHACL validation of the knowledge graph with pySHACL, and conflicts between claims.

The data graph is every asserted triple plus ``s ta:isStatedIn claim`` for each subject
of each claim's named graph (the facts files do not write those). pySHACL validates it
against the shipped shapes, with the ontology mixed in and no inference. Conflicts (two
claims giving different values of a functional property of one subject, or figures of the
same measure with different values, see :mod:`kg.figures`) are warnings: listed, never
counted against conformance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from dataclasses import dataclass
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.paths import AlternativePath, InvPath, Path as PropertyPath, SequencePath
from rdflib.term import Node

from kg import loading, resources
from kg.errors import KgError
from kg.namespaces import ONTOLOGY_GRAPH, SH, TA
from kg.store import KnowledgeGraph, comparable

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Result:
    """One result of the SHACL report."""

    focus_node: Node
    path: URIRef | PropertyPath | None
    value: Node | None
    severity: str
    message: str
    source_shape: Node
    constraint_component: URIRef

    def sort_key(self) -> tuple:
        return (str(self.focus_node), SEVERITIES.index(self.severity), str(self.source_shape),
                _path_text(self.path), str(self.value), self.message)


@dataclass(frozen=True)
class ValidationReport:
    """The SHACL results, sorted by focus node; conforms when none is a violation."""

    results: list[Result]

    @property
    def violations(self) -> int:
        return sum(r.severity == "Violation" for r in self.results)

    @property
    def warnings(self) -> int:
        """Results that are not violations (warnings and infos)."""
        return sum(r.severity != "Violation" for r in self.results)

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    def by_focus_node(self) -> dict[Node, list[Result]]:
        """The results grouped by focus node, in report order."""
        groups: dict[Node, list[Result]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)
        return groups


@dataclass(frozen=True)
class ClaimedValue:
    """One claim's value in a conflict, with the claim's sources and date."""

    value: Node
    claim: URIRef
    sources: tuple[URIRef, ...]
    stated_on: Literal | None
    figure: Node | None = None
    """The figure entity that carries the value, for a disagreement between figures."""


@dataclass(frozen=True)
class Conflict:
    """Claims that give different values of a functional property of one subject, or
    (``measure`` set) figures of the same measure of ``subject`` with different values."""

    subject: Node
    property: URIRef
    values: tuple[ClaimedValue, ...]
    measure: str | None = None


# -- validation --------------------------------------------------------------------------


def load_shapes(paths: Iterable[Path] | None = None, allow_network: bool = False) -> Graph:
    """The shipped shapes graph (every Turtle file of ``ontology/shapes``), or the shapes
    in ``paths``; a user's shapes get the same checks as a user's queries."""
    from kg import safety

    shapes = Graph()
    for path in resources.shapes_files() if paths is None else paths:
        shapes += loading.read_graph(path)
    if paths is not None:
        safety.check_shapes(shapes, allow_network)
    return shapes


def stated_in(kg: KnowledgeGraph) -> Iterator[tuple[Node, URIRef, URIRef]]:
    """``s ta:isStatedIn claim`` for each subject of each claim's named graph."""
    for subject, claims in kg.entity_sources().items():
        for claim in claims:
            yield subject, TA.isStatedIn, claim


def data_graph(kg: KnowledgeGraph) -> Graph:
    """The asserted triples plus the derived ``ta:isStatedIn`` triples."""
    data = kg.asserted()
    for triple in stated_in(kg):
        data.add(triple)
    return data


def validate(kg: KnowledgeGraph, shapes: Graph | None = None, allow_network: bool = False) -> ValidationReport:
    """Validate ``kg`` against ``shapes`` (default: the shipped shapes) with pySHACL, under
    :func:`kg.safety.guard` (no network unless ``allow_network``, no other files)."""
    import pyshacl

    from kg import safety

    with safety.guard(network=allow_network):
        _, results_graph, text = pyshacl.validate(
            data_graph(kg),
            shacl_graph=shapes if shapes is not None else load_shapes(),
            ont_graph=kg.graph(ONTOLOGY_GRAPH),
            inference="none",
            advanced=True,
            meta_shacl=False,
            allow_warnings=True,
        )
    if not isinstance(results_graph, Graph):  # pySHACL could not run the shapes
        raise KgError(f"the shapes cannot be run: {' '.join(text.split())}")
    return parse_results(results_graph)


def parse_results(results_graph: Graph) -> ValidationReport:
    """The top-level results of a SHACL validation report graph."""
    results = [_result(results_graph, node) for node in results_graph.objects(None, SH.result)]
    return ValidationReport(sorted(results, key=Result.sort_key))


def _result(graph: Graph, node: Node) -> Result:
    value = graph.value(node, SH.value)
    path = graph.value(node, SH.resultPath)
    message = str(graph.value(node, SH.resultMessage) or "")
    if value is not None:  # pySHACL fills {$value} only in SPARQL-based messages
        message = re.sub(r"\{[$?]value\}", lambda _: str(value), message)
    return Result(
        focus_node=graph.value(node, SH.focusNode),
        path=_property_path(graph, path) if path is not None else None,
        value=value,
        severity=str(graph.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
        message=message,
        source_shape=graph.value(node, SH.sourceShape),
        constraint_component=graph.value(node, SH.sourceConstraintComponent),
    )


def _property_path(graph: Graph, node: Node) -> URIRef | PropertyPath:
    """A SHACL path node as an rdflib path (IRI, inverse, alternative or sequence)."""
    if isinstance(node, URIRef):
        return node
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return InvPath(_property_path(graph, inverse))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return AlternativePath(*(_property_path(graph, n) for n in Collection(graph, alternatives)))
    if graph.value(node, RDF.first) is not None:
        return SequencePath(*(_property_path(graph, n) for n in Collection(graph, node)))
    raise ValueError(f"unsupported SHACL path {node!r}")


def _path_text(path: URIRef | PropertyPath | None, namespace_manager=None) -> str:
    """A path in SPARQL syntax (an IRI alone as a plain string when no prefixes given)."""
    if path is None:
        return ""
    if isinstance(path, URIRef) and namespace_manager is None:
        return str(path)
    return path.n3(namespace_manager)


# -- conflicts ---------------------------------------------------------------------------

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


def conflicts(kg: KnowledgeGraph) -> list[Conflict]:
    """Subjects for which claims give different values of an ``owl:FunctionalProperty``,
    then figures of one measure that give different values (:func:`kg.figures.figure_conflicts`)."""
    from kg.figures import figure_conflicts

    claimed: dict[tuple[Node, URIRef], list[ClaimedValue]] = {}
    for row in kg.query(_CLAIMED_VALUES_QUERY):
        sources = tuple(sorted(URIRef(s) for s in str(row.sources).split()))
        claimed.setdefault((row.subject, row.property), []).append(
            ClaimedValue(row.value, row.claim, sources, row.stated)
        )
    return [
        Conflict(subject, prop, tuple(sorted(values, key=lambda v: (str(v.claim), str(v.value)))))
        for (subject, prop), values in sorted(claimed.items(), key=lambda item: tuple(map(str, item[0])))
        if len({comparable(v.value) for v in values}) > 1
    ] + figure_conflicts(kg)


# -- rendering ---------------------------------------------------------------------------


def render_text(report: ValidationReport, conflicts: list[Conflict], kg: KnowledgeGraph) -> str:
    """The report for people: results by focus node, conflicts, then a summary line."""
    name = _namer(kg)
    lines = []
    for focus, results in report.by_focus_node().items():
        lines.append(f"{name(focus)} ({kg.label(focus)})")
        for r in results:
            path = f" [{_path_text(r.path, kg.dataset.namespace_manager)}]" if r.path is not None else ""
            lines.append(f"  {r.severity}: {r.message}{path}")
    if conflicts:
        lines.append("Conflicts (warnings):")
        for conflict in conflicts:
            measure = f" [{conflict.measure}]" if conflict.measure else ""
            lines.append(f"  {name(conflict.subject)} ({kg.label(conflict.subject)}) {name(conflict.property)}{measure}:")
            for v in conflict.values:
                sources = ", ".join(name(s) for s in v.sources) or "no source"
                stated = f", stated on {v.stated_on}" if v.stated_on is not None else ""
                figure = f" on {name(v.figure)}" if v.figure is not None else ""
                lines.append(f"    {name(v.value)}{figure} in {name(v.claim)} (from {sources}{stated})")
    verdict = "yes" if report.conforms else "no"
    lines.append(
        f"conforms: {verdict} ({report.violations} violations, {report.warnings} warnings, "
        f"{len(conflicts)} conflicts)"
    )
    return "\n".join(lines) + "\n"


def _namer(kg: KnowledgeGraph):
    manager = kg.dataset.namespace_manager
    return lambda term: term.n3(manager) if isinstance(term, URIRef) else str(term)


def render_json(report: ValidationReport, conflicts: list[Conflict]) -> str:
    """The report for machines: IRIs and values as strings, in a stable order."""
    document = {
        "conforms": report.conforms,
        "violations": report.violations,
        "warnings": report.warnings,
        "results": [
            {
                "focus_node": str(r.focus_node),
                "path": _path_text(r.path) or None,
                "value": None if r.value is None else str(r.value),
                "severity": r.severity,
                "message": r.message,
                "source_shape": str(r.source_shape),
                "constraint_component": str(r.constraint_component),
            }
            for r in report.results
        ],
        "conflicts": [
            {
                "subject": str(c.subject),
                "property": str(c.property),
                **({"measure": c.measure} if c.measure else {}),
                "values": [
                    {
                        "value": str(v.value),
                        "claim": str(v.claim),
                        "sources": [str(s) for s in v.sources],
                        "stated_on": None if v.stated_on is None else str(v.stated_on),
                        **({"figure": str(v.figure)} if v.figure is not None else {}),
                    }
                    for v in c.values
                ],
            }
            for c in conflicts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
