"""Where the project's data files are: the one module that knows.

From an installed wheel, ``ontology/`` and ``queries/`` are packed inside the ``kg``
package; in a source checkout they sit next to it at the top level. Facts always live
inside the package (``kg/facts``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packed = _PACKAGE_DIR / name
    if packed.is_dir():
        return packed
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"data folder {name!r} not found next to {_PACKAGE_DIR}")


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
    return _PACKAGE_DIR / "facts"


def fact_files() -> list[Path]:
    """Every facts file (TriG), sorted by path."""
    return sorted(facts_dir().rglob("*.trig"))
