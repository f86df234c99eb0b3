"""The store: any data for every command (--data, --ontology), a graph kept on disk
(--store DIR), and a checkout's own files used in a checkout."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from rdflib import Dataset

from conftest import TESTS_DIR, run_kg
from kg import resources, terms
from kg.exports import rdf
from kg.store import KnowledgeGraph
from kg.terms import ID, TA

ROOT = TESTS_DIR.parent
PLANT = ID["xiaomi-beijing-plant"].value
PLANTS_IN_CHINA = "SELECT ?plant WHERE { ?plant a ta:ManufacturingPlant ; ta:locatedIn id:china } ORDER BY ?plant"
FIXTURE = TESTS_DIR / "shapes" / "valid" / "plant.trig"
RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml", ".trig": "trig"}


def _csv(done) -> list[dict]:
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_the_shipped_graph_loads_into_oxigraph(shipped_kg):
    assert shipped_kg.sources == ["shipped ontology", "shipped facts"]
    assert shipped_kg.asserted_count() > 2000
    assert len(shipped_kg.claim_names()) > 80
    (row,) = shipped_kg.select("SELECT ?c WHERE { id:xiaomi-beijing-plant ta:plannedAnnualCapacity ?c } GROUP BY ?c")
    assert row.c.value == "300000"


@pytest.mark.parametrize("suffix", sorted(RDFLIB_FORMATS))
def test_every_rdf_format_is_data_for_every_command(tmp_path, suffix):
    """The same fixture in six formats: each is read as --data, and its plant answers."""
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    path = tmp_path / f"plant{suffix}"
    if RDFLIB_FORMATS[suffix] in ("trig", "nquads", "json-ld"):
        dataset.serialize(path, format=RDFLIB_FORMATS[suffix])
    else:
        merged = dataset.graph()  # a triple format: the default graph holds every triple
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
        merged.serialize(path, format=RDFLIB_FORMATS[suffix])
    rows = _csv(run_kg("query", "-e", "SELECT ?c WHERE { id:example-plant ta:plannedAnnualCapacity ?c }",
                       "--format", "csv", "--data", path))
    assert [r["c"] for r in rows] == ["300000"]
    explained = run_kg("explain", "example-plant", "--data", path, "--format", "json")
    assert explained.returncode == 0, explained.stderr
    assert json.loads(explained.stdout)["entity"] == ID["example-plant"].value


def test_a_folder_of_data_is_read_whole(tmp_path):
    folder = tmp_path / "facts"
    shutil.copytree(resources.facts_dir(), folder)
    done = run_kg("query", "xiaomi-beijing-plant", "--data", folder, "--format", "csv")
    shipped = run_kg("query", "xiaomi-beijing-plant", "--format", "csv")
    assert done.stdout == shipped.stdout and "300000" in done.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = run_kg("query", "xiaomi-beijing-plant", "--data", empty)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [f"kg query: error: {empty}: folder holds no RDF file "
                                           "(.json, .jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl, .turtle, .xml)"]


def test_every_command_takes_data_store_and_ontology():
    for command in ("build", "validate", "query", "explain", "reason", "export", "draw", "import"):
        text = run_kg(command, "--help").stdout
        assert "--data PATH" in text and "--store DIR" in text and "--ontology" in text, command
    analyze = run_kg("analyze", "stats", "--help").stdout
    assert "--data PATH" in analyze and "--store DIR" in analyze


def test_a_users_ontology_replaces_the_shipped_one(tmp_path):
    """With --ontology, reasoning uses only what that ontology says."""
    ontology = tmp_path / "mini.ttl"
    ontology.write_text("""@prefix ta: <https://w3id.org/techauto/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ta:isOperatedBy owl:inverseOf ta:operates .
