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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg import namespaces, resources
from kg.checks.conflicts import ClaimedValue, Conflict, find_conflicts
from kg.checks.reports import (
    STATED_IN_QUERY,
    Result,
    ValidationReport,
    parse_results,
    path_text,
)
from kg.errors import KgError
from kg.namespaces import TA
from kg.sources import reading
from kg.terms import (
    ONTOLOGY_GRAPH,
    NamedNode,
    from_rdflib,
    quiet_rdflib,
    text,
    to_rdflib,
)
from kg.terms import Literal as StoreLiteral

if TYPE_CHECKING:
    from kg.store import KnowledgeGraph

conflicts = find_conflicts
"""Conflicts between sources (:func:`kg.checks.conflicts.find_conflicts`), listed with the report."""
__all__ = ["ClaimedValue", "Conflict", "Result", "ValidationReport", "choose", "conflicts", "parse_results",
           "start", "validate"]


# -- validation --------------------------------------------------------------------------


def load_shapes(paths: Iterable[Path] | None = None, allow_network: bool = False) -> Graph:
    """The shipped shapes graph (every Turtle file of ``ontology/shapes``), or the shapes
    in ``paths``; a user's shapes get the same checks as a user's queries."""
    from kg.checks import user_shapes

    parts = [user_shapes.Part(path, reading.read_graph(path))
             for path in (resources.shapes_files() if paths is None else paths)]
    shapes = Graph()
    for part in parts:
        shapes += part.graph
    if paths is not None:
        user_shapes.check(parts, shapes, allow_network)
    return shapes


DEFAULT_TIMEOUT = 30
"""Seconds a user's shapes may take to validate (``kg validate --timeout``)."""


def validate_user_shapes(kg: KnowledgeGraph, paths: list[Path], allow_network: bool = False,
                         timeout: float = DEFAULT_TIMEOUT, validator: str | None = None) -> ValidationReport:
    """Validate ``kg`` against the shapes in ``paths`` (a stranger's): reading them, their
    checks (:mod:`kg.checks.user_shapes`) and pySHACL all run under the hard limits of
    :func:`kg.checks.limits.run_limited` (``timeout`` seconds, ``KG_MAX_MEMORY_MB``)."""
    from kg.checks import limits

    choose(kg, paths, validator)
    names = ", ".join(str(p) for p in paths)

    def work() -> ValidationReport:
        return _pyshacl(kg, load_shapes(paths, allow_network), allow_network, names)

    try:
        return limits.run_limited(work, timeout)
    except limits.Timeout:
        raise KgError(f"{names}: validation timed out after {timeout:g} s") from None
    except limits.OutOfMemory as exc:
        raise KgError(f"{names}: validation {exc}") from None
    except limits.LimitExceeded as exc:
        raise KgError(f"{names}: validation stopped: {exc}") from None


def stated_in(kg: KnowledgeGraph) -> Iterator[tuple[Node, URIRef, URIRef]]:
    """``s ta:isStatedIn claim`` (rdflib terms) for each subject of each claim's named graph."""
    for row in kg.query(STATED_IN_QUERY):
        yield to_rdflib(row.subject), TA.isStatedIn, to_rdflib(row.claim)


def data_graph(kg: KnowledgeGraph) -> Graph:
    """The asserted triples plus the derived ``ta:isStatedIn`` triples, as an rdflib graph."""
    data = kg.rdflib_graph(ontology=False)
    for triple in stated_in(kg):
        data.add(triple)
    return data


VALIDATORS = ("pyshacl", "topbraid")
TOPBRAID_FROM = 20_000
"""From this many asserted quads on, the shipped shapes run in TopBraid SHACL when it is
installed (:mod:`kg.checks.topbraid`). Measured with ``kg validate --validator``: 12,396
quads, TopBraid 3.8 s and pySHACL 3.9 s; 99,154 quads, 7.4 s and 26.5 s. The shipped
graph (7,500) stays with pySHACL, the reference."""


