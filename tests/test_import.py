"""`kg import`: facts from a CSV become sourced claims in canonical TriG, or nothing at all."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import TESTS_DIR, run_kg
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg import resources
from kg.sources import importer
from kg.checks import validation
from kg.sources.datafiles import is_canonical
from kg.namespaces import CLAIM, ID, SRC, TA
from kg import terms
from kg.store import KnowledgeGraph

CSV_DIR = TESTS_DIR / "import"


def _import(csv_name: str, output: Path, *extra: str):
    return run_kg("import", CSV_DIR / csv_name, "--output", output, *extra)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, object]:
    output = tmp_path_factory.mktemp("import") / "example-motors.trig"
    done = _import("good.csv", output)
    return output, done


@pytest.fixture(scope="module")
def dataset(imported) -> Dataset:
    output, _ = imported
    data = Dataset()
    data.parse(output, format="trig")
    return data


def test_good_csv_is_written_as_canonical_trig(imported):
    output, done = imported
    assert done.returncode == 0, done.stderr
    assert output.is_file()
    assert is_canonical(output)
    assert f"wrote {output}: 4 claims" in done.stdout
    assert "conforms" in done.stdout


def test_each_claim_has_its_source_date_kind_and_confidence(dataset):
    plan = CLAIM["example-motors-plant-plan"]
    assert (plan, RDF.type, TA.Claim) in dataset
    assert set(dataset.objects(plan, PROV.wasDerivedFrom)) == {SRC["example-report"]}
    assert dataset.value(plan, TA.statedOn) == Literal(datetime.date(2025, 3, 15))
    assert dataset.value(plan, TA.hasClaimKind) == TA.Plan
    assert dataset.value(plan, TA.hasConfidence) == TA.HighConfidence
    assert str(dataset.value(plan, TA.locator)) == "page 7"
    assert str(dataset.value(plan, TA.note)) == "Capacity reported as a round figure."
    outcome = CLAIM["example-motors-plant-start"]
    assert dataset.value(outcome, TA.hasClaimKind) == TA.Outcome
    # rows without a claim key are grouped by source, date and locator
    funding = CLAIM["example-report-2025-03-15-page-9"]
    assert dataset.value(funding, TA.hasConfidence) == TA.LowConfidence


def test_statements_are_in_their_claims_named_graph_with_converted_values(dataset):
    plant = ID["example-motors-plant"]
    plan = dataset.graph(CLAIM["example-motors-plant-plan"])
    assert (plant, RDF.type, TA.ManufacturingPlant) in plan
    assert (plant, TA.plannedAnnualCapacity, Literal(120000)) in plan
    assert (plant, TA.plannedProductionStart, Literal("2026", datatype=XSD.gYear)) in plan
    assert (plant, RDFS.label, Literal("usine Example Motors", lang="fr")) in plan
    assert (plant, TA.isOperatedBy, ID["example-motors"]) in plan
    funding = dataset.graph(CLAIM["example-report-2025-03-15-page-9"])
    commitment = ID["example-motors-commitment"]
    assert funding.value(commitment, TA.amount) == Literal("2500000000.0", datatype=XSD.decimal)
    assert funding.value(commitment, TA.currency) == Literal("CNY")
    assert funding.value(commitment, TA.duration) == Literal("P5Y", datatype=XSD.duration)
    assert funding.value(commitment, TA.announcedOn) == Literal("2025-03", datatype=XSD.gYearMonth)
    assert funding.value(commitment, TA.hasInvestmentKind) == TA.FundingCommitment
    start = dataset.graph(CLAIM["example-motors-plant-start"])
    assert start.value(plant, TA.productionStart) == Literal(datetime.date(2026, 5, 1))


def test_new_source_is_described_in_the_default_graph(dataset):
    source = SRC["example-report"]
    assert (source, RDF.type, TA.SourceDocument) in dataset
    assert str(dataset.value(source, RDFS.label)).startswith("Example Motors annual report for 2025")
    assert str(dataset.value(source, TA.webLocation)) == "https://www.example.com/reports/2025"
    assert str(dataset.value(source, TA.publisherName)) == "example.com"


def test_shipped_graph_with_the_imported_file_conforms(imported):
    output, _ = imported
    kg = KnowledgeGraph.load(data=[*resources.fact_files(), output])
    report = validation.validate(kg)
    assert report.conforms, validation.render_text(report, [], kg)
    plant = terms.ID["example-motors-plant"]
    assert any(list(kg.quads(plant, None, None, claim)) for claim in kg.claim_names())


def test_dry_run_prints_the_same_trig_and_writes_nothing(imported, tmp_path):
    output, _ = imported
    elsewhere = tmp_path / "dry.trig"
    done = _import("good.csv", elsewhere, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout == output.read_text(encoding="utf-8")
    assert "nothing written" in done.stderr
    assert not elsewhere.exists()


def test_template_imports_cleanly(tmp_path):
    done = _import("template.csv", tmp_path / "template.trig", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "claim:example-cars-plant-plan {" in done.stdout


@pytest.mark.parametrize(
    ("csv_name", "where", "reason"),
    [
        ("bad-unknown-property.csv", "4: column property:", "unknown property 'plannedCapacity'"),
        ("bad-date.csv", "3: column stated_on:", "bad date '15/03/2025'"),
        ("bad-missing-source.csv", "3: column source:", "missing source"),
        ("bad-currency.csv", "6: column unit:", "unknown currency 'RMB'"),
    ],
)
def test_bad_row_is_named_by_line_and_column_and_nothing_is_written(tmp_path, csv_name, where, reason):
    output = tmp_path / "out.trig"
    done = _import(csv_name, output)
    assert done.returncode == 2
    path = CSV_DIR / csv_name
    assert f"{path}:{where} {reason}" in done.stderr
    assert done.stderr.strip().splitlines()[-1].endswith("nothing written")
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []


def test_every_bad_row_is_reported_at_once(tmp_path):
    output = tmp_path / "out.trig"
    done = _import("bad-many.csv", output)
    assert done.returncode == 2
    path = CSV_DIR / "bad-many.csv"
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith(f"{path}:")]
    expected = [
        "2: column value: unknown class 'TechCompany'",
        "3: column source: missing source",
        "4: column stated_on: bad date '2025-02-30'",
        "5: column value: 'about 120000' is not an xsd:integer",
        "6: column property: unknown property 'plannedCapacity'",
        "7: column value: id:china is a ta:Country, not a ta:Organization",
        "8: column subject: new entity id:example-motors-investment has no type row",
        "8: column unit: unknown currency 'RMB'",
        "8: column source_label: new source src:new-report needs a source_label",
    ]
    assert len(lines) == len(expected), done.stderr
    for line, want in zip(lines, expected):
        assert line.startswith(f"{path}:{want}"), (line, want)
    assert "9 errors in 7 rows; nothing written" in done.stderr
    assert not output.exists()


def test_csv_that_breaks_the_shapes_exits_1_and_writes_nothing(tmp_path):
    output = tmp_path / "out.trig"
    done = _import("nonconforming.csv", output)
    assert done.returncode == 1
    assert "Investment has no ta:currency." in done.stderr
    assert "does not conform" in done.stderr
    assert not output.exists()


def test_shipped_facts_files_are_not_overwritten(tmp_path):
    target = resources.facts_dir() / "places.trig"
    before = target.read_bytes()
    done = run_kg("import", CSV_DIR / "good.csv", "--output", target)
    assert done.returncode == 2
    assert "shipped facts file" in done.stderr
    assert target.read_bytes() == before


def test_default_output_is_beside_the_csv_never_in_the_package():
    assert importer.default_output(Path("some/where/example-motors.csv")) == Path("some/where/example-motors.trig")


def test_values_are_converted_by_the_property_range(shipped_kg):
    vocabulary = importer.Vocabulary(shipped_kg)
    assert vocabulary.datatypes(TA.plannedAnnualCapacity) == (XSD.integer,)
    assert set(vocabulary.datatypes(TA.announcedOn)) == {XSD.date, XSD.gYearMonth, XSD.gYear}
    assert importer.convert_literal("51.5", (XSD.decimal,)) == Literal("51.5", datatype=XSD.decimal)
    assert importer.convert_literal("2024", (XSD.date, XSD.gYear)) == Literal("2024", datatype=XSD.gYear)
    for text, datatypes in [("1e9", (XSD.decimal,)), ("10 years", (XSD.duration,)), ("0", (XSD.positiveInteger,)),
                            ("2024-13", (XSD.gYearMonth,)), ("300,000", (XSD.integer,))]:
        with pytest.raises(ValueError):
            importer.convert_literal(text, datatypes)


@pytest.mark.parametrize("csv_name", ["good.csv", "template.csv"])
def test_a_large_import_through_stores_on_disk_writes_the_same_bytes(imported, tmp_path, csv_name):
    """KG_IMPORT_ON_DISK_MB=0 takes the path of a large CSV (statements and the graph
    they are validated in kept in temporary stores on disk) for a small one: the same
    file, the same summary, and no temporary folder left behind."""
    in_memory, on_disk = tmp_path / "memory.trig", tmp_path / "disk.trig"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    first = _import(csv_name, in_memory)
    second = run_kg("import", CSV_DIR / csv_name, "--output", on_disk,
                    env={"KG_IMPORT_ON_DISK_MB": "0", "TMPDIR": str(scratch)})
    assert first.returncode == second.returncode == 0, second.stderr
    assert on_disk.read_bytes() == in_memory.read_bytes()
    assert second.stdout.replace(str(on_disk), "OUT") == first.stdout.replace(str(in_memory), "OUT")
    assert list(scratch.iterdir()) == []
    if csv_name == "good.csv":
        output, _ = imported
        assert on_disk.read_bytes() == output.read_bytes()
        data = Dataset()
        data.parse(on_disk, format="trig")
        graph = data.graph(CLAIM["example-motors-plant-plan"])
        assert graph.value(ID["example-motors-plant"], TA.plannedAnnualCapacity) == Literal(120000)


def test_a_large_import_that_breaks_the_shapes_is_refused_the_same_way(tmp_path):
    small = _import("nonconforming.csv", tmp_path / "out.trig")
    large = run_kg("import", CSV_DIR / "nonconforming.csv", "--output", tmp_path / "out.trig",
                   env={"KG_IMPORT_ON_DISK_MB": "0"})
    assert small.returncode == large.returncode == 1
    assert "Investment has no ta:currency." in large.stderr
    assert large.stderr == small.stderr  # the same violations, each with its node's label
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["many", "-1", "nan"])
def test_a_bad_on_disk_threshold_is_one_line(tmp_path, value):
    done = run_kg("import", CSV_DIR / "good.csv", "--output", tmp_path / "out.trig",
                  env={"KG_IMPORT_ON_DISK_MB": value})
    assert done.returncode == 2
    assert done.stderr.strip() == (f"kg import: error: KG_IMPORT_ON_DISK_MB={value!r}: "
                                   "expected a number of megabytes (0 or more)")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_import_leaves_a_scratch_folder_the_next_one_removes(tmp_path):
    """A large import works in kg-import-PID-... in the temporary folder; one killed
    outright (SIGKILL) cannot remove it, so the next run removes those whose process is
    gone and whose lock is free, and keeps a live run's."""
    import os

    dead = tmp_path / "kg-import-999999999-deadrun"  # no such process
    dead.mkdir()
    (dead / "staged").write_bytes(b"x" * 1000)
    live = tmp_path / f"kg-import-{os.getpid()}-liverun"  # this test's own process
    live.mkdir()
    other = tmp_path / "kg-importer-999999999-x"  # not ours
    other.mkdir()
    done = run_kg("import", CSV_DIR / "good.csv", "--output", tmp_path / "out.trig",
                  env={"KG_IMPORT_ON_DISK_MB": "0", "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert not dead.exists()
    assert live.is_dir() and other.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "out.trig"])


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
@pytest.mark.parametrize(("data", "error"), [
    ("a,b\nc,é\nd,\u00e9\u20ac\n".encode() + b"\xff\n", "x.csv:4: not UTF-8 text (byte 0xff); kg reads UTF-8 only"),
    (b"a,b\n\nc,\xe2\x82", "x.csv:3: not UTF-8 text (the file ends inside a character); kg reads UTF-8 only"),
    (b"a,b\nc,d\n\x00", "x.csv:3: NUL byte; kg reads UTF-8 text only"),
    ("a,b\nc,d\n".encode("utf-16-le"), "x.csv:1: UTF-16 (little-endian) text without a byte-order mark; kg reads UTF-8 only"),
    (b"\xff\xfea\x00", "x.csv:1: UTF-16 (little-endian) text with a byte-order mark; kg reads UTF-8 only"),
])
def test_a_csv_is_checked_a_chunk_at_a_time_with_the_whole_file_errors(tmp_path, monkeypatch, chunk, data, error):
    from kg.errors import InputError
    from kg.sources import reading

    monkeypatch.chdir(tmp_path)
    Path("x.csv").write_bytes(data)
    with pytest.raises(InputError) as raised:
        reading.open_checked_input(Path("x.csv"), chunk=chunk)
    assert str(raised.value) == error
    if chunk == 1 << 20:  # the same words as the check of a whole file
        with pytest.raises(InputError) as whole:
            reading.read_input(Path("x.csv"))
        assert str(whole.value).split(":", 2)[2] == error.split(":", 2)[2] or "ends inside" in error


def test_a_checked_csv_is_read_as_checked_and_no_further(tmp_path):
    from kg.sources import reading

    path = tmp_path / "x.csv"
    path.write_bytes("\ufeffsubject,value\nxiaomi,300000\n".encode())
    stream = reading.open_checked_input(path, chunk=4)
    with path.open("ab") as grow:  # grows after the check: the extra bytes are not read
        grow.write(b"\xff\xff\n")
    assert stream.read() == "\ufeffsubject,value\nxiaomi,300000\n".encode()
    stream.close()


def test_kg_import_names_the_line_of_a_bad_byte(tmp_path):
    csv_path = tmp_path / "bad.csv"
    good = (CSV_DIR / "good.csv").read_bytes().splitlines(keepends=True)
    csv_path.write_bytes(b"".join(good[:3]) + b"example-motors,label,Caf\xe9,,example-report,,,2025-03-15,plan,high,"
                         b"page 7,example-motors-plant-plan,\n")
    done = run_kg("import", csv_path, "--output", tmp_path / "out.trig")
    assert done.returncode == 2
    assert done.stderr.strip() == f"kg import: error: {csv_path}:4: not UTF-8 text (byte 0xe9); kg reads UTF-8 only"
    assert not (tmp_path / "out.trig").exists()
