"""Where the project's data files are: the one module that knows.

Two places can hold them: the installed package (a wheel packs ``ontology/`` and
``queries/`` inside ``kg/``, next to ``kg/facts``), and a source checkout of techauto-kg
(``ontology/``, ``queries/`` at the top, ``kg/facts`` inside). When the current folder is
inside a checkout, its files are used, so that editing ``kg/facts/xiaomi.trig`` in the
checkout changes what every command sees even when kg was installed with a plain
``pip install .``; elsewhere, the installed package's. ``KG_DATA_DIR`` names a checkout
(or unpacked package folder) to use instead.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_MARKER = 'name = "techauto-kg"'


def _is_checkout(folder: Path) -> bool:
    project = folder / "pyproject.toml"
    try:
        return (folder / "kg" / "facts").is_dir() and (folder / "ontology").is_dir() and _MARKER in project.read_text(
            encoding="utf-8")
    except OSError:
        return False


@lru_cache(maxsize=None)
def checkout() -> Path | None:
    """The techauto-kg checkout the current folder is in (or ``KG_DATA_DIR``), if any."""
    named = os.environ.get("KG_DATA_DIR")
    if named:
        return Path(named).resolve()
    try:
        here = Path.cwd().resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        if _is_checkout(folder):
            return folder
    return None


def package_dir() -> Path:
    """The folder the data files come from: ``kg/`` of the checkout, else of the installed package."""
    root = checkout()
    return root / "kg" if root is not None else _PACKAGE_DIR


def _data_dir(name: str) -> Path:
    root = checkout()
    candidates = [root / name] if root is not None else [_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} not found in {candidates[0].parent}")


def ontology_dir() -> Path:
    """Folder holding the OWL ontology (``*.ttl``) and ``shapes/``."""
    return _data_dir("ontology")


def ontology_files() -> list[Path]:
    """The ontology's Turtle files, sorted."""
    return sorted(ontology_dir().glob("*.ttl"))


def shapes_files() -> list[Path]:
    """The SHACL shapes' Turtle files, sorted."""
    return sorted((ontology_dir() / "shapes").glob("*.ttl"))


def queries_dir() -> Path:
    """Folder of the shipped SPARQL queries (``*.rq``)."""
    return _data_dir("queries")


def facts_dir() -> Path:
    """Folder of the sourced facts (``**/*.trig``)."""
    return package_dir() / "facts"


def fact_files() -> list[Path]:
    """Every facts file (TriG), sorted by path."""
    return sorted(facts_dir().rglob("*.trig"))


def is_installed_copy(path: Path) -> bool:
    """True when ``path`` is inside the installed package (not a checkout)."""
    try:
        return Path(path).resolve().is_relative_to(_PACKAGE_DIR) and not _is_checkout(_PACKAGE_DIR.parent)
    except OSError:
        return False
