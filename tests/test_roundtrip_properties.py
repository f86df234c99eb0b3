"""Property-based tests: random valid facts of the ontology survive every RDF export
format (parsed back, the graph is isomorphic), and canonical Turtle and TriG are the
same bytes however the facts were inserted."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg import export
from kg.namespaces import CLAIM, ID, ONTOLOGY_GRAPH, SRC, TA
from kg.store import KnowledgeGraph

PARSERS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig"}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ONTOLOGY = KnowledgeGraph.load(fact_files=[]).graph(ONTOLOGY_GRAPH)
CLASSES = sorted(c for c in _ONTOLOGY.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
OBJECT_PROPERTIES = sorted(_ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty))
DATATYPE_RANGES = {
    p: _ONTOLOGY.value(p, RDFS.range)
    for p in sorted(_ONTOLOGY.subjects(RDF.type, OWL.DatatypeProperty))
    if _ONTOLOGY.value(p, RDFS.range) is not None
}

text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn", "Co")), max_size=30)
entities = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True).map(lambda name: ID[name])
LITERALS = {
    XSD.decimal: st.integers(-10**9, 10**9).map(lambda n: Literal(Decimal(n).scaleb(-2))),
    XSD.integer: st.integers(-10**12, 10**12).map(Literal),
    XSD.positiveInteger: st.integers(1, 10**6).map(lambda n: Literal(str(n), datatype=XSD.positiveInteger)),
    XSD.date: st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)).map(Literal),
    XSD.gYear: st.integers(1900, 2100).map(lambda y: Literal(f"{y:04d}", datatype=XSD.gYear)),
    XSD.gYearMonth: st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(
        lambda ym: Literal(f"{ym[0]:04d}-{ym[1]:02d}", datatype=XSD.gYearMonth)),
    XSD.boolean: st.booleans().map(Literal),
    XSD.duration: st.tuples(st.integers(0, 30), st.integers(0, 11)).map(
        lambda ym: Literal(f"P{ym[0]}Y{ym[1]}M", datatype=XSD.duration)),
    XSD.string: text.map(Literal),
}


@st.composite
def facts(draw) -> list[tuple]:
    """Typed, labelled entities with object and datatype property values."""
    names = draw(st.lists(entities, min_size=1, max_size=6, unique=True))
    triples = []
    for entity in names:
        triples.append((entity, RDF.type, draw(st.sampled_from(CLASSES))))
        label = draw(text.filter(str.strip))
        triples.append((entity, RDFS.label, Literal(label, lang=draw(st.sampled_from(["en", "fr", "zh"])))))
    for _ in range(draw(st.integers(0, 8))):
        triples.append((draw(st.sampled_from(names)), draw(st.sampled_from(OBJECT_PROPERTIES)),
                        draw(st.sampled_from(names))))
    for _ in range(draw(st.integers(0, 8))):
        prop = draw(st.sampled_from(sorted(DATATYPE_RANGES)))
        triples.append((draw(st.sampled_from(names)), prop, draw(LITERALS[DATATYPE_RANGES[prop]])))
    return triples


def _graph_of(triples: list[tuple]) -> KnowledgeGraph:
    """The facts stated in one claim, described in the default graph."""
    kg = KnowledgeGraph()
    claim, source = CLAIM["random-facts"], SRC["random-source"]
    for triple in triples:
        kg.graph(claim).add(triple)
    provenance = kg.dataset.default_context
    provenance.add((claim, RDF.type, TA.Claim))
    provenance.add((claim, PROV.wasDerivedFrom, source))
    provenance.add((source, RDFS.label, Literal("Random source", lang="en")))
    return kg


def _quads(dataset: Dataset) -> set[tuple]:
    return {(s, p, o, g.identifier if isinstance(g, Graph) else g) for s, p, o, g in dataset.quads()}


def test_the_strategies_cover_the_ontology():
    assert len(CLASSES) > 10 and len(OBJECT_PROPERTIES) > 10
    assert set(DATATYPE_RANGES.values()) <= set(LITERALS)


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@SETTINGS
@given(triples=facts())
def test_every_export_format_round_trips(fmt, triples):
    kg = _graph_of(triples)
    data = export.serialize(kg, fmt)
    if fmt == "trig":
        back = Dataset()
        back.parse(data=data, format="trig")
        assert _quads(back) == _quads(kg.dataset)
    else:
        expected = Graph()
        for s, p, o, _ in kg.dataset.quads():
            expected.add((s, p, o))
        assert isomorphic(Graph().parse(data=data, format=PARSERS[fmt]), expected)


@SETTINGS
@given(triples=facts(), shuffle=st.randoms(use_true_random=False))
def test_canonical_turtle_and_trig_are_the_same_bytes_every_time(triples, shuffle):
    shuffled = list(triples)
    shuffle.shuffle(shuffled)
    first, second = _graph_of(triples), _graph_of(shuffled)
    for fmt in ("turtle", "trig"):
        assert export.serialize(first, fmt) == export.serialize(second, fmt) == export.serialize(first, fmt)
