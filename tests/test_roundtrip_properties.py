"""Property-based tests: random valid facts of the ontology keep their values in the
store, survive every RDF export format (parsed back by rdflib, the same quads or an
isomorphic graph), and the canonical exports are the same bytes however the facts were
inserted."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg import terms
from kg.exports import rdf
from kg.namespaces import CLAIM, ID, SRC, TA
from kg.store import KnowledgeGraph

PARSERS = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld", "xml": "xml", "trig": "trig"}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ONTOLOGY = KnowledgeGraph.load(data=[]).rdflib_graph(graph=terms.ONTOLOGY_GRAPH)
CLASSES = sorted(c for c in _ONTOLOGY.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
OBJECT_PROPERTIES = sorted(_ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty))
RANGE_INCLUDES = URIRef("https://schema.org/rangeIncludes")  # dates, years, durations (not OWL 2 DL ranges)
DATATYPE_RANGES = {
    p: _ONTOLOGY.value(p, RDFS.range) or _ONTOLOGY.value(p, RANGE_INCLUDES)
    for p in sorted(_ONTOLOGY.subjects(RDF.type, OWL.DatatypeProperty))
    if (_ONTOLOGY.value(p, RDFS.range) or _ONTOLOGY.value(p, RANGE_INCLUDES)) is not None
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


def _quads_of(triples: list[tuple]) -> list[tuple]:
    """The facts stated in one claim (rdflib terms), described in the default graph (``None``)."""
    claim, source = CLAIM["random-facts"], SRC["random-source"]
    return [(s, p, o, claim) for s, p, o in triples] + [
        (claim, RDF.type, TA.Claim, None), (claim, PROV.wasDerivedFrom, source, None),
        (source, RDFS.label, Literal("Random source", lang="en"), None)]


def _graph_of(quads: list[tuple]) -> KnowledgeGraph:
    convert = terms.from_rdflib
    return KnowledgeGraph.from_quads(
        terms.Quad(convert(s), convert(p), convert(o), convert(g) if g is not None else terms.DEFAULT_GRAPH)
        for s, p, o, g in quads)


def _quads(dataset: Dataset) -> set[tuple]:
    return {(s, p, o, g.identifier if isinstance(g, Graph) else g) for s, p, o, g in dataset.quads()}


def _stored(kg: KnowledgeGraph) -> Dataset:
    """What the store holds, as an rdflib dataset."""
    return kg.rdflib_dataset()


def test_the_strategies_cover_the_ontology():
    assert len(CLASSES) > 10 and len(OBJECT_PROPERTIES) > 10
    assert set(DATATYPE_RANGES.values()) <= set(LITERALS)


@SETTINGS
@given(triples=facts())
def test_the_store_keeps_every_value(triples):
    """Oxigraph keeps typed values in their canonical lexical form (300000.0 may come back
    as 300000) and derived integer types as xsd:integer: the same value and language,
    and the datatype :func:`kg.terms.stored_datatype` says, never another."""
    stored = _quads(_stored(_graph_of(_quads_of(triples))))
    for s, p, o, _ in _quads_of(triples):
        if isinstance(o, Literal):
            matches = [v for s2, p2, v, _ in stored if (s2, p2) == (s, p) and isinstance(v, Literal) and v.eq(o)]
            expected = terms.stored_datatype(str(o.datatype)) if o.datatype is not None else None
            assert any((m.datatype and str(m.datatype)) == expected and m.language == o.language
                       for m in matches), (s, p, o)


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@SETTINGS
@given(triples=facts())
def test_every_export_format_round_trips(fmt, triples):
    kg = _graph_of(_quads_of(triples))
    data = rdf.serialize(kg, fmt)
    stored = _stored(kg)
    if fmt in rdf.DATASET_FORMATS:
        back = Dataset()
        back.parse(data=data, format=PARSERS[fmt])
        assert _quads(back) == _quads(stored)
    else:
        expected = Graph()
        for s, p, o, _ in stored.quads():
            expected.add((s, p, o))
        assert isomorphic(Graph().parse(data=data, format=PARSERS[fmt]), expected)


@SETTINGS
@given(triples=facts(), shuffle=st.randoms(use_true_random=False))
def test_canonical_exports_are_the_same_bytes_every_time(triples, shuffle):
    quads = _quads_of(triples)
    shuffled = list(quads)
    shuffle.shuffle(shuffled)
    first, second = _graph_of(quads), _graph_of(shuffled)
    for fmt in ("turtle", "trig", "nquads", "jsonld"):
        assert rdf.serialize(first, fmt) == rdf.serialize(second, fmt) == rdf.serialize(first, fmt)


def test_the_collapsed_datatypes_are_what_oxigraph_does():
    """Every datatype :data:`kg.terms.COLLAPSED_DATATYPES` names is stored as its primitive
    type, and a primitive type (xsd:integer, xsd:decimal, xsd:date ...) is kept."""
    kept = [XSD.integer, XSD.decimal, XSD.double, XSD.date, XSD.gYear, XSD.gYearMonth, XSD.duration, XSD.string]
    samples = {str(t): "2021-03-30T10:00:00Z" if "dateTime" in str(t) else "1" for t in terms.COLLAPSED_DATATYPES}
    samples.update({str(t): {"date": "2021-03-30", "gYear": "2021", "gYearMonth": "2021-03",
                             "duration": "P10Y"}.get(str(t).rsplit("#", 1)[1], "1") for t in kept})
    quads = [terms.Quad(terms.ID[f"x{i}"], terms.TA.value, terms.Literal(value, datatype=terms.NamedNode(datatype)),
                        terms.DEFAULT_GRAPH) for i, (datatype, value) in enumerate(sorted(samples.items()))]
    stored = {q.subject: q.object.datatype.value for q in KnowledgeGraph.from_quads(quads).quads()}
    for quad in quads:
        assert stored[quad.subject] == terms.stored_datatype(quad.object.datatype.value), quad
    assert terms.stored_datatype(str(XSD.positiveInteger)) == str(XSD.integer)
