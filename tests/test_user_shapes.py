"""A stranger's SHACL shapes: the SPARQL check sees each text as pySHACL runs it, and
what pySHACL would skip or fail on is refused in one line (kg.checks.user_shapes)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from conftest import TESTS_DIR

HOSTILE = TESTS_DIR / "hostile"


def _shapes(name: str) -> Graph:
    text = (HOSTILE / name).read_text(encoding="utf-8").replace("{PORT}", "9")
    return Graph().parse(data=text, format="turtle")


@pytest.mark.parametrize("name", ["shapes-prefixes-smuggle-namespace.ttl", "shapes-prefixes-smuggle-prefix.ttl"])
def test_the_check_sees_the_prefixes_pyshacl_writes(name):
    from kg.checks import sparql
    from kg.errors import InputError
    from kg.namespaces import SH

    shapes = _shapes(name)
    (node, text), = shapes.subject_objects(SH.select)
    assert "SERVICE" not in text  # alone, the text is harmless
    full = sparql.as_pyshacl_runs(shapes, node, str(text))
    assert full.startswith("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n")
    assert "SERVICE <http://127.0.0.1:9/sparql>" in full and full.endswith(str(text))
    with pytest.raises(InputError, match=r"sh:select with its sh:prefixes:4: SERVICE <http://127.0.0.1:9/sparql> refused"):
        sparql.check_shapes(shapes)


def test_what_pyshacl_hands_rdflib_is_checked_as_it_runs(shipped_kg):
    """Were the static check passed by, the check on rdflib's door still refuses."""
    from kg.checks import validation
    from kg.errors import KgError

    shapes = _shapes("shapes-prefixes-smuggle-namespace.ttl")
    with pytest.raises(KgError, match=r"^mine.ttl: a SPARQL query of the shapes, as pySHACL runs it:4: "
                                      r"SERVICE <http://127.0.0.1:9/sparql> refused"):
        validation._pyshacl(shipped_kg, shapes, False, "mine.ttl")


COMPANY, LABEL = "shape <https://w3id.org/techauto/hostile#CompanyShape>", "shape <https://w3id.org/techauto/hostile#LabelShape>"


@pytest.mark.parametrize("name, message", [
    ("shapes-js.ttl", f"{COMPANY}: sh:js refused: JavaScript does not run in kg (pySHACL would skip it and "
                      "call the data conforming)"),
    ("shapes-unknown-term.ttl", f"{COMPANY}: sh:minCont refused: not a SHACL term that kg runs (a typo? "
                                "pySHACL would ignore it and never check its constraint)"),
    ("shapes-mincount-string.ttl", f'{COMPANY}: sh:minCount "one": expected a whole number (xsd:integer, 0 or more)'),
    ("shapes-bad-pattern.ttl", f'{LABEL}: sh:pattern "([A-Z": not a regular expression (unterminated character '
                               'set at position 1)'),
])
def test_what_pyshacl_would_skip_or_fail_on_is_one_line(name, message):
    from kg.checks import validation
    from kg.errors import InputError

    with pytest.raises(InputError) as caught:
        validation.load_shapes([HOSTILE / name])
    assert str(caught.value) == f"{HOSTILE / name}: {message}"


def test_a_repeated_path_is_read_from_the_report():
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.paths import MulPath, SequencePath

    from kg.checks.reports import _property_path, path_text
    from kg.namespaces import SH

    graph, parent, label = Graph(), URIRef("https://w3id.org/techauto/ontology#isSubsidiaryOf"), URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label")
    step, head = BNode(), BNode()
    graph.add((step, SH.oneOrMorePath, parent))
    Collection(graph, head, [step, label])
    path = _property_path(graph, head)
    assert path == SequencePath(MulPath(parent, "+"), label)
    assert path_text(path) == f"<{parent}>+/<{label}>"
