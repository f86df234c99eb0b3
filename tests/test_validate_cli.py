"""``kg validate``: the installed command's output and exit codes (0, 1, 2)."""

from __future__ import annotations

import json

from conftest import TESTS_DIR, run_kg
from kg.namespaces import CLAIM, ID, SRC, TA

FIXTURES = TESTS_DIR / "shapes"
TASH = "https://w3id.org/techauto/shapes#"


def test_a_conforming_file_exits_0():
    done = run_kg("validate", FIXTURES / "valid" / "plant.trig")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == "conforms: yes (0 violations, 0 warnings, 0 conflicts)"


def test_warnings_and_conflicts_do_not_fail_validation():
    done = run_kg("validate", FIXTURES / "conflicts" / "plant-capacity.trig",
                  FIXTURES / "invalid" / "investment-scope-missing.trig")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert ("  Warning: Investment does not say whose money its amount is (ta:hasAmountScope), so it cannot"
            " be told apart from a round or a shared capital. [ta:hasAmountScope]") in lines
    assert "Conflicts (warnings):" in lines
    assert "    300000 in claim:example-plan (from src:example-report, stated on 2021-11-27)" in lines
    assert "    150000 in claim:example-revision (from src:example-later-report, stated on 2023)" in lines
    assert lines[-1] == "conforms: yes (0 violations, 1 warnings, 1 conflicts)"


def test_a_violation_exits_1_with_the_shape_message_under_its_focus_node():
    done = run_kg("validate", FIXTURES / "invalid" / "phase-capacities-do-not-add-up.trig")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "id:example-plant (Example plant)",
        "  Violation: The planned capacities of the plant's phases add up to 250000, not to the"
        " plant's planned total of 300000 vehicles a year. [ta:plannedAnnualCapacity]",
        "conforms: no (1 violations, 0 warnings, 0 conflicts)",
    ]


def test_json_report_names_focus_node_shape_and_value():
    done = run_kg("validate", "--format", "json", FIXTURES / "invalid" / "currency-unknown.trig")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert (report["conforms"], report["violations"], report["warnings"], report["conflicts"]) == (False, 1, 0, [])
    (result,) = report["results"]
    assert result == {
        "focus_node": str(ID["example-investment"]),
        "path": str(TA.currency),
        "value": "XYZ",
        "severity": "Violation",
        "message": "Currency XYZ is not an ISO 4217 code the project uses"
                   " (USD, CNY, TWD, HKD, GBP, EUR, JPY, KRW).",
        "source_shape": TASH + "CurrencyShape",
        "constraint_component": "http://www.w3.org/ns/shacl#InConstraintComponent",
    }


def test_json_lists_each_conflicting_value_with_its_claim_and_sources():
    done = run_kg("validate", "--format", "json", FIXTURES / "conflicts" / "plant-capacity.trig")
    assert done.returncode == 0, done.stderr
    (conflict,) = json.loads(done.stdout)["conflicts"]
    assert conflict["subject"] == str(ID["example-plant"])
    assert conflict["property"] == str(TA.plannedAnnualCapacity)
    assert [(v["value"], v["claim"], v["sources"]) for v in conflict["values"]] == [
        ("300000", str(CLAIM["example-plan"]), [str(SRC["example-report"])]),
        ("150000", str(CLAIM["example-revision"]), [str(SRC["example-later-report"])]),
    ]


def test_a_missing_file_exits_2_with_one_line_naming_it(tmp_path):
    missing = tmp_path / "nowhere.ttl"
    done = run_kg("validate", missing)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"kg validate: error: {missing}: no such file or folder\n"


def test_a_syntax_error_exits_2_naming_file_and_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "PREFIX id: <https://w3id.org/techauto/id/>\n"
        "PREFIX ta: <https://w3id.org/techauto/ontology#>\n"
        "id:example-maker a ta:Company ;\n"
        "    ta:foundedOn 2020 2021 .\n",
        encoding="utf-8",
    )
    done = run_kg("validate", broken)
    assert done.returncode == 2
    assert done.stderr.startswith(f"kg validate: error: {broken}:4: syntax error")
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr
