"""OWL 2 DL, checked with tools nobody in the project wrote (issue 10, items 2 and 3).

- The OWL API's OWL 2 DL profile checker (Debian's libowlapi-java, through
  ``tools/owl/ProfileCheck.java``) finds nothing wrong with the ontology, and in the
  ontology with the facts only the literals whose datatypes the OWL 2 datatype map lacks
  (xsd:date, xsd:gYear, xsd:gYearMonth, xsd:duration): every term is declared.
- HermiT and Pellet (bundled with owlready2) load the ontology with the facts, find them
  consistent and no class unsatisfiable; HermiT needs --ignoreUnsupportedDatatypes for
  those literals, Pellet nothing.
- ``kg reason`` (OWL RL) gives the same verdict as HermiT and Pellet on the shipped
  graph and on fixtures made inconsistent on purpose (``tests/reasoning/``).

Everything runs offline: the tools are installed by ``.ci/run`` (Debian packages) and
``pip install ".[test]"`` (owlready2), and no file here has an ``owl:imports``.

Sources that disagree on a figure give one figure entity each (``kg/facts/README.md``),
so no functional property has two values anywhere in the shipped graph; the tests on the
shipped graph check that, and that all three find it consistent.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from conftest import TESTS_DIR, run_kg
from kg import resources

ROOT = TESTS_DIR.parent
sys.path.insert(0, str(ROOT / "tools" / "owl"))
import dl_check  # noqa: E402  (tools/owl/dl_check.py: the same code `python3 tools/owl/dl_check.py` runs)

pytestmark = pytest.mark.slow

FIXTURES = TESTS_DIR / "reasoning"
ONTOLOGY = ROOT / "ontology" / "techauto.ttl"
OUTSIDE_THE_MAP = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.duration}
DATATYPE_VIOLATIONS = {"UseOfUndeclaredDatatype", "UseOfDefinedDatatypeInLiteral"}

_verdicts: dict[tuple, dl_check.Verdict] = {}


def verdict(path: Path, reasoner: str, ignore_unsupported_datatypes: bool = True) -> dl_check.Verdict:
    """A DL reasoner's verdict on a file, computed once per session (HermiT's and Pellet's
    side by side: the first asked for runs both)."""
    content = Path(path).read_bytes()
    key = (content, reasoner, ignore_unsupported_datatypes)
    if key not in _verdicts:
        if ignore_unsupported_datatypes:
            for name, result in dl_check.dl_reason_all(path).items():
                _verdicts[(content, name, True)] = result
        else:
            _verdicts[key] = dl_check.dl_reason(path, reasoner, ignore_unsupported_datatypes)
    return _verdicts[key]


def disputed(graph: Graph) -> set[tuple]:
    """(subject, property) pairs with two different values of a functional property."""
    values = defaultdict(set)
    for prop in graph.subjects(RDF.type, OWL.FunctionalProperty):
        for s, o in graph.subject_objects(prop):
            values[(s, prop)].add(o.toPython() if isinstance(o, Literal) else o)
    return {pair for pair, found in values.items() if len(found) > 1}


def with_ontology(path: Path, target: Path) -> Path:
    """The ontology and one fixture (Turtle or TriG, graphs merged) as N-Triples."""
    graph = Graph()
    for ontology_file in resources.ontology_files():
        graph.parse(ontology_file)
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(path, format="trig")
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(path)
    graph.serialize(target, format="nt", encoding="utf-8")
    return target


def owl_rl_verdict(path: Path):
    """``kg reason``'s verdict (what it runs: ``KnowledgeGraph.reason``) on the ontology and one fact file."""
    from kg.store import KnowledgeGraph

    return KnowledgeGraph.load(data=[path]).reason()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The ontology with the shipped facts and their provenance, as ``kg export`` writes them."""
    target = tmp_path_factory.mktemp("owl-dl") / "techauto-kg-with-ontology.nt"
    done = run_kg("export", "--format", "nt", "--ontology", "-o", target)
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture(scope="module")
def shipped_graph(shipped) -> Graph:
    return Graph().parse(shipped, format="nt")


@pytest.fixture(scope="module")
def shipped_disputed(shipped_graph) -> set[tuple]:
    return disputed(shipped_graph)


@pytest.fixture(scope="module")
def undisputed(shipped, shipped_graph, shipped_disputed) -> Path:
    """The shipped graph less all but one value of each disputed functional property
    (the shipped graph itself when none is disputed)."""
    if not shipped_disputed:
        return shipped
    graph = Graph()
    for triple in shipped_graph:
        graph.add(triple)
    for s, p in shipped_disputed:
        for o in sorted(graph.objects(s, p))[1:]:
            graph.remove((s, p, o))
    target = shipped.with_name("techauto-kg-undisputed.nt")
    graph.serialize(target, format="nt", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def profiles(shipped) -> dict[str, dl_check.ProfileReport]:
    """The OWL API's OWL 2 DL report on the ontology, the ontology with the facts, and a
    fixture that breaks the profile on purpose (one Java process)."""
    broken = FIXTURES / "not-owl2-dl.ttl"
    reports = dl_check.profile_check([ONTOLOGY, shipped, broken])
    assert [r.profile for r in reports] == ["OWL 2 DL"] * 3
    return dict(zip(("ontology", "ontology and facts", "broken"), reports))


def expect_shipped(shipped_disputed, consistent: bool) -> None:
    """The shipped graph: no functional value disputed between claims (each claimed figure
    stands on its own), and consistent."""
    assert shipped_disputed == set(), f"functional values disputed between claims: {sorted(shipped_disputed)}"
    assert consistent


# -- item 2: OWL 2 DL, every term declared ------------------------------------------------


def test_owl_api_finds_no_owl2_dl_violation_in_the_ontology(profiles):
    report = profiles["ontology"]
    assert report.violations == []
    assert (report.unparsed, report.guessed, report.imports) == ([], [], [])
    assert report.axioms > 800


def test_the_profile_checker_reports_what_the_ontology_used_to_break(profiles):
    """The checker is not vacuous: on a fixture with issue 10's faults it names each."""
    report = profiles["broken"]
    assert set(report.kinds()) == {"IllegalPunning", "UseOfUndeclaredAnnotationProperty",
                                   "UseOfUndeclaredClass", "UseOfUndeclaredDatatype"}
    text = "\n".join(message for _, message in report.violations)
    for term in ("test#note", "skos/core#definition", "prov#Entity", "xsd:date"):
        assert term in text


