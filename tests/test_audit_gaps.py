"""Issue 11's audit of the graph, one test per gap it found, each asserting the fixed facts.

The checks that keep each gap from coming back are shapes with fixtures (``tests/shapes``):
``claim-graph-empty``, ``claim-date-missing``, ``company-stakes-above-100``,
``figure-two-counts``/``figure-two-qualifiers``, ``web-location-not-an-iri``.
"""

from __future__ import annotations

import datetime
import json

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from conftest import run_kg
from kg.answers import answering, questions
from kg.namespaces import CLAIM, ID, SRC, TA

TIMELESS = {
    "evergrande-iso-3166-2-tianjin", "evergrande-iso-3166-2-shanghai", "foxconn-iso-3166-2-ohio",
    "lg-iso-3166-2-incheon", "places-iso-3166-2-china", "sony-iso-3166-2-california", "sony-iso-3166-2-arizona",
}


def value(kg, subject, prop):
    return kg.dataset.value(ID[subject], prop)


def test_tianjin_claim_states_its_country_and_the_plant_is_in_china(shipped_rdf, reasoned_rdf):
    graph = shipped_rdf.graph(CLAIM["evergrande-iso-3166-2-tianjin"])
    assert set(graph) == {(ID["tianjin"], TA.locatedIn, ID["china"])}
    plants_in_china = {row.plant for row in reasoned_rdf.query(
        "SELECT ?plant WHERE { ?plant a ta:ManufacturingPlant ; ta:locatedIn id:china }")}
    assert {ID["evergrande-tianjin-plant"], ID["xiaomi-beijing-plant"]} <= plants_in_china


def test_sony_honda_mobility_has_its_owners_and_capital(shipped_rdf):
    rows = shipped_rdf.query("""SELECT ?owner ?share WHERE {
        ?stake ta:isStakeIn id:sony-honda-mobility ; ta:hasOwner ?owner ; ta:shareOfEquity ?share } ORDER BY ?owner""")
    assert [(r.owner, float(r.share)) for r in rows] == [(ID["honda"], 50.0), (ID["sony"], 50.0)]
    capital = ID["sony-honda-mobility-capital"]
    assert (float(shipped_rdf.dataset.value(capital, TA.amount)), str(shipped_rdf.dataset.value(capital, TA.currency))) == (
        10_000_000_000.0, "JPY")
    assert shipped_rdf.dataset.value(capital, TA.hasAmountScope) == TA.CombinedAmount


def test_waymo_is_a_company_of_alphabet(shipped_rdf):
    assert value(shipped_rdf, "waymo", TA.isSubsidiaryOf) == ID["alphabet"]


def test_the_afeela_is_built_at_honda_east_liberty_in_ohio(shipped_rdf, reasoned_rdf):
    plant = ID["honda-east-liberty-plant"]
    assert (plant, TA.manufactures, ID["afeela-1"]) in shipped_rdf.dataset
    assert (plant, TA.locatedIn, ID["ohio"]) in shipped_rdf.dataset
    assert (plant, TA.locatedIn, ID["united-states"]) in reasoned_rdf.union()


def test_didi_programme_has_a_status(shipped_rdf):
    rows = shipped_rdf.query("""SELECT ?status ?date WHERE {
        id:didi-car-programme ta:hasStatusRecord ?r . ?r ta:hasStatus ?status ; ta:statusDate ?date }""")
    assert [(r.status, str(r.date)) for r in rows] == [(TA.Announced, "2023-08-28")]


def test_jiyue_collapse_is_on_jiyue_which_succeeds_jidu(shipped_rdf):
    assert value(shipped_rdf, "jiyue-venture", TA.ceasedOn) == Literal("2024-12-11", datatype=XSD.date)
    assert value(shipped_rdf, "jiyue-venture", TA.succeeds) == ID["jidu-auto"]
    assert shipped_rdf.dataset.value(CLAIM["baidu-jiyue-succession"], TA.hasConfidence) == TA.LowConfidence
    statement = ID["jiyue-joint-statement"]
    assert shipped_rdf.dataset.value(statement, TA.signedOn) == Literal("2024-12-13", datatype=XSD.date)


def test_every_claim_has_a_date_or_says_why_not(shipped_rdf):
    """The nine undated claims of the audit: ISO 3166-2 geography is timeless, the others are undated."""
    undated, timeless = set(), set()
    for graph in shipped_rdf.claim_graphs():
        claim = graph.identifier
        dating = shipped_rdf.dataset.value(claim, TA.hasDating)
        stated = shipped_rdf.dataset.value(claim, TA.statedOn)
        assert (stated is None) != (dating is None), claim
        name = str(claim)[len(str(CLAIM)):]
        if dating == TA.Timeless:
            timeless.add(name)
        elif dating == TA.Undated:
            undated.add(name)
    assert timeless == TIMELESS
    assert {"foxconn-model-c-target", "huawei-hima-later-members", "sony-honda-plant-plan"} <= undated
    assert shipped_rdf.dataset.value(CLAIM["huawei-not-a-carmaker"], TA.statedOn) == Literal(
        "2020-11-27", datatype=XSD.date)


