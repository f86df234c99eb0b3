"""Outputs as the W3C specifications say: every export format holds the same quads as the
TriG export, and every SPARQL result format parses back with rdflib (issue 10 items 4, 5);
a missing extra is one line (item 8)."""

from __future__ import annotations

import io
import json
import subprocess
from itertools import product

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import kg_executable, run_kg

DATASET_FORMATS = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
GRAPH_FORMATS = {"turtle": "turtle", "nt": "nt", "xml": "xml"}
SELECT = "SELECT ?plant ?capacity WHERE { ?plant a ta:ManufacturingPlant ; ta:plannedAnnualCapacity ?capacity }"


def _export(fmt: str, flags: tuple[str, ...]) -> str:
    done = run_kg("export", "--format", fmt, *flags)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _graphs(dataset: Dataset) -> dict:
    """Each graph of a dataset by name (the default graph under None), non-empty ones only."""
    found = {}
    for graph in dataset.graphs():
        if len(graph):
            name = None if graph.identifier == dataset.default_context.identifier else graph.identifier
            found[name] = graph
    return found


@pytest.fixture(scope="module", params=[(), ("--with-ontology",), ("--inferred",), ("--with-ontology", "--inferred")],
                ids=["asserted", "ontology", "inferred", "ontology+inferred"])
def trig(request):
    flags = request.param
    reference = Dataset()
    reference.parse(data=_export("trig", flags), format="trig")
    return flags, reference


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_every_dataset_format_holds_the_quads_of_the_trig(trig, fmt):
    flags, reference = trig
    back = Dataset()
    back.parse(data=_export(fmt, flags), format=DATASET_FORMATS[fmt])
    expected, found = _graphs(reference), _graphs(back)
    assert set(found) == set(expected)
    assert len(expected) > 200  # a named graph per claim, the default graph, the ontology or inferences
    for name, graph in expected.items():
        assert isomorphic(found[name], graph), name
    if "--inferred" in flags:
        assert URIRef("https://w3id.org/techauto/graph/inferred") in found


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_every_graph_format_holds_the_triples_of_the_trig(trig, fmt):
    flags, reference = trig
    merged = Graph()
    for s, p, o, _ in reference.quads((None, None, None, None)):
        merged.add((s, p, o))
    back = Graph().parse(data=_export(fmt, flags), format=GRAPH_FORMATS[fmt])
    assert isomorphic(back, merged)


def test_json_ld_has_a_readable_context_and_a_graph_per_claim():
    document = json.loads(_export("jsonld", ()))
    assert document["@context"]["ta"] == "https://w3id.org/techauto/ontology#"
    assert document["@context"]["claim"] == "https://w3id.org/techauto/claim/"
    graphs = [node for node in document["@graph"] if "@graph" in node]
    assert len(graphs) > 200 and all(node["@id"].startswith("claim:") for node in graphs)
    plant = next(n for g in graphs if g["@id"] == "claim:xiaomi-seed-s5" for n in g["@graph"]
                 if n["@id"] == "id:xiaomi-beijing-plant")
    assert plant["ta:plannedAnnualCapacity"] == [{"@type": "xsd:integer", "@value": "300000"}]


@pytest.mark.parametrize("fmt, rdflib_format", [("json", "json"), ("xml", "xml"), ("csv", "csv"), ("tsv", "tsv")])
def test_select_results_parse_back_with_rdflib(fmt, rdflib_format):
    done = run_kg("query", "-e", SELECT + " ORDER BY ?plant", "--format", fmt)
    assert done.returncode == 0, done.stderr
    result = Result.parse(io.StringIO(done.stdout), format=rdflib_format)
    rows = {(str(r[0]), str(r[1])) for r in result}
    assert ("https://w3id.org/techauto/id/xiaomi-beijing-plant", "300000") in rows
    assert [str(v) for v in result.vars] == ["plant", "capacity"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results_are_boolean_results(fmt):
    for question, answer in (("ASK { id:xiaomi-beijing-plant ta:isOperatedBy id:xiaomi }", True),
                             ("ASK { id:xiaomi-beijing-plant ta:isOperatedBy id:apple }", False)):
        done = run_kg("query", "-e", question, "--format", fmt)
        assert done.returncode == 0, done.stderr
        result = Result.parse(io.StringIO(done.stdout), format=fmt)
        assert result.type == "ASK" and result.askAnswer is answer


def test_csv_ends_lines_with_crlf_and_tsv_writes_terms():
    # run_kg reads text, which turns CRLF into LF: read the bytes instead
    data = subprocess.run([kg_executable(), "query", "-e", SELECT + " ORDER BY ?plant", "--format", "csv"],
                          capture_output=True, timeout=60).stdout
    lines = data.split(b"\r\n")
    assert lines[0] == b"plant,capacity" and lines[-1] == b"" and b"\n" not in b"".join(lines)
    tsv = run_kg("query", "-e", SELECT + " ORDER BY ?plant", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?plant\t?capacity"
    assert "<https://w3id.org/techauto/id/xiaomi-beijing-plant>\t" \
           '"300000"^^<http://www.w3.org/2001/XMLSchema#integer>' in tsv


def test_a_missing_extra_is_one_line(tmp_path):
    """Without matplotlib (the draw extra) a PNG cannot be drawn: one line naming the
    extra, exit 2; the HTML view needs no extra."""
    blocker = tmp_path / "blocked"
    (blocker / "matplotlib").mkdir(parents=True)
    (blocker / "matplotlib" / "__init__.py").write_text("raise ImportError('blocked for the test')\n")
    env = {"PYTHONPATH": str(blocker)}
    done = run_kg("draw", "xiaomi", "-o", tmp_path / "x.png", env=env)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["kg draw: error: PNG/SVG drawing needs matplotlib: pip install 'techauto-kg[draw]'"]
    html = run_kg("draw", "xiaomi", "-o", tmp_path / "x.html", env=env)
    assert html.returncode == 0, html.stderr
    assert "<svg" in (tmp_path / "x.html").read_text(encoding="utf-8")
    assert not (tmp_path / "x.png").exists()


def test_every_export_flag_combination_is_deterministic():
    for fmt, flags in product(("trig", "jsonld"), [(), ("--with-ontology",)]):
        assert _export(fmt, flags) == _export(fmt, flags)
