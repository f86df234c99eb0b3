"""OWL RL: answers that exist only after inference, noise left out, inconsistencies found."""

from __future__ import annotations

import json

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF

from kg import reasoning
from kg.namespaces import ID, ONTOLOGY_GRAPH, TA

from conftest import run_kg

PLANTS_IN_CHINA = "SELECT ?plant WHERE { ?plant a ta:ManufacturingPlant ; ta:locatedIn id:china }"
OPERATED_BY_XIAOMI = "SELECT ?plant WHERE { id:xiaomi ta:operates ?plant }"


def test_transitive_location_finds_a_district_level_plant_by_country(shipped_kg, reasoned_kg):
    """prp-trp: locatedIn is transitive: plant in Beijing E-Town in Beijing in China."""
    assert ID["xiaomi-beijing-plant"] not in {r.plant for r in shipped_kg.query(PLANTS_IN_CHINA)}
    assert ID["xiaomi-beijing-plant"] in {r.plant for r in reasoned_kg.query(PLANTS_IN_CHINA)}


def test_inverse_link_answers_from_the_other_side(shipped_kg, reasoned_kg):
    """prp-inv: the facts say the plant is operated by Xiaomi; reasoning says Xiaomi operates it."""
    assert list(shipped_kg.query(OPERATED_BY_XIAOMI)) == []
    assert ID["xiaomi-beijing-plant"] in {r.plant for r in reasoned_kg.query(OPERATED_BY_XIAOMI)}


def test_types_from_the_class_hierarchy(shipped_kg, reasoned_kg):
    """cax-sco: a technology company is a company and an organization."""
    assert (ID["xiaomi"], RDF.type, TA.Company) not in shipped_kg.dataset
    assert (ID["xiaomi"], RDF.type, TA.Company) in reasoned_kg.dataset
    assert reasoned_kg.query("ASK { id:xiaomi a ta:Organization }").askAnswer is True


def test_shipped_graph_is_consistent_and_free_of_axiomatic_noise(shipped_kg):
    result = reasoning.reason(shipped_kg.union(), shipped_kg.graph(ONTOLOGY_GRAPH), shipped_kg.claim_graphs())
    assert result.errors == []
    assert len(result.inferred) > 300
    for s, p, o in result.inferred:
        assert not isinstance(s, Literal)
        assert not (p == OWL.sameAs and s == o)
        assert str(s).startswith("https://w3id.org/techauto/") and "/ontology" not in str(s)
        assert o not in (OWL.Thing,)
    assert {"inverse links", "transitive links", "types from the class hierarchy, domains and ranges"} <= set(result.by_kind)


def test_inconsistency_is_reported_with_the_offending_resource(shipped_kg):
    clash = Graph().parse(data="""
        @prefix ta: <https://w3id.org/techauto/ontology#> .
        @prefix id: <https://w3id.org/techauto/id/> .
        id:chimera a ta:Company , ta:Place .
    """, format="turtle")
    ontology = shipped_kg.graph(ONTOLOGY_GRAPH)
    data = Graph()
    for triple in ontology:
        data.add(triple)
    for triple in clash:
        data.add(triple)
    result = reasoning.reason(data, ontology)
    assert not result.consistent
    assert any("chimera" in message for message in result.errors)


def test_kg_reason_reports_kinds_with_counts_and_examples():
    done = run_kg("reason", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["consistent"] is True
    assert report["kinds"]["inverse links"]["count"] > 10
    assert report["kinds"]["transitive links"]["count"] >= 3
    examples = report["kinds"]["transitive links"]["examples"]
    assert len(examples) == 3 and all(e[1].endswith("#locatedIn") for e in examples)
    table = run_kg("reason")
    assert "OWL RL added" in table.stdout and "consistent: yes" in table.stdout


def test_sources_that_disagree_stand_on_figures_of_their_own(shipped_kg):
    """prp-fp on the merged graph: the two 2024 delivery counts are on two figures, one per
    claim, so no functional property gets two values, even without telling claims apart;
    the same two counts on one figure are an inconsistency."""
    union, ontology = shipped_kg.union(), shipped_kg.graph(ONTOLOGY_GRAPH)
    annual, evertiq = ID["xiaomi-deliveries-2024-annual-report"], ID["xiaomi-deliveries-2024-evertiq"]
    assert [int(o) for o in union.objects(annual, TA.vehicleCount)] == [136000]
    assert [int(o) for o in union.objects(evertiq, TA.vehicleCount)] == [135000]
    assert reasoning.reason(union, ontology).errors == []
    one_figure = Graph()
    for count in (135000, 136000):
        one_figure.add((annual, TA.vehicleCount, Literal(count)))
    errors = reasoning.reason(union + one_figure, ontology).errors
    assert any("xiaomi-deliveries-2024-annual-report" in e and "vehicleCount" in e and "135000, 136000" in e
               for e in errors)
