"""The project's own data files (ontology, shapes, facts): reading and canonical form."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from kg import resources
from kg.sources import canonical, reading
from kg.files import atomic_write


def shipped_data_files() -> list[Path]:
    """Every Turtle and TriG file the project keeps: ontology, shapes and facts."""
    return resources.ontology_files() + resources.shapes_files() + resources.fact_files()


def canonical_text(path: Path) -> str:
    """The canonical text of a ``.ttl`` or ``.trig`` file's graph."""
    dataset = Dataset()
    reading.read_into(dataset, path)
    if reading.format_for(path) == "trig":
        return canonical.trig(dataset)
    return canonical.turtle(dataset.default_context)


def is_canonical(path: Path) -> bool:
    """True when the file's bytes are exactly its canonical form."""
    return reading.read_input(path) == canonical_text(path).encode("utf-8")


def canonicalize(path: Path) -> None:
    """Rewrite a file in canonical form (atomically)."""
    atomic_write(path, canonical_text(path))
