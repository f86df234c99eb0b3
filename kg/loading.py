"""Reading RDF files into a dataset, safely, with errors that name the file and line.

Input may come from strangers. A file larger than :func:`max_file_bytes` is refused, and
so is one that is not UTF-8; RDF/XML may not declare a DOCTYPE or entities (no "billion
laughs", no external entities); JSON-LD may not name a remote ``@context`` (kg never
fetches one); ``owl:imports`` is never followed. Parsing runs under
:func:`kg.safety.guard`: no network, no other files.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg import safety
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
LINE_FORMATS = {"nt", "nquads"}
MAX_FILE_MB = 50
"""Default size limit of an input file; the environment variable ``KG_MAX_FILE_MB`` overrides it."""

_LINE_PATTERNS = (
    re.compile(r"at line (\d+)"),
    re.compile(r"line[: ]+(\d+)", re.IGNORECASE),
)
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_INVALID_IRI = " does not look like a valid URI"


def format_for(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})") from None


# -- errors ------------------------------------------------------------------------------


def _error_line(exc: Exception) -> int | None:
    if hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        return exc.getLineNumber()
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
    if hasattr(exc, "getMessage"):  # xml.sax.SAXParseException, without "<unknown>:4:2:"
        return str(exc.getMessage())[:200]
    text = str(exc).strip()
    match = re.search(r"Bad syntax \((.*?)\) at \^", text, re.DOTALL)
    if match:
        text = match.group(1)
    first = text.splitlines()[0] if text else type(exc).__name__
    return first[:200]


def parse_error(path: Path, exc: Exception, line: int | None = None) -> InputError:
    """An :class:`InputError` naming the file, the line when known, and the reason."""
    line = line or _error_line(exc)
    where = f"{path}:{line}" if line else str(path)
    return InputError(f"{where}: syntax error: {_reason(exc)}")


# -- checks before parsing ---------------------------------------------------------------


def max_file_bytes() -> int:
    """The size limit of an input file, in bytes (``KG_MAX_FILE_MB``, default 50)."""
    raw = os.environ.get("KG_MAX_FILE_MB", str(MAX_FILE_MB))
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1
    if megabytes <= 0:
        raise InputError(f"KG_MAX_FILE_MB={raw!r}: expected a positive number of megabytes")
    return int(megabytes * 1024 * 1024)


def read_input(path: Path) -> bytes:
    """The bytes of a user's input file: it must exist, be within the size limit, be UTF-8."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    size, limit = path.stat().st_size, max_file_bytes()
    if size > limit:
        raise InputError(f"{path}: file of {size / 2**20:.1f} MB is larger than the limit of "
                         f"{limit / 2**20:g} MB (set KG_MAX_FILE_MB to change it)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); kg reads UTF-8 only") from None
    return data


def _refuse_xml_declarations(path: Path, data: bytes) -> None:
    match = _XML_DECLARATIONS.search(data)
    if match:
        line = data[: match.start()].count(b"\n") + 1
        raise InputError(f"{path}:{line}: <!{match.group(1).decode().upper()}> refused: RDF/XML may not "
                         "declare a DOCTYPE or entities (entity expansion, external entities)")


def _check_json_ld(path: Path, data: bytes) -> None:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None
    if not isinstance(document, (dict, list)):
        raise InputError(f"{path}:1: syntax error: a JSON-LD document is an object or an array")
    reference = remote_context(document)
    if reference is not None:
        raise InputError(f"{path}: JSON-LD context {reference!r} refused: kg never fetches a "
                         "context; put the context in the file")


def remote_context(document) -> str | None:
    """The first ``@context`` or ``@import`` of a JSON-LD document that names a document."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("@context", "@import"):
                for value in node.get(key) if isinstance(node.get(key), list) else [node.get(key)]:
                    if isinstance(value, str):
                        return value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


# -- parsing -----------------------------------------------------------------------------


class _LineReader(io.StringIO):
    """Text handed to a line-based parser one line per read, counting the lines read
    (rdflib's N-Triples errors do not say which line failed)."""

    lines = 0

    def read(self, size: int | None = -1) -> str:
        line = self.readline()
        self.lines += bool(line)
        return line


class _TermWarnings(logging.Handler):
    """rdflib's term warnings during a parse: invalid IRIs kept, the rest dropped
    (ill-typed literals are for SHACL to report, not for a traceback on stderr)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.invalid_iris: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _INVALID_IRI in message:
            self.invalid_iris.append(message.split(_INVALID_IRI)[0])


@contextmanager
def _term_warnings() -> Iterator[_TermWarnings]:
    logger = logging.getLogger("rdflib.term")
    handler, propagate = _TermWarnings(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def read_into(dataset: Dataset, path: Path, graph_name: URIRef | None = None) -> None:
    """Parse ``path`` into ``dataset``, after the checks above.

    Quad formats keep their own graphs; a triple format goes into ``graph_name`` (or
    the default graph when it is ``None``).
    """
    path = Path(path)
    fmt = format_for(path)
    data = read_input(path)
    if fmt == "xml":
        _refuse_xml_declarations(path, data)
    if fmt == "json-ld":
        _check_json_ld(path, data)
    if fmt in QUAD_FORMATS:
        target = dataset
    else:
        target = dataset.graph(graph_name) if graph_name is not None else dataset.default_context
    reader = _LineReader(data.decode("utf-8")) if fmt in LINE_FORMATS else None
    source = {"source": reader} if reader else {"data": data}
    try:
        with safety.guard(), _term_warnings() as warnings:
            target.parse(**source, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None
    except Exception as exc:  # rdflib raises many types; all mean bad input here
        refused = safety.refusal(exc)
        if refused:
            raise InputError(f"{path}: {refused}") from None
        raise parse_error(path, exc, reader.lines if reader else None) from None
    if warnings.invalid_iris:
        raise InputError(f"{path}: invalid IRI <{warnings.invalid_iris[0][:200]}>")


def read_graph(path: Path) -> Graph:
    """Parse a triple file (Turtle, N-Triples, RDF/XML) into a new graph."""
    dataset = Dataset()
    read_into(dataset, path)
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
