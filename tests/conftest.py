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


class RdflibView:
    """A knowledge graph seen through rdflib, for tests written against rdflib terms:
    ``dataset`` (every asserted graph, the default graph their union), ``graph(name)``,
    ``claim_graphs()``, ``union()`` (with the inferences once reasoned) and ``query()``
    returning rows of rdflib terms."""

    def __init__(self, kg):
        from rdflib import Dataset

        self.kg = kg
        self.dataset = Dataset(default_union=True)
        source = kg.rdflib_dataset()
        for s, p, o, g in source.quads((None, None, None, None)):
            name = g.identifier if hasattr(g, "identifier") else g
            target = self.dataset.default_context if name == source.default_context.identifier else self.dataset.graph(name)
            target.add((s, p, o))

    def graph(self, name):
        return self.dataset.graph(name)

    def claim_graphs(self):
        from kg.namespaces import CLAIM_IRI

        return sorted((g for g in self.dataset.graphs() if str(g.identifier).startswith(CLAIM_IRI) and len(g)),
                      key=lambda g: str(g.identifier))

    def union(self):
        return self.kg.rdflib_graph(inferred=self.kg.has_inferences)

    def query(self, text: str, bindings: dict | None = None):
        from collections import namedtuple

        from kg.terms import to_rdflib

        result = self.kg.query(text, bindings, inferred=self.kg.has_inferences)
        row = namedtuple("Row", result.vars, rename=True)
        return [row(*(to_rdflib(term) for term in values)) for values in result]

    def as_of(self, date):
        return RdflibView(self.kg.as_of(date))

    @property
    def undated_claims(self):
        from kg.terms import to_rdflib

        return tuple(to_rdflib(claim) for claim in self.kg.undated_claims)


@pytest.fixture(scope="session")
def shipped_rdf(shipped_kg):
    """The shipped graph through rdflib (see :class:`RdflibView`)."""
    return RdflibView(shipped_kg)


@pytest.fixture(scope="session")
def reasoned_rdf(reasoned_kg):
    """The shipped graph after reasoning, through rdflib."""
    return RdflibView(reasoned_kg)


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def chromium(folder: Path, width: int, downloads: Path | None = None):
    """A headless Chromium driven by Selenium (the real browser, from Debian: a missing
    one fails the test), offline, at ``width`` x 900; with ``downloads``, files it
    downloads go there and its console log is kept too. A generator: the driver is
    quit when it is closed (use it as a fixture's body)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(f"the browser test needs {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--window-size={width},900", f"--user-data-dir={folder}"):
        options.add_argument(argument)
    logs = {"performance": "ALL"}
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
        logs["browser"] = "ALL"
    options.set_capability("goog:loggingPrefs", logs)
    mp = pytest.MonkeyPatch()
    mp.setenv("SE_OFFLINE", "true")  # selenium-manager must never download a driver
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        if downloads is not None:
            driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver
    finally:
        driver.quit()
        mp.undo()
