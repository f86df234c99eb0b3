"""The SHACL shapes: each constraint proved by a valid and an invalid fixture.

Fixtures live in ``tests/shapes/valid`` and ``tests/shapes/invalid`` (fictional data
about ``id:example-...`` entities). A header comment states what each one is for:

- ``# expect: <severity> <focus node> <source shape> <constraint component>``: in an
  invalid fixture, one line per result; the report must hold exactly these results;
- ``# covers: <constraint> ...``: in a valid fixture, the constraints it exercises (each
  must have a focus node in the fixture, and the fixture must give no result at all).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS

from conftest import TESTS_DIR
from kg.sources import importer
from kg.checks import validation
from kg import terms
from kg.namespaces import PREFIXES, SH, TA
from kg.store import KnowledgeGraph
from kg.terms import ONTOLOGY_GRAPH

FIXTURES = TESTS_DIR / "shapes"
TASH = Namespace("https://w3id.org/techauto/shapes#")
NAMES = {**PREFIXES, "tash": TASH}


def fixture_files(kind: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / kind).iterdir() if p.suffix in (".ttl", ".trig"))


def header(path: Path, key: str) -> list[list[URIRef | str]]:
    """The ``# key: ...`` lines of a fixture, split into words, prefixed names expanded."""
    prefix = f"# {key}:"
    return [
        [expand(word) for word in line[len(prefix):].split()]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    ]


def expand(word: str) -> URIRef | str:
    prefix, sep, local = word.partition(":")
    return URIRef(NAMES[prefix] + local) if sep and prefix in NAMES else word


