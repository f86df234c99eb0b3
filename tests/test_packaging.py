"""Packaging: one version, data files found from a checkout and inside the wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import kg
from kg import resources

ROOT = Path(__file__).resolve().parent.parent


def test_version_is_written_once():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)
    assert re.fullmatch(r"\d+\.\d+\.\d+", kg.__version__)


def test_data_folders_are_found():
    assert resources.ontology_files(), "no ontology file found"
    assert resources.shapes_files(), "no shapes file found"
    assert len(list(resources.queries_dir().glob("*.rq"))) >= 5
    assert resources.fact_files(), "no facts file found"


@pytest.mark.slow
def test_wheel_contains_every_ttl_rq_and_trig(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    wheel = next(tmp_path.glob("techauto_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"kg/ontology/{p.relative_to(ROOT / 'ontology')}" for p in (ROOT / "ontology").rglob("*.ttl")}
    expected |= {f"kg/queries/{p.name}" for p in (ROOT / "queries").glob("*.rq")}
    expected |= {f"kg/facts/{p.relative_to(ROOT / 'kg' / 'facts')}" for p in (ROOT / "kg" / "facts").rglob("*.trig")}
    assert len(expected) > 10
    assert expected - names == set()
    assert {"kg/cli/__init__.py", "kg/store/knowledge_graph.py", "kg/terms.py"} <= names