def test_the_ontology_names_no_datatype_outside_the_owl2_datatype_map():
    """OWL 2 Structural Specification 4: an OWL 2 DL ontology uses only the datatype map's
    datatypes. The OWL API lets one through once it is declared (xsd:gYear in the fixture),
    so the map itself is checked too."""
    assert dl_check.datatypes_outside_owl2_map(Graph().parse(ONTOLOGY)) == {}
    broken = dl_check.datatypes_outside_owl2_map(Graph().parse(FIXTURES / "not-owl2-dl.ttl"))
    assert set(broken) == {str(XSD.date), str(XSD.gYear)}


def test_with_the_facts_only_literals_outside_the_datatype_map_break_the_profile(profiles, shipped_graph):
    """Every term the facts use is declared, and nothing is punned: what the OWL API still
    lists are the literals typed xsd:date, xsd:gYear, xsd:gYearMonth or xsd:duration."""
    report = profiles["ontology and facts"]
    assert (report.unparsed, report.guessed, report.imports) == ([], [], [])
    assert set(report.kinds()) <= DATATYPE_VIOLATIONS
    named = {"xsd:" + str(dt).split("#")[1] for dt in OUTSIDE_THE_MAP}
    assert all(any(f"^^{dt}" in text or f"datatype: {dt}" in text for dt in named) for _, text in report.violations)
    used = {URIRef(iri) for iri in dl_check.datatypes_outside_owl2_map(shipped_graph)}
    assert used <= OUTSIDE_THE_MAP and XSD.date in used


# -- item 3: HermiT and Pellet -------------------------------------------------------------


def test_hermit_needs_ignore_unsupported_datatypes_for_the_facts_and_pellet_nothing(undisputed):
    refused = verdict(undisputed, "hermit", ignore_unsupported_datatypes=False)
    assert "UnsupportedDatatypeException" in refused.error
    assert verdict(undisputed, "hermit").error == ""
    assert verdict(undisputed, "pellet").error == ""