def load(path: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(data=[path])


class RdfGraph:
    """An rdflib graph queried as the tests of shapes need: ``.dataset`` is the graph,
    ``.query(text, bindings)`` knows the project's prefixes."""

    def __init__(self, graph: Graph):
        self.dataset = graph

    def query(self, text: str, bindings: dict | None = None):
        return self.dataset.query(text, initNs=dict(NAMES), initBindings=bindings or {})


def rdf_graph(*parts: Graph) -> RdfGraph:
    merged = Graph()
    for part in parts:
        for triple in part:
            merged.add(triple)
    return RdfGraph(merged)


@pytest.fixture(scope="module")
def shapes():
    return validation.load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return KnowledgeGraph.load(data=[]).rdflib_graph(graph=ONTOLOGY_GRAPH)


@pytest.fixture(scope="module")
def shapes_kg(shapes, ontology) -> RdfGraph:
    """The ontology and the shapes in one rdflib graph, to query the shapes."""
    return rdf_graph(ontology, shapes)


def constraints(shapes_kg: RdfGraph) -> set[URIRef]:
    """Every constraint: the property shapes and the SPARQL constraints."""
    rows = shapes_kg.query("SELECT DISTINCT ?c WHERE { { ?c sh:path ?p } UNION { ?s sh:sparql ?c } }")
    return {row.c for row in rows}


# -- fixtures ----------------------------------------------------------------------------


def test_fixture_folders_hold_every_fixture():
    """Guard against a suite that silently shrinks: the fixtures are all collected."""
    assert len(fixture_files("valid")) >= 21
    assert len(fixture_files("invalid")) >= 80


_TARGETED_SHAPES = """
SELECT DISTINCT ?shape WHERE {
    { ?shape sh:targetClass ?class . ?focus rdf:type/rdfs:subClassOf* ?class }
    UNION { ?shape sh:targetSubjectsOf ?property . ?focus ?property ?any }
    UNION { ?shape sh:targetObjectsOf ?property . ?any ?property ?focus }
}
"""


def exercised(path: Path, shapes_graph: Graph, ontology: Graph) -> set[URIRef]:
    """The shapes and constraints that have a focus node in a fixture."""
    kg = rdf_graph(validation.data_graph(load(path)), shapes_graph, ontology)
    shapes = {row.shape for row in kg.query(_TARGETED_SHAPES)}
    sparql_targets = kg.query("SELECT ?shape ?select WHERE { ?shape sh:target/sh:select ?select }")
    shapes |= {row.shape for row in sparql_targets if list(kg.query(str(row.select)))}
    parts = kg.query("SELECT ?shape ?constraint WHERE { ?shape sh:property|sh:sparql ?constraint }")
    return shapes | {row.constraint for row in parts if row.shape in shapes}


@pytest.mark.parametrize("path", fixture_files("valid"), ids=lambda p: p.name)
def test_valid_fixture_gives_no_result_for_the_constraints_it_exercises(path, shapes, ontology):
    report = validation.validate(load(path), shapes)
    assert report.conforms
    assert report.results == []
    covered = {c for words in header(path, "covers") for c in words}
    assert covered and covered - exercised(path, shapes, ontology) == set()


@pytest.mark.parametrize("path", fixture_files("invalid"), ids=lambda p: p.name)
def test_invalid_fixture_gives_exactly_the_expected_results(path, shapes):
    expected = {tuple(words) for words in header(path, "expect")}
    assert expected, f"{path.name} states no '# expect:' line"
    report = validation.validate(load(path), shapes)
    found = {(r.severity, r.focus_node, r.source_shape, r.constraint_component) for r in report.results}
    assert found == expected
    assert report.conforms == all(severity != "Violation" for severity, *_ in expected)


def test_every_constraint_has_an_invalid_fixture(shapes_kg):
    expected = {tuple(words[2:]) for path in fixture_files("invalid") for words in header(path, "expect")}
    shown = {shape for shape, _ in expected}
    shown |= {
        row.c
        for shape, component in expected
        if component == SH.SPARQLConstraintComponent
        for row in shapes_kg.query("SELECT ?c WHERE { ?shape sh:sparql ?c }", {"shape": shape})
    }
    assert constraints(shapes_kg) - shown == set()


def test_every_constraint_has_a_valid_fixture(shapes_kg):
    covered = {c for path in fixture_files("valid") for words in header(path, "covers") for c in words}
    assert constraints(shapes_kg) - covered == set()


# -- the shapes themselves ----------------------------------------------------------------


def test_shapes_pass_shacl_meta_validation(shapes):
    """pySHACL checks the shapes graph against the SHACL-SHACL shapes before running."""
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_constraint_is_named_and_has_an_english_message_and_a_severity(shapes_kg):
    for constraint in constraints(shapes_kg):
        assert isinstance(constraint, URIRef), "reports name constraints by IRI"
        messages = list(shapes_kg.dataset.objects(constraint, SH.message))
        assert [m.language for m in messages] == ["en"], constraint
        assert shapes_kg.dataset.value(constraint, SH.severity) in (SH.Violation, SH.Warning), constraint


_CLASSES = """
SELECT ?class WHERE { ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(ta:))) }
"""

SEVERITY_ORDER = (SH.Info, SH.Warning, SH.Violation)


def node_shapes(shapes_kg: RdfGraph) -> set[URIRef]:
    return set(shapes_kg.dataset.subjects(RDF.type, SH.NodeShape))


def test_every_class_of_the_ontology_is_the_target_of_a_node_shape_named_after_it(shapes_kg):
    classes = {row["class"] for row in shapes_kg.query(_CLASSES)}
    assert len(classes) >= 35
    for cls in classes:
        shape = TASH[str(cls)[len(str(TA)):] + "Shape"]
        assert shape in node_shapes(shapes_kg), cls
        assert (shape, SH.targetClass, cls) in shapes_kg.dataset, cls


def test_every_node_shape_has_an_english_message_and_a_severity(shapes_kg):
    assert len(node_shapes(shapes_kg)) >= 38
    for shape in node_shapes(shapes_kg):
        assert isinstance(shape, URIRef), "reports name shapes by IRI"
        messages = list(shapes_kg.dataset.objects(shape, SH.message))
        assert [m.language for m in messages] == ["en"], shape
        assert shapes_kg.dataset.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape


def test_a_node_shape_is_as_severe_as_its_most_severe_constraint(shapes_kg):
    """Its severity says the worst a focus node of its class can get from its own rules."""
    graph = shapes_kg.dataset
    for shape in node_shapes(shapes_kg):
        parts = [*graph.objects(shape, SH.property), *graph.objects(shape, SH.sparql)]
        assert parts, f"{shape} checks nothing"
        worst = max((graph.value(part, SH.severity) for part in parts), key=SEVERITY_ORDER.index)
        assert graph.value(shape, SH.severity) == worst, shape


def test_a_sparql_constraint_is_reported_with_its_own_message_and_severity(shapes_kg):
    """pySHACL reports a SPARQL constraint with the severity and the messages of the shape
    that holds it (and adds the constraint's message when it differs), so the two agree."""
    graph = shapes_kg.dataset
    held = list(graph.subject_objects(SH.sparql))
    assert len(held) == 5
    for shape, constraint in held:
        assert graph.value(shape, SH.severity) == graph.value(constraint, SH.severity), shape
        assert set(graph.objects(shape, SH.message)) == set(graph.objects(constraint, SH.message)), shape


def test_every_sparql_constraint_and_target_selects_distinct_rows(shapes_kg):
    """One result per breach on any SHACL engine: a UNION over both directions of a link
    (ta:isPhaseOf | ta:hasPhase) matches twice when both are stated, and engines other than
    pySHACL (TopBraid, rudof) report each row, so every SPARQL select is DISTINCT."""
    selects = [str(row.select) for row in shapes_kg.query(
        "SELECT ?select WHERE { { ?c a sh:SPARQLConstraint ; sh:select ?select } UNION { ?t a sh:SPARQLTarget ; sh:select ?select } }")]
    assert len(selects) == 7
    for select in selects:
        assert re.match(r"\s*SELECT\s+DISTINCT\b", select), select


def test_a_breach_stated_both_ways_gives_one_result(shapes):
    """A phase linked to its plant both ways (ta:isPhaseOf and ta:hasPhase) that starts before
    the plant was announced: one result."""
    kg = load(FIXTURES / "invalid" / "phase-starts-before-announcement.trig")
    (claim,) = kg.claim_names()
    phases = [(q.subject, q.object) for q in kg.quads(None, terms.TA.isPhaseOf, None, claim)]
    assert phases
    kg.add_quads(terms.Quad(plant, terms.TA.hasPhase, phase, claim) for phase, plant in phases)
    report = validation.validate(kg, shapes)
    assert [(r.focus_node, r.source_shape) for r in report.results] == [
        (URIRef(terms.ID["example-plant-phase-1"].value), TASH.PlannedStartShape)]


def test_a_sparql_result_has_one_message(shapes):
    """The joint venture's stakes add up to 110: one result, with one filled-in message."""
    kg = load(FIXTURES / "invalid" / "joint-venture-shares-above-100.trig")
    _, results, _ = pyshacl.validate(validation.data_graph(kg), shacl_graph=shapes,
                                     ont_graph=kg.rdflib_graph(graph=ONTOLOGY_GRAPH),
                                     inference="none", advanced=True, allow_warnings=True)
    (result,) = results.objects(None, SH.result)
    assert [str(m) for m in results.objects(result, SH.resultMessage)] == [
        "The ownership stakes in the joint venture add up to 110 per cent of its equity at one date, more than 100."
    ]


def test_controlled_value_lists_are_whole_schemes_of_the_ontology(shapes_kg):
    lists = shapes_kg.query("SELECT ?shape ?list WHERE { ?shape sh:in ?list ; sh:path ?p }")
    checked = 0
    for row in lists:
        members = set(Collection(shapes_kg.dataset, row.list))
        if all(isinstance(m, Literal) for m in members):
            continue  # currency codes
        schemes = {shapes_kg.dataset.value(m, SKOS.inScheme) for m in members}
        assert len(schemes) == 1, row.shape
        assert members == set(shapes_kg.dataset.subjects(SKOS.inScheme, schemes.pop())), row.shape
        checked += 1
    assert checked == 13


def test_the_importer_takes_the_currency_codes_from_the_shapes(shapes_kg, shipped_kg):
    """One list of ISO 4217 codes: the sh:in of tash:CurrencyShape, which the importer reads."""
    codes = Collection(shapes_kg.dataset, shapes_kg.dataset.value(TASH.CurrencyShape, SH["in"]))
    assert importer.Vocabulary(shipped_kg).currencies == tuple(str(code) for code in codes)
    assert {"USD", "CNY", "EUR"} <= set(importer.Vocabulary(shipped_kg).currencies)


_UNSHAPED_CLASSES = """
SELECT ?class WHERE {
    ?class a owl:Class .
    FILTER (STRSTARTS(STR(?class), STR(ta:)))
    FILTER NOT EXISTS { ?class rdfs:subClassOf* ta:Concept }
    FILTER NOT EXISTS { ?shape sh:targetClass ?target ; sh:property ?required . ?class rdfs:subClassOf* ?target }
}
"""


def test_every_entity_class_has_a_shape_requiring_label_and_source(shapes_kg):
    """All classes but the controlled values and claims need a label; all but claims
    and source documents need a source."""

    def unshaped(required):
        return {row["class"] for row in shapes_kg.query(_UNSHAPED_CLASSES, {"required": required})}

    assert unshaped(TASH.LabelShape) == {TA.Claim}
    assert unshaped(TASH.SourcedShape) == {TA.Claim, TA.SourceDocument, TA.NewsArticle}


# -- conflicts and the shipped graph ------------------------------------------------------


def test_claims_that_disagree_on_a_functional_property_are_a_conflict(shapes):
    kg = load(FIXTURES / "conflicts" / "plant-capacity.trig")
    assert validation.validate(kg, shapes).conforms
    (conflict,) = validation.conflicts(kg)
    assert (conflict.subject, conflict.property) == (terms.ID["example-plant"], terms.TA.plannedAnnualCapacity)
    assert [(terms.python_value(v.value), v.claim, v.sources, v.stated_on.value) for v in conflict.values] == [
        (300000, terms.CLAIM["example-plan"], (terms.SRC["example-report"],), "2021-11-27"),
        (150000, terms.CLAIM["example-revision"], (terms.SRC["example-later-report"],), "2023"),
    ]


def test_claims_that_agree_are_no_conflict():
    assert validation.conflicts(load(FIXTURES / "valid" / "plant.trig")) == []


def test_shipped_graph_conforms(shipped_kg):
    report = validation.validate(shipped_kg)
    assert report.conforms, validation.render_text(report, [], shipped_kg)