def choose(kg: KnowledgeGraph, shapes: Graph | None = None, validator: str | None = None) -> tuple[str, str | None]:
    """The validator to use (``pyshacl`` or ``topbraid``) and a note for the user, if any.

    ``validator`` None chooses: TopBraid for the shipped shapes on a graph of
    :data:`TOPBRAID_FROM` quads or more when it can run, else pySHACL. A user's shapes
    always run in pySHACL, under the checks of :mod:`kg.checks.sparql`.
    """
    from kg.checks import topbraid

    if validator is not None and validator not in VALIDATORS:
        raise KgError(f"--validator {validator}: unknown (known: {', '.join(VALIDATORS)})")
    if shapes is not None:
        if validator == "topbraid":
            raise KgError("--validator topbraid runs only the shipped shapes; a user's shapes run in pySHACL")
        return "pyshacl", None
    if validator == "topbraid":
        reason = topbraid.unavailable()
        if reason:
            raise KgError(f"--validator topbraid: {reason}")
        return "topbraid", None
    if validator == "pyshacl":
        return "pyshacl", None
    size = kg.asserted_count()
    if size < TOPBRAID_FROM:
        return "pyshacl", None
    reason = topbraid.unavailable()
    if reason is None:
        return "topbraid", None
    return "pyshacl", f"validating {size:,} quads with pySHACL will take a while; {reason[0].lower()}{reason[1:]} for a faster run"


class Pending:
    """A validation started by :func:`start`; :meth:`report` gives its result."""

    def __init__(self, work, engine: str, cancel=None):
        self._work, self.engine, self._cancel = work, engine, cancel

    def cancel(self) -> None:
        """Give up the validation (a child process is stopped)."""
        if self._cancel is not None:
            self._cancel()

    def report(self) -> ValidationReport:
        from kg import progress

        with progress.phase(f"validating (SHACL, {'TopBraid' if self.engine == 'topbraid' else 'pySHACL'})"):
            return self._work()


def start(kg: KnowledgeGraph, shapes: Graph | None = None, allow_network: bool = False,
          validator: str | None = None) -> Pending:
    """Begin validating ``kg`` (see :func:`choose`): TopBraid starts at once in a child
    process, so that other work can go on meanwhile; pySHACL runs when the report is asked for."""
    engine, _ = choose(kg, shapes, validator)
    if engine == "topbraid":
        from kg.checks import topbraid

        run = topbraid.Run(kg, resources.shapes_files())
        return Pending(run.report, engine, cancel=run.close)
    return Pending(lambda: _pyshacl(kg, shapes, allow_network), engine)


def validate(kg: KnowledgeGraph, shapes: Graph | None = None, allow_network: bool = False,
             validator: str | None = None) -> ValidationReport:
    """Validate ``kg`` against ``shapes`` (default: the shipped shapes); see :func:`start`."""
    return start(kg, shapes, allow_network, validator).report()


