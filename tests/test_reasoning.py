"""OWL RL: answers that exist only after inference, noise left out, inconsistencies found,
and kg's compiled rules giving exactly owlrl's entailments."""

from __future__ import annotations

import json

import pytest

from conftest import run_kg
from kg.checks import reasoning
from kg.sources import synthetic
from kg.store import KnowledgeGraph
from kg.terms import ID, OWL, RDF, TA, Literal, Triple

PLANTS_IN_CHINA = "SELECT ?plant WHERE { ?plant a ta:ManufacturingPlant ; ta:locatedIn id:china }"
OPERATED_BY_XIAOMI = "SELECT ?plant WHERE { id:xiaomi ta:operates ?plant }"
PREFIXES = """@prefix ta: <https://w3id.org/techauto/ontology#> .
@prefix id: <https://w3id.org/techauto/id/> .
@prefix claim: <https://w3id.org/techauto/claim/> .
@prefix src: <https://w3id.org/techauto/source/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


def _graph(tmp_path, text: str, name: str = "facts.trig") -> KnowledgeGraph:
    path = tmp_path / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return KnowledgeGraph.load(data=[path])


def test_transitive_location_finds_a_district_level_plant_by_country(shipped_kg, reasoned_kg):
    """prp-trp: locatedIn is transitive: plant in Beijing E-Town in Beijing in China."""
    assert ID["xiaomi-beijing-plant"] not in {r.plant for r in shipped_kg.query(PLANTS_IN_CHINA)}
    assert ID["xiaomi-beijing-plant"] in {r.plant for r in reasoned_kg.query(PLANTS_IN_CHINA, inferred=True)}


def test_inverse_link_answers_from_the_other_side(shipped_kg, reasoned_kg):
    """prp-inv: the facts say the plant is operated by Xiaomi; reasoning says Xiaomi operates it."""
    assert list(shipped_kg.query(OPERATED_BY_XIAOMI)) == []
    assert ID["xiaomi-beijing-plant"] in {r.plant for r in reasoned_kg.query(OPERATED_BY_XIAOMI, inferred=True)}


def test_types_from_the_class_hierarchy(shipped_kg, reasoned_kg):
    """cax-sco: a technology company is a company and an organization."""
    assert not list(shipped_kg.quads(ID["xiaomi"], RDF.type, TA.Company))
    assert list(reasoned_kg.quads(ID["xiaomi"], RDF.type, TA.Company, inferred=True))
    assert reasoned_kg.query("ASK { id:xiaomi a ta:Organization }", inferred=True).boolean is True
    assert reasoned_kg.query("ASK { id:xiaomi a ta:Organization }").boolean is False


def test_shipped_graph_is_consistent_and_free_of_axiomatic_noise(reasoned_kg):
    result = reasoned_kg.reason()
    assert result.errors == []
    assert len(result.inferred) > 300
    for triple in result.inferred:
        assert not isinstance(triple.subject, Literal)
        assert not (triple.predicate == OWL.sameAs and triple.subject == triple.object)
        assert triple.subject.value.startswith("https://w3id.org/techauto/id/")
        assert triple.object != OWL.Thing
    assert {"inverse links", "transitive links", "types from the class hierarchy, domains and ranges"} <= set(result.by_kind)


def test_rules_entail_exactly_what_owlrl_entails_on_the_shipped_graph(shipped_kg):
    """The compiled rules (prp-spo1, prp-inv1/2, prp-symp, prp-trp, prp-dom, prp-rng, cax-sco)
    give the same filtered entailments as owlrl's full OWL RL closure."""
    rules, rules_errors = reasoning.infer(shipped_kg, "rules")
    owlrl, owlrl_errors = reasoning.infer(shipped_kg, "owlrl")
    assert set(rules) == set(owlrl)
    assert len(rules) == len(owlrl) > 400
    assert Triple(ID["xiaomi"], TA.operates, ID["xiaomi-beijing-plant"]) in set(rules)
    assert rules_errors == owlrl_errors == []


@pytest.mark.slow
@pytest.mark.parametrize("factor", [2, 16])  # about 12,000 and 100,000 quads
def test_rules_entail_exactly_what_owlrl_entails_on_synthetic_graphs(tmp_path, shipped_kg, factor):
    """About 10,000 and 100,000 quads: copies of the shipped facts linked across copies."""
    path = tmp_path / f"synthetic-{factor}.trig"
    path.write_text(synthetic.trig(synthetic.synthetic_quads(shipped_kg, factor)), encoding="utf-8")
    kg = KnowledgeGraph.load(data=[path])
    assert kg.asserted_count() > 2000 * factor
    rules, _ = reasoning.infer(kg, "rules")
    owlrl, _ = reasoning.infer(kg, "owlrl")
    assert set(rules) == set(owlrl)
    assert Triple(ID[f"xiaomi_c{factor - 1}"], TA.operates, ID[f"xiaomi-beijing-plant_c{factor - 1}"]) in set(rules)