""", encoding="utf-8")
    query = "SELECT ?plant WHERE { id:xiaomi ta:operates ?plant } ORDER BY ?plant"
    mini = _csv(run_kg("query", "-e", query, "--inferred", "--ontology", ontology, "--format", "csv"))
    assert PLANT in {r["plant"] for r in mini}
    types = _csv(run_kg("query", "-e", "SELECT ?t WHERE { id:xiaomi a ?t } ORDER BY ?t", "--inferred",
                        "--ontology", ontology, "--format", "csv"))
    assert {r["t"] for r in types} == {TA.TechnologyCompany.value}  # no class hierarchy in this ontology


def test_a_store_is_loaded_once_then_opened_read_only(tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    built = run_kg("build", "--store", store, "-o", out, "--no-pictures")
    assert built.returncode == 0, built.stderr
    manifest = json.loads((store / "kg-store.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["shipped ontology", "shipped facts"]
    assert manifest["inferred"]["reasoner"] == "rules" and manifest["inferred"]["triples"] > 400
    assert manifest["quads"] > 3000
    stored = run_kg("query", "xiaomi-beijing-plant", "--store", store, "--format", "csv")
    assert stored.stdout == run_kg("query", "xiaomi-beijing-plant", "--format", "csv").stdout
    inferred = _csv(run_kg("query", "-e", PLANTS_IN_CHINA, "--store", store, "--inferred", "--format", "csv"))
    assert PLANT in {r["plant"] for r in inferred}
    plain = _csv(run_kg("query", "-e", PLANTS_IN_CHINA, "--store", store, "--format", "csv"))
    assert PLANT not in {r["plant"] for r in plain}
    assert sorted(p.name for p in store.iterdir()) == ["asserted", "kg-store.json", "reasoned"]


def test_data_given_with_a_store_reloads_it(tmp_path):
    store = tmp_path / "store"
    assert run_kg("validate", "--store", store).returncode == 0
    assert run_kg("validate", "--store", store, "--data", FIXTURE).returncode == 0
    manifest = json.loads((store / "kg-store.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["shipped ontology", str(FIXTURE)] and manifest["inferred"] is None
    rows = _csv(run_kg("query", "-e", "SELECT ?p WHERE { ?p a ta:ManufacturingPlant } ORDER BY ?p",
                       "--store", store, "--format", "csv"))
    assert [r["p"] for r in rows] == [ID["example-plant"].value]


def test_a_folder_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run_kg("query", "xiaomi-beijing-plant", "--store", tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"kg query: error: --store {tmp_path}: not a kg store (no kg-store.json) "
                                        "and not empty; give a new or empty folder"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_broken_file_leaves_the_previous_store_intact(tmp_path):
    store, broken = tmp_path / "store", tmp_path / "broken.ttl"
    assert run_kg("validate", "--store", store, "--data", FIXTURE).returncode == 0
    broken.write_text("@prefix ta: <https://w3id.org/techauto/ontology#> .\nta:a ta:b \n", encoding="utf-8")
    done = run_kg("validate", "--store", store, "--data", broken)
    assert done.returncode == 2 and f"{broken}:" in done.stderr
    rows = _csv(run_kg("query", "-e", "SELECT ?p WHERE { ?p a ta:ManufacturingPlant }", "--store", store,
                       "--format", "csv"))
    assert [r["p"] for r in rows] == [ID["example-plant"].value]
    assert not [p for p in store.iterdir() if p.name.startswith(".")]


def test_in_a_checkout_the_checkouts_files_are_used(tmp_path):
    """Editing kg/facts in a checkout changes what kg sees, even when kg is installed
    from elsewhere; outside a checkout, kg fmt refuses to rewrite the installed files."""
    checkout = tmp_path / "checkout"
    for part in ("ontology", "queries", "kg/facts"):
        shutil.copytree(ROOT / part, checkout / part)
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    facts = checkout / "kg" / "facts" / "xiaomi.trig"
    facts.write_text(facts.read_text(encoding="utf-8").replace("ta:plannedAnnualCapacity 300000",
                                                               "ta:plannedAnnualCapacity 300001"), encoding="utf-8")
    rows = _csv(run_kg("query", "xiaomi-beijing-plant", "--format", "csv", cwd=checkout / "kg"))
    capacities = {r["value"] for r in rows if r["aspect"] == "total capacity"}
    assert "300001" in capacities
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    refused = run_kg("fmt", cwd=elsewhere, env={"KG_DATA_DIR": ""})
    assert refused.returncode == 2
    assert "not in a techauto-kg checkout" in refused.stderr and len(refused.stderr.splitlines()) == 1


def test_the_python_api_loads_and_queries_a_store(tmp_path):
    kg = KnowledgeGraph.load(store=tmp_path / "store")
    assert kg.location == tmp_path / "store" and not kg.read_only
    del kg
    again = KnowledgeGraph.load(store=tmp_path / "store", read_only=True)
    assert again.read_only
    assert again.query("ASK { id:xiaomi-beijing-plant ta:isOperatedBy id:xiaomi }").boolean is True


def test_a_triple_two_claims_state_counts_once(tmp_path):
    """The default graph of a query is the RDF merge of the graphs, a set: a fact two claims
    state is one triple there (Oxigraph's own union would count it twice), and each claim
    still has it in its graph. What a file puts in its default graph stays there on export."""
    path = tmp_path / "two-claims.trig"
    path.write_text("""@prefix ta: <https://w3id.org/techauto/ontology#> .
@prefix id: <https://w3id.org/techauto/id/> .
@prefix claim: <https://w3id.org/techauto/claim/> .
claim:a a ta:Claim .
claim:a { id:plant ta:plannedAnnualCapacity 10 . }
claim:b { id:plant ta:plannedAnnualCapacity 10 . }
""", encoding="utf-8")
    kg = KnowledgeGraph.load(data=[path], ontology=False)
    (row,) = kg.select("SELECT (COUNT(*) AS ?n) (SUM(?c) AS ?total) WHERE { ?p ta:plannedAnnualCapacity ?c }")
    assert (row.n.value, row.total.value) == ("1", "10")
    (row,) = kg.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p ta:plannedAnnualCapacity ?c } }")
    assert row.n.value == "2"
    assert len(kg) == 3 and kg.claim_names() == [terms.CLAIM["a"], terms.CLAIM["b"]]
    assert [q.graph_name for q in kg.quads(terms.CLAIM["a"], None, None)] == [terms.DEFAULT_GRAPH]
    exported = Dataset()
    exported.parse(data=rdf.serialize(kg, "trig"), format="trig")
    assert len(exported.default_context) == 1 and len(list(exported.quads((None, None, None, None)))) == 3
