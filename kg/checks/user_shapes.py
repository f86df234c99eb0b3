"""What a stranger's SHACL shapes may say, checked before pySHACL runs them.

Refused, each with one line naming the file and the shape:

- JavaScript (``sh:js``, ``sh:JSConstraint``, ``sh:jsLibrary`` ...): pySHACL runs none of
  it without its JS extra and would call the data conforming; kg never runs JavaScript.
- ``sh:update`` and ``sh:entailment`` (kg's validation only reads, without inference),
  and any other term of the ``sh:`` namespace that is not SHACL pySHACL runs (a typo
  such as ``sh:minCont`` would be silently ignored, its constraint never checked).
- Ill-formed parameters pySHACL would fail on with a traceback: a count or length that
  is not a non-negative ``xsd:integer``, an ``sh:pattern`` that is not a regular
  expression.
- SPARQL that :func:`kg.checks.sparql.check_query` refuses, checked as pySHACL will run
  it: with the ``PREFIX`` lines it makes of ``sh:prefixes`` / ``sh:declare`` (pySHACL's
  own code writes them, so text smuggled into a prefix or a namespace is seen).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.checks import sparql
from kg.errors import InputError
from kg.namespaces import SH

RUNS = frozenset("""
AbstractResult AndConstraintComponent BlankNode BlankNodeOrIRI BlankNodeOrLiteral ClassConstraintComponent
ClosedConstraintComponent ConstraintComponent DatatypeConstraintComponent DisjointConstraintComponent
EqualsConstraintComponent ExpressionConstraintComponent Function HasValueConstraintComponent IRI IRIOrLiteral
InConstraintComponent Info LanguageInConstraintComponent LessThanConstraintComponent
LessThanOrEqualsConstraintComponent Literal MaxCountConstraintComponent MaxExclusiveConstraintComponent
MaxInclusiveConstraintComponent MaxLengthConstraintComponent MinCountConstraintComponent
MinExclusiveConstraintComponent MinInclusiveConstraintComponent MinLengthConstraintComponent
NodeConstraintComponent NodeKind NodeKindConstraintComponent NodeShape NotConstraintComponent
OrConstraintComponent Parameter Parameterizable PatternConstraintComponent PrefixDeclaration
PropertyConstraintComponent PropertyGroup PropertyShape QualifiedMaxCountConstraintComponent
QualifiedMinCountConstraintComponent ResultAnnotation Rule SPARQLAskExecutable SPARQLAskValidator
SPARQLConstraint SPARQLConstraintComponent SPARQLConstructExecutable SPARQLExecutable SPARQLFunction SPARQLRule
SPARQLSelectExecutable SPARQLSelectValidator SPARQLTarget SPARQLTargetType Severity Shape Target TargetType
TripleRule UniqueLangConstraintComponent ValidationReport ValidationResult Validator Violation Warning
XoneConstraintComponent alternativePath and annotationProperty annotationValue annotationVarName ask class
closed condition conforms construct datatype deactivated declare defaultValue description detail disjoint
equals expression filterShape flags focusNode group hasValue ignoredProperties in intersection inversePath
labelTemplate languageIn lessThan lessThanOrEquals maxCount maxExclusive maxInclusive maxLength message
minCount minExclusive minInclusive minLength name namespace node nodeKind nodeValidator nodes not object
oneOrMorePath optional or order parameter path pattern predicate prefix prefixes property propertyValidator
qualifiedMaxCount qualifiedMinCount qualifiedValueShape qualifiedValueShapesDisjoint result resultAnnotation
resultMessage resultPath resultSeverity returnType rule select severity shapesGraph
shapesGraphWellFormed sourceConstraint sourceConstraintComponent sourceShape sparql subject
suggestedShapesGraph target targetClass targetNode targetObjectsOf targetSubjectsOf this union uniqueLang
validator value xone zeroOrMorePath zeroOrOnePath
""".split())
"""The terms of the SHACL vocabulary (pySHACL's copy of shacl.ttl) that pySHACL runs with
kg's settings: all of SHACL Core, SHACL-SPARQL and the SHACL Advanced Features it knows,
but no JavaScript, no update and no entailment."""
REASONS = {
    "update": "shapes may only read the graph",
    "entailment": "kg validates without inference (run kg reason and validate its export instead)",
    "SPARQLUpdateExecutable": "shapes may only read the graph",
}
JAVASCRIPT = "JavaScript does not run in kg (pySHACL would skip it and call the data conforming)"
COUNTS = ("minCount", "maxCount", "minLength", "maxLength", "qualifiedMinCount", "qualifiedMaxCount")


class Part:
    """One shapes file and the graph read from it."""

    def __init__(self, path: Path, graph: Graph):
        self.path, self.graph = path, graph


def check(parts: list[Part], shapes: Graph, allow_network: bool = False) -> None:
    """Refuse what the module docstring lists in ``shapes`` (the merge of ``parts``)."""
    for part in parts:
        _check_vocabulary(part)
        _check_parameters(part)
    sparql.check_shapes(shapes, allow_network, lambda node, predicate: _where(parts, shapes, node, predicate))


def _check_vocabulary(part: Part) -> None:
    unknown = sorted(((position != 1, str(term)[len(str(SH)):], str(triple[0])), triple[0])
                     for triple in part.graph for position, term in enumerate(triple)
                     if isinstance(term, URIRef) and str(term).startswith(str(SH))
                     and str(term)[len(str(SH)):] not in RUNS)
    if unknown:  # the first as a predicate, in name order: sh:js before sh:jsLibrary
        (_, local, _), subject = unknown[0]
        where = _name(part, _owner(part.graph, subject))
        if local.lower().startswith("js"):
            raise InputError(f"{where}: sh:{local} refused: {JAVASCRIPT}")
        if local in REASONS:
            raise InputError(f"{where}: sh:{local} refused: {REASONS[local]}")
        raise InputError(f"{where}: sh:{local} refused: not a SHACL term that kg runs (a typo? "
                         "pySHACL would ignore it and never check its constraint)")


def _check_parameters(part: Part) -> None:
    graph = part.graph
    for local in COUNTS:
        for shape, value in graph.subject_objects(SH[local]):
            if not (isinstance(value, Literal) and value.datatype == XSD.integer
                    and isinstance(value.value, int) and value.value >= 0):
                raise InputError(f"{_name(part, _owner(graph, shape))}: sh:{local} {_show(value)}: "
                                 "expected a whole number (xsd:integer, 0 or more)")
    for shape, pattern in graph.subject_objects(SH.pattern):
        where = _name(part, _owner(graph, shape))
        if not isinstance(pattern, Literal):
            raise InputError(f"{where}: sh:pattern {_show(pattern)}: expected a string (a regular expression)")
        flags = "".join(str(f) for f in graph.objects(shape, SH.flags)).lower()
        try:
            re.compile(str(pattern), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))
        except (re.error, OverflowError, RecursionError) as exc:
            raise InputError(f"{where}: sh:pattern {_show(pattern)}: not a regular expression ({exc})") from None


def _owner(graph: Graph, node: Node, steps: int = 50) -> Node:
    """The nearest named node above ``node`` (a blank node's shape), else ``node``."""
    current, seen = node, set()
    while not isinstance(current, URIRef) and steps and current not in seen:
        seen.add(current)
        parent = next(graph.subjects(None, current), None)
        if parent is None:
            return node
        current, steps = parent, steps - 1
    return current if isinstance(current, URIRef) else node


def _where(parts: Iterable[Part], shapes: Graph, node: Node, predicate: URIRef) -> str:
    """The file that says ``node predicate ...`` and the shape it belongs to."""
    for part in parts:
        if (node, predicate, None) in part.graph:
            return _name(part, _owner(part.graph, node))
    return f"shape {_owner(shapes, node).n3()}"


def _name(part: Part, node: Node) -> str:
    return f"{part.path}: shape {_show(node)}"


def _show(term: Node) -> str:
    from kg.namespaces import prefixed

    if isinstance(term, URIRef) and prefixed(str(term)):
        return prefixed(str(term))
    text = term.n3()
    return text if len(text) <= 80 else text[:79] + "…"
