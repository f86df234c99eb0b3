"""A SHACL validation report as kg reads it, whichever engine made it (pySHACL, TopBraid).

:func:`parse_results` reads the report graph (rdflib) into a :class:`ValidationReport` of
:class:`Result` objects, sorted by focus node; their terms are rdflib's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.paths import Path as PropertyPath
from rdflib.term import Node

from kg.namespaces import SH

SEVERITIES = ("Violation", "Warning", "Info")
_REPEATS = ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?"))
STATED_IN_QUERY = """
SELECT DISTINCT ?subject ?claim WHERE { GRAPH ?claim { ?subject ?p ?o } FILTER(STRSTARTS(STR(?claim), STR(claim:))) }"""
STATED_IN_TRIPLES = """
CONSTRUCT { ?subject ta:isStatedIn ?claim } WHERE {
  GRAPH ?claim { ?subject ?p ?o } FILTER(STRSTARTS(STR(?claim), STR(claim:))) }"""
"""The ``ta:isStatedIn`` triples of :data:`STATED_IN_QUERY`, as a graph."""



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
                path_text(self.path), str(self.value), self.message)


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
    """A SHACL path node as an rdflib path (IRI, inverse, alternative, sequence, or a
    path repeated: zero or more, one or more, zero or one times), nested as deep as given."""
    if isinstance(node, URIRef):
        return node
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return InvPath(_property_path(graph, inverse))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return AlternativePath(*(_property_path(graph, n) for n in Collection(graph, alternatives)))
    for predicate, modifier in _REPEATS:
        repeated = graph.value(node, predicate)
        if repeated is not None:
            return MulPath(_property_path(graph, repeated), modifier)
    if graph.value(node, RDF.first) is not None:
        return SequencePath(*(_property_path(graph, n) for n in Collection(graph, node)))
    raise ValueError(f"unsupported SHACL path {node!r}")


def path_text(path: URIRef | PropertyPath | None, namespace_manager=None) -> str:
    """A path in SPARQL syntax (an IRI alone as a plain string when no prefixes given)."""
    if path is None:
        return ""
    if isinstance(path, URIRef) and namespace_manager is None:
        return str(path)
    return path.n3(namespace_manager)