@pytest.mark.parametrize("engine", reasoning.ENGINES)
def test_inconsistency_is_reported_with_the_offending_resource(tmp_path, engine):
    """cax-dw: a member of two disjoint classes."""
    kg = _graph(tmp_path, "claim:c { id:chimera a ta:Company , ta:Place . }\n")
    result = kg.reason(engine)
    assert not result.consistent
    assert any("chimera" in message and "disjoint" in message for message in result.errors), result.errors


def test_kg_reason_reports_kinds_with_counts_and_examples():
    done = run_kg("reason", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["consistent"] is True and report["reasoner"] == "rules"
    assert report["kinds"]["inverse links"]["count"] > 10
    assert report["kinds"]["transitive links"]["count"] >= 3
    examples = report["kinds"]["transitive links"]["examples"]
    assert len(examples) == 3 and all(e[1].endswith("#locatedIn") for e in examples)
    table = run_kg("reason")
    assert "OWL RL (rules) added" in table.stdout and "consistent: yes" in table.stdout
    reference = json.loads(run_kg("reason", "--reasoner", "owlrl", "--format", "json").stdout)
    assert reference["reasoner"] == "owlrl" and reference["inferred"] == report["inferred"]


def test_sources_that_disagree_stand_on_figures_of_their_own(shipped_kg, tmp_path):
    """prp-fp: the two 2024 delivery counts are on two figures, one per claim, so no
    functional property gets two values; two counts on one figure are an inconsistency,
    whether one claim or two state them (as HermiT and Pellet judge it)."""
    annual, evertiq = ID["xiaomi-deliveries-2024-annual-report"], ID["xiaomi-deliveries-2024-evertiq"]
    assert [q.object.value for q in shipped_kg.quads(annual, TA.vehicleCount)] == ["136000"]
    assert [q.object.value for q in shipped_kg.quads(evertiq, TA.vehicleCount)] == ["135000"]
    assert shipped_kg.in_memory().reason().errors == []
    for name, text in [("one.trig", "claim:a { id:figure a ta:VehicleFigure ; ta:vehicleCount 135000 , 136000 . }\n"),
                       ("two.trig", "claim:a { id:figure a ta:VehicleFigure ; ta:vehicleCount 135000 . }\n"
                                    "claim:b { id:figure ta:vehicleCount 136000 . }\n")]:
        errors = _graph(tmp_path, text, name).reason().errors
        assert any("figure" in e and "vehicleCount" in e and "135000, 136000" in e for e in errors), (name, errors)


def test_kg_query_inferred_finds_the_plants_in_china_from_their_districts(tmp_path):
    """A plant's place is asserted at its finest level (the Beijing plant's district,
    Beijing E-Town; Tianjin; Songjiang); the country comes through transitive located-in,
    so --inferred answers "plants in China" and the plain query does not."""
    query = tmp_path / "in-china.rq"
    query.write_text(PLANTS_IN_CHINA + " ORDER BY ?plant\n", encoding="utf-8")
    plain = run_kg("query", query, "--format", "csv")
    inferred = run_kg("query", query, "--format", "csv", "--inferred")
    assert plain.returncode == inferred.returncode == 0, plain.stderr + inferred.stderr
    assert plain.stdout.splitlines() == ["plant"]
    assert inferred.stdout.splitlines() == ["plant"] + [ID[name].value for name in (
        "evergrande-shanghai-plant", "evergrande-tianjin-plant", "xiaomi-beijing-plant")]


def test_kg_explain_inferred_shows_what_reasoning_adds():
    done = run_kg("explain", "xiaomi", "--inferred", "--format", "json")
    assert done.returncode == 0, done.stderr
    statements = json.loads(done.stdout)["statements"]
    inferred = [s for s in statements if s["claims"][0]["claim"].endswith("graph/inferred")]
    assert {(s["property"], s["value"]) for s in inferred} >= {
        (TA.operates.value, ID["xiaomi-beijing-plant"].value), (RDF.type.value, TA.Organization.value)}
    text = run_kg("explain", "xiaomi", "--inferred").stdout
    assert "Inferred by reasoning (OWL RL, no source of its own)" in text
