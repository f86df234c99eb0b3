"""Disagreeing sources stand on figures of their own, and are still found and reported.

Issue 10 (OWL 2 DL consistency) and issue 11 (one figure entity carrying two values): each
claimed count is on its own ``ta:VehicleFigure``, linked to what it measures; figures of the
same measure (same subject, metric and period) with different values are a conflict that
``kg validate`` lists, while no functional property of any subject gets two values.
"""

from __future__ import annotations

import json

from rdflib.namespace import OWL, RDF

from conftest import TESTS_DIR, run_kg
from kg import terms
from kg.checks import validation
from kg.namespaces import ID, TA
from kg.store import KnowledgeGraph

FIXTURE = TESTS_DIR / "shapes" / "conflicts" / "figure-counts.trig"


def test_figures_of_one_measure_with_different_counts_are_a_conflict():
    kg = KnowledgeGraph.load(data=[FIXTURE])
    assert validation.validate(kg).conforms
    (conflict,) = validation.conflicts(kg)
    assert (conflict.subject, conflict.property, conflict.measure) == (terms.ID["example-maker"], terms.TA.vehicleCount,
                                                                       "deliveries, 2024")
    assert [(terms.python_value(v.value), v.figure, v.claim, v.sources, v.stated_on.value) for v in conflict.values] == [
        (136000, terms.ID["example-deliveries-2024-annual-report"], terms.CLAIM["example-annual-report-deliveries"],
         (terms.SRC["example-annual-report"],), "2025-03"),
        (135000, terms.ID["example-deliveries-2024-report"], terms.CLAIM["example-report-deliveries"],
         (terms.SRC["example-report"],), "2025-01-05"),
    ]


def test_kg_validate_lists_the_figures_and_their_claims():
    done = run_kg("validate", FIXTURE)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-5:] == [
        "Conflicts (warnings):",
        "  id:example-maker (Example Maker) ta:vehicleCount [deliveries, 2024]:",
        "    136000 on id:example-deliveries-2024-annual-report in claim:example-annual-report-deliveries"
        " (from src:example-annual-report, stated on 2025-03)",
        "    135000 on id:example-deliveries-2024-report in claim:example-report-deliveries"
        " (from src:example-report, stated on 2025-01-05)",
        "conforms: yes (0 violations, 0 warnings, 1 conflicts)",
    ]
    document = json.loads(run_kg("validate", "--format", "json", FIXTURE).stdout)
    (conflict,) = document["conflicts"]
    assert conflict["measure"] == "deliveries, 2024"
    assert [(v["value"], v["figure"]) for v in conflict["values"]] == [
        ("136000", str(ID["example-deliveries-2024-annual-report"])),
        ("135000", str(ID["example-deliveries-2024-report"])),
    ]


def test_xiaomi_2024_deliveries_disagree_on_two_figures(shipped_kg):
    """About 136,000 (annual report) and more than 135,000 (Evertiq): each count keeps its own
    qualifier, and the disagreement is the one conflict of the shipped graph."""
    rows = shipped_kg.query("""
        SELECT ?figure ?count ?qualifier WHERE {
            ?figure ta:isFigureOf id:xiaomi ; ta:hasMetric ta:Deliveries ; ta:periodYear "2024"^^xsd:gYear ;
                ta:vehicleCount ?count ; ta:hasQualifier ?qualifier .
        } ORDER BY ?figure""")
    assert [(r.figure, int(r[1].value), r.qualifier) for r in rows] == [
        (terms.ID["xiaomi-deliveries-2024-annual-report"], 136000, terms.TA.About),
        (terms.ID["xiaomi-deliveries-2024-evertiq"], 135000, terms.TA.MoreThan),
    ]
    conflicts = validation.conflicts(shipped_kg)
    assert [(c.subject, c.property, c.measure) for c in conflicts] == [
        (terms.ID["xiaomi"], terms.TA.vehicleCount, "deliveries, 2024")]
    assert {v.claim for v in conflicts[0].values} == {
        terms.CLAIM["xiaomi-deliveries-2024-annual-report"], terms.CLAIM["xiaomi-deliveries-2024-evertiq"]}


def test_no_functional_property_of_the_shipped_graph_has_two_values(shipped_kg):
    """What HermiT and Pellet would read as an inconsistency (a functional property with two
    values on one subject, across all claims merged) does not occur in the shipped facts."""
    union = shipped_kg.rdflib_graph()
    ontology = shipped_kg.rdflib_graph(graph=terms.ONTOLOGY_GRAPH)
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    assert {TA.vehicleCount, TA.amount, TA.shareOfEquity, TA.plannedAnnualCapacity, TA.statedOn} <= functional
    clashes = []
    for prop in functional:
        values: dict = {}
        for s, o in union.subject_objects(prop):
            values.setdefault(s, set()).add(terms.comparable(terms.from_rdflib(o)))
        clashes += [(s, prop, v) for s, v in values.items() if len(v) > 1]
    assert clashes == []
