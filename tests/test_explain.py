"""`kg explain`: every statement about an entity, with the claims and sources behind it."""

from __future__ import annotations

import datetime
import json

import pytest
from conftest import run_kg

from kg.answers import explain
from kg import terms
from kg.namespaces import ID, SRC, TA

FOUNDING_ARTICLE = str(SRC["seed-xiaomi-plant-fr"])
PLANT = str(ID["xiaomi-beijing-plant"])


def _json(*args: str) -> dict:
    done = run_kg("explain", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _statement(document: dict, subject: str, prop: str, value: str | None = None) -> dict:
    found = [
        st for st in document["statements"]
        if st["subject"] == subject and st["property"] == prop and (value is None or st["value"] == value)
    ]
    assert len(found) == 1, (subject, prop, value, found)
    return found[0]


def _sources(statement: dict) -> set[str]:
    return {s["source"] for c in statement["claims"] for s in c["sources"]}


def _sections(text: str) -> dict[str, str]:
    """The text output cut at its section headings (lines without indentation)."""
    sections, name = {}, "head"
    for line in text.splitlines():
        if line and not line.startswith(" "):
            name = line if line in ("Plans", "Outcomes", "Descriptions") else name
        sections[name] = sections.get(name, "") + line + "\n"
    return sections


@pytest.fixture(scope="module")
def xiaomi_json() -> dict:
    return _json("xiaomi")


@pytest.fixture(scope="module")
def plant_json() -> dict:
    return _json("xiaomi-beijing-plant")


def test_xiaomi_lists_its_plant_and_usd_commitment_from_the_founding_article(xiaomi_json):
    assert xiaomi_json["entity"] == str(ID.xiaomi)
    assert xiaomi_json["label"] == "Xiaomi"
    assert str(TA.TechnologyCompany) in xiaomi_json["types"]
    plant = _statement(xiaomi_json, PLANT, str(TA.isOperatedBy))
    assert plant["direction"] == "in"
    assert plant["value_label"] == "Xiaomi"
    assert FOUNDING_ARTICLE in _sources(plant)
    commitment = _statement(xiaomi_json, str(ID["xiaomi-car-investment-commitment"]), str(TA.hasInvestor))
    assert FOUNDING_ARTICLE in _sources(commitment)
    founding = [c for c in commitment["claims"] if c["claim"].endswith("/xiaomi-seed-s9")]
    assert founding and founding[0]["kind"] == str(TA.Plan) and founding[0]["locator"] == "paragraph 10"


def test_xiaomi_text_names_the_plant_the_commitment_and_the_founding_article():
    done = run_kg("explain", "xiaomi")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Xiaomi (id:xiaomi)\n")
    assert "← Xiaomi Beijing car plant (id:xiaomi-beijing-plant) is operated by" in done.stdout
    commitment = done.stdout.split("Xiaomi commitment of USD 10 bn over ten years to cars")[1]
    assert "French article on Xiaomi's planned electric-car plant (founding article)" in commitment.split("←")[0]


def test_french_label_finds_the_same_entity_as_the_identifier(plant_json):
    by_french_label = _json("usine automobile Xiaomi de Pékin", "--lang", "fr")
    assert by_french_label["entity"] == PLANT
    assert by_french_label["label"] == "usine automobile Xiaomi de Pékin"
    # the order follows the labels of --lang, so compare the statements as sets
    def triples(document):
        return {(s["subject"], s["property"], s["value"]) for s in document["statements"]}

    assert triples(by_french_label) == triples(plant_json)
    capacity = _statement(by_french_label, PLANT, str(TA.plannedAnnualCapacity), "300000")
    assert capacity["property_label"] == "capacité annuelle prévue"


def test_french_label_of_a_city_resolves(shipped_kg):
    assert shipped_kg.resolve("Pékin") == terms.ID.beijing
    assert shipped_kg.resolve("pékin") == terms.ID.beijing
    assert shipped_kg.resolve("Xiaomi Beijing plant") == terms.ID["xiaomi-beijing-plant"]


def test_plant_shows_plans_and_outcomes_side_by_side():
    done = run_kg("explain", "Xiaomi Beijing plant")
    assert done.returncode == 0, done.stderr
    sections = _sections(done.stdout)
    assert done.stdout.startswith("Xiaomi Beijing car plant (id:xiaomi-beijing-plant)\n")
    assert "→ planned annual capacity: 300000" in sections["Plans"]
    assert "→ planned start of production: 2024" in sections["Plans"]
    assert "2024-04-03" not in sections["Plans"]
    assert "← Xiaomi SU7 (id:xiaomi-su7) is manufactured at (this)" in sections["Outcomes"]
    assert "stated 2024-04-03, outcome" in sections["Outcomes"]
    assert "300000" not in sections["Outcomes"]


def test_plant_json_has_the_plan_and_the_outcome_with_dates(plant_json):
    capacity = _statement(plant_json, PLANT, str(TA.plannedAnnualCapacity), "300000")
    assert {c["kind"] for c in capacity["claims"]} == {str(TA.Plan)}
    assert {c["stated_on"] for c in capacity["claims"]} == {"2021", "2021-11-27"}
    assert FOUNDING_ARTICLE in _sources(capacity)
    made_here = _statement(plant_json, str(ID["xiaomi-su7"]), str(TA.isManufacturedAt))
    assert made_here["direction"] == "in" and made_here["value"] == PLANT
    assert made_here["property_label"] == "is manufactured at"
    [claim] = made_here["claims"]
    assert (claim["kind"], claim["stated_on"]) == (str(TA.Outcome), "2024-04-03")
    assert claim["sources"][0]["publisher"] == "autotimes.net"


def test_json_statements_all_carry_claims_with_described_sources(plant_json):
    assert plant_json["statements"]
    for statement in plant_json["statements"]:
        assert statement["direction"] in ("in", "out")
        assert statement["claims"], statement
        for claim in statement["claims"]:
            assert claim["kind"] in {str(TA.Plan), str(TA.Outcome), str(TA.Description)}
            assert claim["sources"], claim
            assert all(source["label"] for source in claim["sources"])
    scmp = [s for st in plant_json["statements"] for c in st["claims"] for s in c["sources"]
            if s["source"] == str(SRC["scmp-3157609"])]
    assert scmp[0]["web_location"] == "https://scmp.com/tech/big-tech/article/3157609"


def test_json_output_is_deterministic(shipped_kg):
    first = explain.render_json(explain.explain(shipped_kg, terms.ID.xiaomi))
    second = explain.render_json(explain.explain(shipped_kg, terms.ID.xiaomi))
    assert first == second
    assert json.loads(first)["statements"]


def test_as_of_leaves_out_later_outcomes(shipped_kg):
    early = explain.explain(shipped_kg.as_of(datetime.date(2021, 12, 31)), terms.ID["xiaomi-beijing-plant"])
    properties = {(st.subject, st.property) for st in early.statements}
    assert (terms.ID["xiaomi-beijing-plant"], terms.TA.plannedAnnualCapacity) in properties
    assert (terms.ID["xiaomi-su7"], terms.TA.isManufacturedAt) not in properties


def test_unknown_entity_exits_2_with_one_line_naming_the_closest_labels():
    done = run_kg("explain", "Xiaomi Bejing plnt")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "closest" in lines[0] and "Xiaomi Beijing car plant" in lines[0]


def test_explaining_a_source_points_to_what_it_states():
    done = run_kg("explain", "src:scmp-3157609")
    assert done.returncode == 0
    assert "kg query facts-by-source --param source=src:scmp-3157609" in done.stdout
    listed = run_kg("query", "facts-by-source", "--param", "source=src:scmp-3157609", "--format", "csv")
    assert "https://w3id.org/techauto/claim/xiaomi-e-town-plan" in listed.stdout
    assert ",300000" in listed.stdout