def test_as_of_leaves_undated_claims_out_and_names_them(shipped_rdf):
    """The Q4-2023 Model C target is not an answer as of 2020, and the answer says it was left out."""
    then = shipped_rdf.as_of(datetime.date(2020, 1, 1))
    assert CLAIM["foxconn-model-c-target"] in then.undated_claims
    assert not list(then.dataset.triples((ID["foxconn-model-c-target-2023-q4"], None, None)))
    assert (ID["beijing"], TA.locatedIn, ID["china"]) in then.dataset  # timeless geography counts
    assert not set(then.undated_claims) & {CLAIM[name] for name in TIMELESS}
    answer = answering.answer(questions.find("plants-by-company"), {}, kg=shipped_rdf.kg, as_of=datetime.date(2020, 1, 1))
    assert str(CLAIM["foxconn-model-c-target"]) in answer.meta["undated_claims_left_out"]


def test_kg_query_as_of_reports_the_undated_claims():
    done = run_kg("query", "announcements-timeline", "--as-of", "2020-01-01", "--format", "csv")
    assert done.returncode == 0, done.stderr
    (note,) = done.stderr.splitlines()
    assert note.startswith("kg query: ") and " undated claims left out (their sources give no date): " in note
    assert "claim:foxconn-model-c-target" in note and "claim:places-iso-3166-2-china" not in note
    document = json.loads(run_kg("query", "plants-by-company", "--as-of", "2020-01-01", "--format", "json").stdout)
    assert str(CLAIM["sony-honda-plant-plan"]) in document["undated_claims_left_out"]


def test_xiaomi_2024_deliveries_are_two_figures_with_their_own_qualifiers(shipped_rdf):
    assert not list(shipped_rdf.dataset.triples((ID["xiaomi-deliveries-2024"], None, None)))
    for figure, count, qualifier in (("xiaomi-deliveries-2024-annual-report", 136000, TA.About),
                                     ("xiaomi-deliveries-2024-evertiq", 135000, TA.MoreThan)):
        assert int(value(shipped_rdf, figure, TA.vehicleCount)) == count
        assert value(shipped_rdf, figure, TA.hasQualifier) == qualifier


def test_web_locations_are_https_iris_and_bare_domains_only_publishers(shipped_rdf):
    locations = list(shipped_rdf.dataset.subject_objects(TA.webLocation))
    assert len(locations) > 150
    assert all(isinstance(o, URIRef) and str(o).startswith("https://") for _, o in locations)
    assert shipped_rdf.dataset.value(SRC["scmp-3157609"], TA.webLocation) == URIRef(
        "https://scmp.com/tech/big-tech/article/3157609")
    # pandaily.com is all the notes give for the E-Town contract report: publisher, no address.
    assert shipped_rdf.dataset.value(SRC["pandaily-xiaomi-e-town-contract"], TA.webLocation) is None
    assert str(shipped_rdf.dataset.value(SRC["pandaily-xiaomi-e-town-contract"], TA.publisherName)) == "pandaily.com"


def test_only_the_founding_article_has_a_language(shipped_rdf):
    """The notes state one language: the founding article is French."""
    assert list(shipped_rdf.dataset.subject_objects(DCTERMS.language)) == [
        (SRC["seed-xiaomi-plant-fr"], Literal("fr"))]


def test_facts_once_only_in_notes_are_statements(shipped_rdf):
    def figure(name, prop):
        return shipped_rdf.dataset.value(ID[name], prop).toPython()

    assert (figure("apple-titan-staff-affected", TA.quantity), value(shipped_rdf, "apple-titan-staff-affected", TA.hasBusinessMetric)) == (
        2000, TA.StaffAffected)
    assert (figure("evergrande-loss-2021-h1", TA.amount), str(figure("evergrande-loss-2021-h1", TA.currency))) == (
        4_800_000_000, "CNY")
    assert figure("lg-magna-e-powertrain-reported-value", TA.amount) == 1_000_000_000
    assert (figure("samsung-harman-price-per-share", TA.amount), str(figure("samsung-harman-price-per-share", TA.currency))) == (
        112, "USD")
    assert (figure("xpeng-didi-deal-in-usd", TA.amount), value(shipped_rdf, "xpeng-didi-deal-in-usd", TA.hasBusinessMetric)) == (
        744_000_000, TA.CurrencyEquivalent)
    assert figure("im-motors-first-round", TA.amount) == 10_000_000_000
    assert not [n for n in shipped_rdf.graph(CLAIM["evergrande-loss-2021-h1"]).objects(None, TA.note)]


def test_every_investment_says_whose_money_it_is(shipped_rdf):
    investments = set(shipped_rdf.dataset.subjects(RDF.type, TA.Investment)) | set(
        shipped_rdf.dataset.subjects(RDF.type, TA.Acquisition))
    assert len(investments) > 50
    assert {i for i in investments if shipped_rdf.dataset.value(i, TA.hasAmountScope) is None} == set()
    assert value(shipped_rdf, "rivian-funding-round-2019-02", TA.hasLeadInvestor) == ID["amazon"]
    assert value(shipped_rdf, "jidu-auto-registered-capital", TA.hasAmountScope) == TA.CombinedAmount
