"""Validation at scale: TopBraid SHACL (the W3C reference implementation, run by kg for
big graphs) gives the same report as pySHACL (the reference of this project) on the
shipped graph and on every fixture of ``tests/shapes``, and kg chooses between them.

The fixtures are validated in one TopBraid run: each one's ``id:``, ``claim:`` and
``src:`` IRIs get a suffix of its own (``_f<n>``, as the synthetic graphs do), so that
they sit side by side with the shipped graph without touching each other or it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from conftest import TESTS_DIR, run_kg
from kg.checks import topbraid, validation
from kg.namespaces import CLAIM_IRI, ID_IRI, PREFIXES, SRC_IRI
from kg.sources import reading
from kg.store import KnowledgeGraph
from kg.terms import DEFAULT_GRAPH, NamedNode, Quad

FIXTURES = sorted(p for kind in ("valid", "invalid", "conflicts")
                  for p in (TESTS_DIR / "shapes" / kind).iterdir() if p.suffix in (".ttl", ".trig"))
RENAMED = (ID_IRI, CLAIM_IRI, SRC_IRI)

pytestmark = pytest.mark.slow


def _renamed(term, suffix: str):
    if isinstance(term, NamedNode) and term.value.startswith(RENAMED):
        return NamedNode(term.value + suffix)
    return term


def _fixture_quads(path: Path, suffix: str):
    fmt = pyoxigraph.RdfFormat.TRIG if path.suffix == ".trig" else pyoxigraph.RdfFormat.TURTLE
    for quad in pyoxigraph.parse(path.read_bytes(), format=fmt, base_iri=path.as_uri()):
        yield Quad(*(_renamed(t, suffix) for t in (quad.subject, quad.predicate, quad.object)),
                   _renamed(quad.graph_name, suffix) if quad.graph_name != DEFAULT_GRAPH else DEFAULT_GRAPH)


def _key(result) -> tuple:
    return (str(result.focus_node), str(result.source_shape), str(result.constraint_component), result.severity)


def _expected(path: Path, suffix: str) -> set[tuple]:
    """The ``# expect:`` lines of a fixture, with its suffix, as result keys."""
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            severity, focus, shape, component = line.split(":", 1)[1].split()
            expand = lambda name: PREFIXES[name.split(":")[0]] + name.split(":", 1)[1]  # noqa: E731
            renamed = focus.startswith(("id:", "claim:", "src:"))
            found.add((expand(focus) + (suffix if renamed else ""), expand(shape), expand(component), severity))
    return found


@pytest.fixture(scope="module")
def combined() -> KnowledgeGraph:
    """The shipped graph and every fixture, side by side."""
    kg = KnowledgeGraph.load()
    for number, path in enumerate(FIXTURES):
        kg.add_quads(_fixture_quads(path, f"_f{number}"))
    return kg


@pytest.fixture(scope="module")
def reports(combined):
    assert topbraid.unavailable() is None, topbraid.unavailable()
    return validation.validate(combined, validator="topbraid"), validation.validate(combined, validator="pyshacl")


def test_topbraid_and_pyshacl_give_the_same_report(reports):
    by_topbraid, by_pyshacl = reports
    assert len(by_pyshacl.results) > 100
    assert {_key(r) for r in by_topbraid.results} == {_key(r) for r in by_pyshacl.results}
    details = lambda report: sorted((_key(r), r.message, str(r.value), str(r.path)) for r in report.results)  # noqa: E731
    assert details(by_topbraid) == details(by_pyshacl)


def test_topbraid_reports_exactly_what_each_fixture_expects(reports):
    by_topbraid, _ = reports
    found = {_key(r) for r in by_topbraid.results}
    for number, path in enumerate(FIXTURES):
        suffix = f"_f{number}"
        mine = {k for k in found if k[0].endswith(suffix)}
        assert mine == _expected(path, suffix), path.name


def test_topbraid_on_the_shipped_graph_alone(shipped_kg):
    by_topbraid = validation.validate(shipped_kg, validator="topbraid")
    assert by_topbraid.conforms
    assert {_key(r) for r in by_topbraid.results} == {_key(r) for r in validation.validate(shipped_kg).results}


def test_kg_chooses_topbraid_for_big_graphs_and_says_why_not(shipped_kg, monkeypatch):
    assert validation.choose(shipped_kg) == ("pyshacl", None)
    monkeypatch.setattr(validation, "TOPBRAID_FROM", 1000)
    assert validation.choose(shipped_kg) == ("topbraid", None)
    assert validation.choose(shipped_kg, shapes=validation.load_shapes()) == ("pyshacl", None)
    monkeypatch.setenv("KG_JAVA", "/nonexistent/java")
    engine, note = validation.choose(shipped_kg)
    assert engine == "pyshacl" and "Java 11 or later" in note


def test_kg_validate_with_topbraid_and_its_written_data(tmp_path, shipped_kg):
    done = run_kg("validate", "--validator", "topbraid", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = tmp_path / "data.nt"
    topbraid.write_data(shipped_kg, data)
    written = pyoxigraph.Store()
    reading.load_into_store(written, data)
    assert len(written) >= shipped_kg.asserted_count()
    assert b"owl#imports" not in data.read_bytes()


def test_topbraid_data_is_streamed_without_owl_imports(tmp_path):
    """An owl:imports in the data is left out of what TopBraid reads (it would fetch
    the ontology it names), and everything else is written."""
    from kg.store import KnowledgeGraph

    kg = KnowledgeGraph.load()
    kg.add_text("<https://w3id.org/techauto/ontology> <http://www.w3.org/2002/07/owl#imports> "
                "<http://example.org/elsewhere> .\n", "turtle")
    plain, filtered = tmp_path / "plain.nt", tmp_path / "filtered.nt"
    topbraid.write_data(KnowledgeGraph.load(), plain)
    topbraid.write_data(kg, filtered)
    assert b"owl#imports" not in filtered.read_bytes()
    from rdflib import Graph
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(filtered, format="nt"), Graph().parse(plain, format="nt"))
    capacity = b"<https://w3id.org/techauto/ontology#plannedAnnualCapacity> \"300000\""
    assert capacity in plain.read_bytes()


def test_topbraid_out_of_memory_is_one_line_and_its_warnings_stay_out_of_the_report():
    """Java out of heap exits at once (never a half report read as "does not conform"),
    and with a heap smaller than the young generation asked for, the JVM's warnings go
    to standard error, not into the report TopBraid writes on standard output."""
    starved = run_kg("validate", "--validator", "topbraid", env={"KG_JAVA_HEAP": "12m"})
    assert starved.returncode == 2
    assert starved.stderr.strip() == ("kg validate: error: TopBraid SHACL ran out of memory "
                                      "(KG_JAVA_HEAP=12m: give Java more, such as KG_JAVA_HEAP=6g)")
    small = run_kg("validate", "--validator", "topbraid", env={"KG_JAVA_HEAP": "24m"})
    assert small.returncode == 0, small.stderr
    assert small.stdout.splitlines()[-1].startswith("conforms: yes (0 violations")
    assert "warning][gc" not in small.stdout + small.stderr
