"""The data the project keeps: canonical files, and every fact tied to a claim and source."""

from __future__ import annotations

import shutil

import pytest


from kg.sources import datafiles
from kg.terms import ID, PROV, RDF, TA

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
    described = {q.subject for q in shipped_kg.quads() if q.subject in ID}
    stated = {q.subject for claim in shipped_kg.claim_names() for q in shipped_kg.quads(graph=claim)}
    assert len(described) > 150
    assert described - stated == set()


def test_every_claim_has_a_source_a_kind_and_a_confidence(shipped_kg):
    claims = shipped_kg.claim_names()
    assert len(claims) > 80
    for claim in claims:
        assert list(shipped_kg.quads(claim, RDF.type, TA.Claim)), claim
        source = shipped_kg.value(claim, PROV.wasDerivedFrom)
        assert list(shipped_kg.quads(source, RDF.type, None)), claim
        assert shipped_kg.value(claim, TA.hasClaimKind) in {TA.Plan, TA.Outcome, TA.Description}
        assert shipped_kg.value(claim, TA.hasConfidence) in {TA.HighConfidence, TA.LowConfidence}


def test_plan_and_outcome_are_kept_apart_for_the_beijing_plant(shipped_kg):
    rows = shipped_kg.query(
        """SELECT ?kind ?p ?v WHERE {
             GRAPH ?claim { ?s ?p ?v } ?claim ta:hasClaimKind ?kind .
             VALUES ?s { id:xiaomi-beijing-plant id:xiaomi-su7 }
             VALUES ?p { ta:plannedAnnualCapacity ta:plannedProductionStart ta:firstDeliveryDate } }"""
    )
    found = {(kind.value.split("#")[-1], p.value.split("#")[-1], v.value) for kind, p, v in rows}
    assert ("Plan", "plannedAnnualCapacity", "300000") in found
    assert ("Plan", "plannedProductionStart", "2024") in found
    assert ("Outcome", "firstDeliveryDate", "2024-04-03") in found