@contextmanager
def _sparql_parsed_once(check=None) -> Iterator[list]:
    """While active, rdflib parses each SPARQL text once: pySHACL runs a SPARQL constraint
    once per focus node, with the same text and ``$this`` as a binding, and rdflib would
    parse it every time (half of pySHACL's time on the shipped graph, measured). The
    parsed query is what rdflib's own ``prepareQuery`` makes for re-use; answers are the same.

    ``check(text)``, if given, sees each text exactly as pySHACL hands it to rdflib
    (prefixes, ``$PATH`` and all) before it is parsed; what it raises is kept in the
    list this yields (pySHACL may catch it) and raised again by the caller."""
    from rdflib.plugins.sparql import processor

    original, parsed, refused = processor.SPARQLProcessor.query, {}, []

    def query(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 (rdflib's names)
        if isinstance(text, str):
            key = (text, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in parsed:
                if check is not None:
                    try:
                        check(text)
                    except KgError as exc:
                        refused.append(exc)
                        raise
                parsed[key] = processor.translateQuery(processor.parseQuery(text), base, initNs)
            text = parsed[key]
        return original(self, text, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield refused
    finally:
        processor.SPARQLProcessor.query = original


def _pyshacl(kg: KnowledgeGraph, shapes: Graph | None, allow_network: bool,
             user_files: str | None = None) -> ValidationReport:
    """pySHACL under :func:`kg.checks.safety.guard` (no network unless ``allow_network``,
    no other files). With ``user_files`` (a stranger's shapes, named so in messages),
    every SPARQL text pySHACL runs is checked as it runs, and whatever fails is one line."""
    import pyshacl

    from kg.checks import safety, sparql

    check = None
    if user_files is not None:
        def check(text):
            sparql.check_query(text, f"{user_files}: a SPARQL query of the shapes, as pySHACL runs it",
                               allow_network)

    with safety.guard(network=allow_network), quiet_rdflib(), _sparql_parsed_once(check) as refused:
        try:
            _, results_graph, text = pyshacl.validate(
                data_graph(kg),
                shacl_graph=shapes if shapes is not None else load_shapes(),
                ont_graph=kg.rdflib_graph(graph=ONTOLOGY_GRAPH),
                inference="none",
                advanced=True,
                meta_shacl=False,
                allow_warnings=True,
            )
        except Exception as exc:
            if refused:
                raise refused[0] from None
            if user_files is None:
                raise
            reason = safety.refusal(exc) or safety.first_line(exc)
            if isinstance(exc, ArithmeticError):  # decimal's messages are lists of classes
                reason = f"{type(exc).__name__} in a SPARQL query (a number out of range)"
            raise KgError(f"{user_files}: the shapes cannot be run: {reason}") from None
    if refused:
        raise refused[0]
    if not isinstance(results_graph, Graph):  # pySHACL could not run the shapes
        raise KgError(f"{user_files or 'the shapes'}: the shapes cannot be run: {' '.join(text.split())[:200]}")
    try:
        return parse_results(results_graph)
    except (ValueError, RecursionError) as exc:
        raise KgError(f"{user_files or 'the shapes'}: the report cannot be read: {safety.first_line(exc)}") from None


# -- rendering ---------------------------------------------------------------------------


def render_text(report: ValidationReport, conflicts: list[Conflict], kg: KnowledgeGraph) -> str:
    """The report for people: results by focus node, conflicts, then a summary line."""
    lines = []
    manager = _namespace_manager()
    for focus, results in report.by_focus_node().items():
        lines.append(f"{_name(focus)} ({kg.label(from_rdflib(focus))})")
        for r in results:
            path = f" [{path_text(r.path, manager)}]" if r.path is not None else ""
            lines.append(f"  {r.severity}: {r.message}{path}")
    if conflicts:
        lines.append("Conflicts (warnings):")
        for conflict in conflicts:
            measure = f" [{conflict.measure}]" if conflict.measure else ""
            lines.append(f"  {_name(conflict.subject)} ({kg.label(conflict.subject)}) {_name(conflict.property)}{measure}:")
            for v in conflict.values:
                sources = ", ".join(_name(s) for s in v.sources) or "no source"
                stated = f", stated on {v.stated_on.value}" if v.stated_on is not None else ""
                figure = f" on {_name(v.figure)}" if v.figure is not None else ""
                lines.append(f"    {_name(v.value)}{figure} in {_name(v.claim)} (from {sources}{stated})")
    verdict = "yes" if report.conforms else "no"
    lines.append(
        f"conforms: {verdict} ({report.violations} violations, {report.warnings} warnings, "
        f"{len(conflicts)} conflicts)"
    )
    return "\n".join(lines) + "\n"


def _name(term) -> str:
    """An IRI (rdflib's or the store's) as a prefixed name where one fits; other terms as text."""
    if isinstance(term, (URIRef, NamedNode)):
        iri = term.value if isinstance(term, NamedNode) else str(term)
        return namespaces.prefixed(iri) or f"<{iri}>"
    return text(term) if isinstance(term, StoreLiteral) else str(term)


def _namespace_manager():
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    namespaces.bind_prefixes(graph)
    return graph.namespace_manager


def render_json(report: ValidationReport, conflicts: list[Conflict]) -> str:
    """The report for machines: IRIs and values as strings, in a stable order."""
    document = {
        "conforms": report.conforms,
        "violations": report.violations,
        "warnings": report.warnings,
        "results": [
            {
                "focus_node": str(r.focus_node),
                "path": path_text(r.path) or None,
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
                "subject": c.subject.value,
                "property": c.property.value,
                **({"measure": c.measure} if c.measure else {}),
                "values": [
                    {
                        "value": v.value.value,
                        "claim": v.claim.value,
                        "sources": [s.value for s in v.sources],
                        "stated_on": None if v.stated_on is None else v.stated_on.value,
                        **({"figure": v.figure.value} if v.figure is not None else {}),
                    }
                    for v in c.values
                ],
            }
            for c in conflicts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
