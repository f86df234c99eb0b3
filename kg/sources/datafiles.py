"""RDF data files in canonical form: the project's own (ontology, shapes, facts), and any
Turtle, TriG, N-Triples or N-Quads file ``kg fmt`` is given.

A file is rewritten in its own format only: Turtle and TriG as kg's canonical Turtle and
TriG (:mod:`kg.sources.canonical`), N-Triples and N-Quads as sorted canonical lines.
RDF/XML and JSON-LD are refused. Before a file is replaced, the new text is read back and
must be the same RDF dataset as the old one (isomorphic: no quad lost, gained or changed,
as Oxigraph's strict parser reads both), or the file is left as it was.
"""

from __future__ import annotations

from pathlib import Path

from kg import resources
from kg.errors import InputError
from kg.files import atomic_write
from kg.sources import canonical, reading

WRITTEN = {"turtle": "Turtle", "trig": "TriG", "nt": "N-Triples", "nquads": "N-Quads"}
"""The formats kg writes canonically, by reader name."""
_NOT_WRITTEN = {"xml": "RDF/XML", "json-ld": "JSON-LD"}


def shipped_data_files() -> list[Path]:
    """Every Turtle and TriG file the project keeps: ontology, shapes and facts."""
    return resources.ontology_files() + resources.shapes_files() + resources.fact_files()


def writable_format(path: Path) -> str:
    """The reader name of ``path``'s format, if kg writes it canonically; else an error."""
    fmt = reading.format_for(path)
    if fmt not in WRITTEN:
        raise InputError(f"{path}: kg fmt does not write {_NOT_WRITTEN.get(fmt, fmt)}; it formats "
                         f"{', '.join(WRITTEN.values())} files (file left unchanged)")
    return fmt


def canonical_text(path: Path) -> str:
    """The canonical text of a Turtle, TriG, N-Triples or N-Quads file, in its own format."""
    return _canonical(Path(path))[0]


def _canonical(path: Path) -> tuple[str, list, str]:
    """(canonical text, the file's quads as Oxigraph reads them, the format)."""
    fmt = writable_format(path)
    _, data = reading.checked_input(path)
    quads = reading.strict_quads(path, fmt, data)
    try:
        if fmt in reading.LINE_FORMATS:
            return canonical.lines(quads, with_graphs=fmt == "nquads"), quads, fmt
        dataset = canonical.dataset_of(quads)  # literals as written, not as rdflib normalises them
        text = canonical.trig(dataset) if fmt == "trig" else canonical.turtle(dataset.default_context)
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to write in canonical form (file left unchanged)") from None
    return text, quads, fmt


def is_canonical(path: Path) -> bool:
    """True when the file's bytes are exactly its canonical form."""
    text = canonical_text(path)
    return Path(path).read_bytes() == text.encode("utf-8")


def canonicalize(path: Path) -> None:
    """Rewrite a file in canonical form (atomically, keeping its permissions and owner,
    through a symbolic link), after checking the new text holds the same dataset."""
    path = Path(path)
    text, quads, fmt = _canonical(path)
    try:
        after = reading.strict_quads(path, fmt, text.encode("utf-8"))
    except InputError as exc:
        raise InputError(f"{path}: kg fmt would write a file it cannot read back ({exc}); file left unchanged") from None
    if not canonical.same_dataset(quads, after):
        raise InputError(f"{path}: kg fmt would change the data ({len(quads)} statements before, "
                         f"{len(after)} after, or different values); file left unchanged")
    atomic_write(path, text)