@pytest.mark.parametrize("reasoner", dl_check.REASONERS)
def test_the_facts_but_disputed_functional_values_are_consistent_with_no_unsatisfiable_class(
        reasoner, undisputed):
    """Whatever the data fix of issue 10 does, everything else in the facts is OWL 2 DL
    consistent (this is the shipped graph itself when no functional value is disputed)."""
    result = verdict(undisputed, reasoner)
    assert (result.consistent, result.error, result.unsatisfiable) == (True, "", [])


@pytest.mark.parametrize("reasoner", dl_check.REASONERS)
def test_the_shipped_ontology_and_facts_are_consistent_for_hermit_and_pellet(reasoner, shipped, shipped_disputed):
    result = verdict(shipped, reasoner)
    assert result.error == "" and result.unsatisfiable == []
    expect_shipped(shipped_disputed, result.consistent)


def test_kg_reason_agrees_with_hermit_and_pellet_on_the_shipped_graph(shipped, shipped_disputed):
    done = run_kg("reason", "--format", "json")
    owl_rl = json.loads(done.stdout)["consistent"]
    assert done.returncode == (0 if owl_rl else 1), done.stderr
    hermit, pellet = verdict(shipped, "hermit"), verdict(shipped, "pellet")
    assert hermit.consistent == pellet.consistent
    assert shipped_disputed == set(), f"functional values disputed between claims: {sorted(shipped_disputed)}"
    assert owl_rl is hermit.consistent is pellet.consistent is True


def test_kg_reason_hermit_and_pellet_find_a_member_of_two_disjoint_classes_inconsistent(tmp_path):
    fixture = FIXTURES / "inconsistent.trig"
    owl_rl = owl_rl_verdict(fixture)
    assert not owl_rl.consistent
    assert any("example-chimera" in message for message in owl_rl.errors)
    merged = with_ontology(fixture, tmp_path / "inconsistent.nt")
    for reasoner in dl_check.REASONERS:
        result = verdict(merged, reasoner)
        assert (result.consistent, result.error) == (False, ""), reasoner


def test_hermit_and_pellet_name_an_unsatisfiable_class(tmp_path):
    """The unsatisfiable-class check is not vacuous: a company that is a place has no
    possible member (the ontology stays consistent: it has none)."""
    merged = with_ontology(FIXTURES / "unsatisfiable.ttl", tmp_path / "unsatisfiable.nt")
    for reasoner in dl_check.REASONERS:
        result = verdict(merged, reasoner)
        assert result.consistent, reasoner
        assert result.unsatisfiable == ["https://example.org/techauto-test#CompanyThatIsAPlace"], reasoner


def test_hermit_leaves_out_what_it_cannot_read_where_pellet_and_kg_reason_do_not(tmp_path):
    """HermiT's --ignoreUnsupportedDatatypes drops the axioms that hold an xsd:date: two
    dates of one status record (ta:statusDate is functional) pass HermiT unseen. Pellet
    reads xsd:date and finds the clash, as kg reason does: for a verdict that covers the
    dates, ask Pellet (README, "OWL 2 DL")."""
    fixture = FIXTURES / "two-status-dates.trig"
    owl_rl = owl_rl_verdict(fixture)
    assert any("example-programme-status" in e and "statusDate" in e for e in owl_rl.errors)
    merged = with_ontology(fixture, tmp_path / "two-status-dates.nt")
    assert verdict(merged, "pellet").consistent is False
    assert verdict(merged, "hermit").consistent is True


def test_kg_reason_agrees_with_pellet_on_two_statement_dates_of_one_claim(tmp_path):
    fixture = FIXTURES / "two-statement-dates.trig"
    merged = with_ontology(fixture, tmp_path / "two-statement-dates.nt")
    pellet = dl_check.dl_reason(merged, "pellet")
    assert (pellet.consistent, pellet.error) == (False, "")
    assert owl_rl_verdict(fixture).consistent == pellet.consistent


def test_kg_reason_agrees_with_hermit_and_pellet_on_one_functional_value_from_each_of_two_claims(tmp_path):
    fixture = FIXTURES / "two-claims-one-functional-value-each.trig"
    merged = with_ontology(fixture, tmp_path / "two-claims.nt")
    for reasoner in dl_check.REASONERS:
        assert (verdict(merged, reasoner).consistent, verdict(merged, reasoner).error) == (False, ""), reasoner
    assert owl_rl_verdict(fixture).consistent is False
