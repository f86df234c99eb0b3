"""CSV injection: cells a spreadsheet would run as formulas are neutralised on the way
out of kg query (csv, tsv) and reported on the way into kg import."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import TESTS_DIR, run_kg
from kg.terms import XSD, Literal, NamedNode

HOSTILE = TESTS_DIR / "hostile"


@pytest.mark.parametrize("text, formula", [
    ("=HYPERLINK(\"http://x/\")", True), ("+1+cmd|' /C calc'!A0", True), ("-2+3", True), ("@SUM(A1)", True),
    ("\tx", True), ("\r=1", True), ("-5", False), ("+1.5E3", False), ("-.5", False), ("Beijing", False),
    ("a=1", False), ("", False),
])
def test_a_formula_is_what_starts_like_one_and_is_no_number(text, formula):
    from kg.formulas import is_formula, neutralise

    assert is_formula(text) is formula
    assert neutralise(text) == ("'" + text if formula else text)


ROWS = [(Literal('=HYPERLINK("http://x/","click")'), Literal("-5", datatype=XSD.integer)),
        (Literal("@SUM(A1)", language="en"), Literal("-INF", datatype=XSD.double)),
        (Literal("-5"), NamedNode("http://example.org/a")),
        (Literal("a;=1+1"), Literal("-P1Y", datatype=XSD.duration))]


def test_csv_cells_are_neutralised_unless_raw():
    from kg.answers import results

    cells = list(csv.reader(io.StringIO(results.csv_text(["a", "b"], ROWS), newline="")))
    assert cells == [["a", "b"], ["'=HYPERLINK(\"http://x/\",\"click\")", "-5"], ["'@SUM(A1)", "-INF"],
                     ["-5", "http://example.org/a"], ["a;=1+1", "'-P1Y"]]
    assert '"a;=1+1"' in results.csv_text(["a", "b"], ROWS)  # a ";" separator keeps it one cell
    raw = list(csv.reader(io.StringIO(results.csv_text(["a", "b"], ROWS, raw=True), newline="")))
    assert raw[1:] == [['=HYPERLINK("http://x/","click")', "-5"], ["@SUM(A1)", "-INF"],
                       ["-5", "http://example.org/a"], ["a;=1+1", "-P1Y"]]


def test_tsv_cells_are_neutralised_inside_their_quotes():
    from kg.answers import results

    lines = results.tsv_text(["a", "b"], ROWS).splitlines()
    assert lines[1] == "\"'=HYPERLINK(\\\"http://x/\\\",\\\"click\\\")\"\t\"-5\"^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert lines[2] == "\"'@SUM(A1)\"@en\t\"-INF\"^^<http://www.w3.org/2001/XMLSchema#double>"
    assert results.tsv_text(["a", "b"], ROWS, raw=True).splitlines()[2].startswith('"@SUM(A1)"@en\t')


def test_kg_query_raw_csv_keeps_the_exact_values(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_bytes((HOSTILE / "data-formulas.ttl").read_bytes().replace(b"{PORT}", b"9"))
    query = "SELECT ?o WHERE { <http://example.org/a> ?p ?o } ORDER BY STR(?o)"
    safe = run_kg("query", "--data", data, "-e", query, "--format", "csv")
    raw = run_kg("query", "--data", data, "-e", query, "--format", "csv", "--raw-csv")
    assert safe.returncode == raw.returncode == 0, safe.stderr + raw.stderr
    # Oxigraph writes the double -1.5E3 as -1500: a number either way, left alone
    assert [r[0] for r in csv.reader(io.StringIO(safe.stdout, newline=""))] == [
        "o", "'\tx", "'+1+cmd|' /C calc'!A0", "-1500", "-5", "-5", "'=HYPERLINK(\"http://127.0.0.1:9/\",\"click\")",
        "'@SUM(A1)"]
    assert [r[0] for r in csv.reader(io.StringIO(raw.stdout, newline=""))] == [
        "o", "\tx", "+1+cmd|' /C calc'!A0", "-1500", "-5", "-5", "=HYPERLINK(\"http://127.0.0.1:9/\",\"click\")",
        "@SUM(A1)"]


def test_kg_import_reports_formulas_unless_kept(tmp_path):
    source = tmp_path / "facts.csv"
    source.write_bytes((HOSTILE / "csv-formulas.csv").read_bytes().replace(b"{PORT}", b"9"))
    refused = run_kg("import", source, "-o", tmp_path / "out.trig")
    assert refused.returncode == 2 and not (tmp_path / "out.trig").exists()
    assert [line.split(": ")[0:2] for line in refused.stderr.splitlines()[:-1]] == [
        [f"{source}:2", "column source_label"], [f"{source}:3", "column value"], [f"{source}:4", "column value"],
        [f"{source}:4", "column note"]]
    assert refused.stderr.splitlines()[-1] == f"kg import: error: {source}: 4 errors in 3 rows; nothing written"
    kept = run_kg("import", source, "-o", tmp_path / "out.trig", "--keep-formulas")
    assert kept.returncode == 0, kept.stderr
    written = (tmp_path / "out.trig").read_text(encoding="utf-8")
    assert "\"=cmd|' /C calc'!A0\"@en" in written and '"@SUM(A1)"@fr' in written


def test_a_flood_of_bad_cells_is_listed_up_to_a_thousand_then_counted(tmp_path):
    header = (HOSTILE / "csv-formulas.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = [f"example-cars,label,Example Cars {i},,src:example-cars-launch,Example Cars launch (fictional),,"
            f"2025-06-01,description,high,row {i},,=1+{i}" for i in range(1500)]
    source = tmp_path / "flood.csv"
    source.write_text("\n".join([header, "example-cars,type,TechnologyCompany,,src:example-cars-launch,,,"
                                 "2025-06-01,description,high,row x,,", *rows]) + "\n", encoding="utf-8")
    done = run_kg("import", source, "-o", tmp_path / "out.trig")
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and len(lines) == 1000 + 2
    assert lines[0] == (f"{source}:3: column note: '=1+0' starts with '=': a spreadsheet would run it as a formula "
                        "(pass --keep-formulas to import it as it is)")
    assert lines[999].startswith(f"{source}:1002: column note: '=1+999' ")
    assert lines[1000] == f"{source}: 500 more errors not listed"
    assert lines[1001] == f"kg import: error: {source}: 1500 errors in 1500 rows; nothing written"
