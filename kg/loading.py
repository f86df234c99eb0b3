"""Reading RDF files into a dataset, with errors that name the file and line."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.errors import InputError

FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}
QUAD_FORMATS = {"trig", "nquads", "json-ld"}

_LINE_PATTERNS = (
    re.compile(r"at line (\d+)"),
    re.compile(r"line[: ]+(\d+)", re.IGNORECASE),
)


def format_for(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})") from None


def _error_line(exc: Exception) -> int | None:
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        return lines + 1 if "at line" not in str(exc) else _first_line_number(str(exc))
    return _first_line_number(str(exc))


def _first_line_number(message: str) -> int | None:
    for pattern in _LINE_PATTERNS:
        match = pattern.search(message)
        if match:
            return int(match.group(1))
    return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    match = re.search(r"Bad syntax \((.*?)\) at \^", text, re.DOTALL)
    if match:
        text = match.group(1)
    first = text.splitlines()[0] if text else type(exc).__name__
    return first[:200]


def parse_error(path: Path, exc: Exception) -> InputError:
    """An :class:`InputError` naming the file, the line when known, and the reason."""
    line = _error_line(exc)
    where = f"{path}:{line}" if line else str(path)
    return InputError(f"{where}: syntax error: {_reason(exc)}")


def read_into(dataset: Dataset, path: Path, graph_name: URIRef | None = None) -> None:
    """Parse ``path`` into ``dataset``.

    Quad formats keep their own graphs; a triple format goes into ``graph_name`` (or
    the default graph when it is ``None``).
    """
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        if fmt in QUAD_FORMATS:
            dataset.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
        else:
            target = dataset.graph(graph_name) if graph_name is not None else dataset.default_context
            target.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except InputError:
        raise
    except Exception as exc:  # rdflib raises many types; all mean bad input here
        raise parse_error(path, exc) from None


def read_graph(path: Path) -> Graph:
    """Parse a triple file (Turtle, N-Triples, RDF/XML) into a new graph."""
    dataset = Dataset()
    read_into(dataset, path)
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
