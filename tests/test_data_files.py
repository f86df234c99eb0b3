"""The data the project keeps: canonical files, and every fact tied to a claim and source."""

from __future__ import annotations

import shutil

import pytest
from rdflib.namespace import PROV, RDF

from kg import datafiles
from kg.namespaces import ID, TA

from conftest import run_kg

DATA_FILES = datafiles.shipped_data_files()


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_is_canonical(path):
    assert path.read_text(encoding="utf-8") == datafiles.canonical_text(path)


def test_fmt_check_flags_a_file_that_is_not_canonical(tmp_path):
    source = next(p for p in DATA_FILES if p.name == "xiaomi.trig")
    copy = tmp_path / "xiaomi.trig"
    shutil.copy(source, copy)
    assert run_kg("fmt", "--check", copy).returncode == 0
    copy.write_text(copy.read_text(encoding="utf-8").replace("    ", "  "), encoding="utf-8")
    checked = run_kg("fmt", "--check", copy)
    assert checked.returncode == 1
    assert f"not canonical: {copy}" in checked.stderr
    assert run_kg("fmt", copy).returncode == 0
    assert copy.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_every_entity_is_stated_in_a_claim(shipped_kg):
    described = {s for s, _, _ in shipped_kg.asserted() if str(s).startswith(str(ID))}
    stated = set(shipped_kg.entity_sources())
    assert len(described) > 150
    assert described - stated == set()


def test_every_claim_has_a_source_a_kind_and_a_confidence(shipped_kg):
    claims = [g.identifier for g in shipped_kg.claim_graphs()]
    assert len(claims) > 80
    for claim in claims:
        assert (claim, RDF.type, TA.Claim) in shipped_kg.dataset, claim
        source = shipped_kg.dataset.value(claim, PROV.wasDerivedFrom)
        assert (source, RDF.type, None) in shipped_kg.dataset, claim
        assert shipped_kg.dataset.value(claim, TA.hasClaimKind) in {TA.Plan, TA.Outcome, TA.Description}
        assert shipped_kg.dataset.value(claim, TA.hasConfidence) in {TA.HighConfidence, TA.LowConfidence}


def test_plan_and_outcome_are_kept_apart_for_the_beijing_plant(shipped_kg):
    rows = shipped_kg.query(
        """SELECT ?kind ?p ?v WHERE {
             GRAPH ?claim { ?s ?p ?v } ?claim ta:hasClaimKind ?kind .
             VALUES ?s { id:xiaomi-beijing-plant id:xiaomi-su7 }
             VALUES ?p { ta:plannedAnnualCapacity ta:plannedProductionStart ta:firstDeliveryDate } }"""
    )
    found = {(kind.split("#")[-1], p.split("#")[-1], str(v)) for kind, p, v in rows}
    assert ("Plan", "plannedAnnualCapacity", "300000") in found
    assert ("Plan", "plannedProductionStart", "2024") in found
    assert ("Outcome", "firstDeliveryDate", "2024-04-03") in found
