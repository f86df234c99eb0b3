"""Shared fixtures: the shipped graph (loaded once) and a runner for the installed ``kg``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent


def kg_executable() -> str:
    """The installed ``kg`` console script: next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "kg"
    if beside.exists():
        return str(beside)
    found = shutil.which("kg")
    if not found:
        raise RuntimeError("the kg command is not installed (pip install '.[test]')")
    return found


def run_kg(*args: str, cwd: Path | None = None, timeout: float = 120, env: dict | None = None,
           input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``kg`` with ``args``; return the completed process (text mode)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [kg_executable(), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        input=input,
    )


@pytest.fixture(scope="session")
def shipped_kg():
    """The shipped knowledge graph (ontology and facts), loaded once per test session."""
    from kg.store import KnowledgeGraph

    return KnowledgeGraph.load()


@pytest.fixture(scope="session")
def reasoned_kg():
    """The shipped knowledge graph after OWL RL reasoning, loaded once per session."""
    from kg.store import KnowledgeGraph

    kg = KnowledgeGraph.load()
    kg.reason()
    return kg


DESELECTED: list = []
"""Tests that -k or -m left out; the collection-count guard counts them as collected."""


def pytest_deselected(items):
    DESELECTED.extend(items)
