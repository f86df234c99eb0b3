"""A user's own ASK query and SHACL shapes, run through the installed `kg`."""

from __future__ import annotations

import json

from conftest import run_kg

ASK_QUERY = """# title: Does Xiaomi run a plant?
# question: Is there a plant that Xiaomi operates?
# parameters: none
# answer: one row, answer true or false
PREFIX ta: <https://w3id.org/techauto/ontology#>
PREFIX id: <https://w3id.org/techauto/id/>
ASK { ?plant ta:isOperatedBy id:xiaomi }
"""

STAFF_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ta: <https://w3id.org/techauto/ontology#> .
@prefix ex: <http://example.org/shapes#> .
ex:TechnologyCompanyStaffShape a sh:NodeShape ;
    sh:targetClass ta:TechnologyCompany ;
    sh:property [ sh:path ta:staffCount ; sh:minCount 1 ; sh:severity sh:Violation ;
                  sh:message "a technology company needs a staff count" ] .
"""

SERVICE_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ta: <https://w3id.org/techauto/ontology#> .
@prefix ex: <http://example.org/shapes#> .
ex:RemoteShape a sh:NodeShape ;
    sh:targetClass ta:Company ;
    sh:sparql [ sh:message "remote" ;
                sh:select "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } }" ] .
"""


def test_an_ask_query_answers_true(tmp_path):
    path = tmp_path / "ask.rq"
    path.write_text(ASK_QUERY, encoding="utf-8")
    done = run_kg("query", path, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"head": {}, "boolean": True}  # SPARQL 1.1 JSON boolean result
    table = run_kg("query", path)
    assert table.stdout.splitlines() == ["answer", "------", "true"]


def test_user_shapes_replace_the_shipped_ones(tmp_path):
    path = tmp_path / "staff.ttl"
    path.write_text(STAFF_SHAPES, encoding="utf-8")
    done = run_kg("validate", "--shapes", path, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    focus = {r["focus_node"] for r in report["results"]}
    # Xiaomi EV's staff count is stated (about 300); the 28 technology companies have none
    assert "https://w3id.org/techauto/id/xiaomi" in focus
    assert report["violations"] == 28
    assert {r["message"] for r in report["results"]} == {"a technology company needs a staff count"}


def test_user_shapes_reaching_the_network_are_refused(tmp_path):
    path = tmp_path / "remote.ttl"
    path.write_text(SERVICE_SHAPES, encoding="utf-8")
    done = run_kg("validate", "--shapes", path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "SERVICE" in done.stderr and "refused" in done.stderr
