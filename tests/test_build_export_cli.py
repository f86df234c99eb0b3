"""The installed `kg` command: build, export, version; exit codes and atomic output."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg import __version__
from kg.namespaces import ONTOLOGY_GRAPH

from conftest import run_kg


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    done = run_kg("build", "-o", out)
    return done, out


def test_build_exits_0_and_prints_the_headline_answer(built):
    done, _ = built
    assert done.returncode == 0, done.stderr
    assert "Validation: conforms (0 violations" in done.stdout
    for expected in ("300000", "150000", "id:beijing", "10000000000", "USD", "P10Y", "2024"):
        assert expected in done.stdout
    assert "Entities per class:" in done.stdout and "technology company 28" in done.stdout


def test_build_writes_exports_isomorphic_to_the_loaded_graph(built, shipped_kg):
    _, out = built
    asserted = Graph().parse(out / "techauto-kg.ttl")
    assert isomorphic(asserted, shipped_kg.rdflib_graph(ontology=False))
    inferred = Graph().parse(out / "techauto-kg-inferred.ttl")
    assert len(inferred) > len(asserted) + 300
    assert set(asserted) <= set(inferred)
    dataset = Dataset()
    dataset.parse(out / "techauto-kg.trig", format="trig")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert {URIRef(c.value) for c in shipped_kg.claim_names()} <= names
    assert ONTOLOGY_GRAPH not in names
    assert (out / "xiaomi-neighbourhood.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (out / "xiaomi-neighbourhood.html").read_text(encoding="utf-8")


def test_build_writes_the_server_file_as_kg_export_for_server_does(built, tmp_path):
    """``techauto-kg-server.nq`` is ``kg export --format nquads --for-server``, byte for
    byte, and the same dataset as the TriG for servers: the merge in the default graph."""
    _, out = built
    trig = tmp_path / "server.trig"
    assert run_kg("export", "--format", "nquads", "--for-server", "-o", tmp_path / "server.nq").returncode == 0
    assert run_kg("export", "--format", "trig", "--for-server", "-o", trig).returncode == 0
    assert (out / "techauto-kg-server.nq").read_bytes() == (tmp_path / "server.nq").read_bytes()
    from_nquads, from_trig = Dataset(), Dataset()
    from_nquads.parse(out / "techauto-kg-server.nq", format="nquads")
    from_trig.parse(trig, format="trig")
    graphs = {g.identifier: g for g in from_nquads.graphs() if len(g)}
    same = {g.identifier: g for g in from_trig.graphs() if len(g)}
    assert graphs.keys() == same.keys() and len(graphs) > 200
    assert all(isomorphic(graphs[name], same[name]) for name in graphs)  # blank nodes: by isomorphism
    plant = URIRef("https://w3id.org/techauto/id/xiaomi-beijing-plant")
    capacity = URIRef("https://w3id.org/techauto/ontology#plannedAnnualCapacity")
    assert [int(o) for o in from_nquads.default_graph.objects(plant, capacity)] == [300000]


def test_build_into_an_unusable_folder_exits_2_with_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = run_kg("build", "-o", blocker / "out")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert str(blocker) in done.stderr


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads", "jsonld", "xml", "trig"])
def test_export_is_deterministic_and_round_trips(fmt, tmp_path, shipped_kg):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert run_kg("export", "--format", fmt, "-o", first).returncode == 0
    assert run_kg("export", "--format", fmt, "-o", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    parser = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld", "xml": "xml", "trig": "trig"}[fmt]
    if fmt in ("trig", "nquads", "jsonld"):
        dataset = Dataset()
        dataset.parse(first, format=parser)
        back = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            back.add((s, p, o))
    else:
        back = Graph().parse(first, format=parser)
    assert isomorphic(back, shipped_kg.rdflib_graph(ontology=False))


def test_export_to_stdout_with_inferences_and_ontology():
    done = run_kg("export", "--format", "nt", "--inferred", "--with-ontology")
    assert done.returncode == 0
    graph = Graph().parse(data=done.stdout, format="nt")
    assert (None, None, None) in graph
    assert graph.query(
        "ASK { <https://w3id.org/techauto/id/xiaomi> <https://w3id.org/techauto/ontology#operates> ?p }"
    ).askAnswer
    assert graph.query("ASK { ?c a <http://www.w3.org/2002/07/owl#Class> }").askAnswer


def test_export_into_a_missing_folder_exits_2_and_writes_nothing(tmp_path):
    target = tmp_path / "missing" / "out.ttl"
    done = run_kg("export", "-o", target)
    assert done.returncode == 2
    assert "does not exist" in done.stderr and done.stderr.count("\n") == 1
    assert not target.exists() and not target.parent.exists()


def test_export_keeps_the_previous_file_when_the_run_fails(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("previous content")
    done = run_kg("export", "--format", "nosuchformat", "-o", target)
    assert done.returncode == 2
    assert target.read_text() == "previous content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_version_and_python_m_kg_agree():
    assert run_kg("--version").stdout.strip() == f"kg {__version__}"
    module = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert module.stdout.strip() == f"kg {__version__}"


def test_unknown_command_and_option_exit_2_with_one_line():
    for args in (["nosuchcommand"], ["export", "--nosuchoption"]):
        done = run_kg(*args)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr and "error:" in done.stderr
