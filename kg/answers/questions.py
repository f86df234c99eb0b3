"""The question catalogue: SPARQL files under ``queries/``, their headers and parameters.

Every shipped query file starts with a comment header::

    # title: Xiaomi's Beijing plant: capacity and funding
    # question: What plant does a company run, how much can it build ...?
    # param: company iri = id:xiaomi : the company to start from
    # answer: one row per production phase with ...

``param`` lines are repeatable (``NAME TYPE [= DEFAULT] : description``; types are
iri, string, integer, decimal, date, year; a default of ``-`` makes the parameter
optional: left unbound unless given); ``# parameters: none`` when there are none.
Parameters are bound as a trailing ``VALUES`` block of terms, never pasted into the
text (:func:`kg.store.knowledge_graph.with_values`). Files whose name ends in
``-violation`` are checks that must return no rows. A user's own ``.rq`` file, or a
query given inline (``kg query -e``), needs no header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg import resources
from kg.errors import InputError
from kg.sources import reading
from kg.terms import XSD, Literal

HEADER_KEYS = ("title", "question", "answer")
OPTIONAL = "-"
PARAM_TYPES = {"iri", "string", "integer", "decimal", "date", "year"}
INLINE = "-e"
_HEADER_LINE = re.compile(r"^#\s*(title|question|answer|param|parameters)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(?:\s*=\s*(\S+))?\s*(?::\s*(.*))?$")
_CHECKS = {
    "integer": re.compile(r"[+-]?\d+"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "year": re.compile(r"-?\d{4,}"),
}


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass
class QueryFile:
    """One question: its name, where it comes from, header and SPARQL text."""

    name: str
    path: Path | str
    text: str
    title: str = ""
    question: str = ""
    answer: str = ""
    params: list[Param] = field(default_factory=list)

    @property
    def is_violation_check(self) -> bool:
        return self.name.endswith("-violation")

    @property
    def where(self) -> str:
        """How messages name the query: its file, or ``-e`` for inline text."""
        return str(self.path)

    def describe(self) -> dict:
        """The header as data: title, question, answer and parameters."""
        return {"name": self.name, "title": self.title, "question": self.question, "answer": self.answer,
                "parameters": [{"name": p.name, "type": p.type, "default": p.default,
                                "optional": p.default == OPTIONAL, "description": p.description}
                               for p in self.params]}


def _header_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        lines.append((number, line))
    return lines


def _parse_param(where: str, number: int, spec: str) -> Param:
    match = _PARAM.match(spec.strip())
    if not match or match.group(2) not in PARAM_TYPES:
        types = ", ".join(sorted(PARAM_TYPES))
        raise InputError(f"{where}:{number}: bad param line {spec!r} (want: NAME TYPE [= DEFAULT] : text; types {types})")
    name, kind, default, description = match.groups()
    return Param(name, kind, default, description or "")


def parse_query(name: str, path: Path | str, text: str, require_header: bool) -> QueryFile:
    """A query from its text; with ``require_header``, a missing header field is an error."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for number, line in _header_lines(text):
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(str(path), number, value))
        else:
            fields[key] = (fields.get(key, "") + " " + value).strip()
    missing = [key for key in HEADER_KEYS if not fields.get(key)]
    if missing and require_header:
        raise InputError(f"{path}:1: query header lacks {', '.join('# ' + k + ':' for k in missing)}")
    return QueryFile(name, path, text, fields.get("title") or name, fields.get("question", ""),
                     fields.get("answer", ""), params)


def read_query_file(path: Path, require_header: bool = True) -> QueryFile:
    """Read a ``.rq`` file and its header."""
    path = Path(path)
    text = reading.read_input(path).decode("utf-8")  # exists, within the size limit, UTF-8
    return parse_query(path.stem, path, text, require_header)


def inline(text: str) -> QueryFile:
    """A query given on the command line (``kg query -e``); a header is optional."""
    return parse_query("inline query", INLINE, text, require_header=False)


def catalogue() -> dict[str, QueryFile]:
    """Every shipped query, by name (the file name without ``.rq``)."""
    return {path.stem: read_query_file(path) for path in sorted(resources.queries_dir().glob("*.rq"))}


def find(name_or_path: str) -> QueryFile:
    """A shipped query by name, or a user's query file by path (its header is optional)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" or candidate.is_file():
        return read_query_file(candidate, require_header=False)
    path = resources.queries_dir() / f"{name_or_path}.rq"
    if re.fullmatch(r"[\w.-]+", name_or_path) and path.is_file():
        return read_query_file(path)
    known = [p.stem for p in sorted(resources.queries_dir().glob("*.rq"))]
    import difflib

    close = difflib.get_close_matches(name_or_path, known, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"unknown query {name_or_path!r}{hint} (known: {', '.join(known)})")


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` from ``--param`` options into a dict."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not re.fullmatch(r"\w+", key.strip()):
            raise InputError(f"--param {pair!r}: expected KEY=VALUE")
        values[key.strip()] = value
    return values


def _convert(kg, param: Param, raw: str):
    where = f"--param {param.name}={raw}"
    try:
        if param.type == "iri":
            return kg.resolve(raw)
        if param.type == "string":
            return Literal(raw)
        if param.type in _CHECKS and _CHECKS[param.type].fullmatch(raw):
            if param.type == "integer":
                return Literal(str(int(raw)), datatype=XSD.integer)
            datatype = {"decimal": XSD.decimal, "year": XSD.gYear}[param.type]
            return Literal(raw, datatype=datatype)
        if param.type == "date":
            import datetime

            return Literal(datetime.date.fromisoformat(raw).isoformat(), datatype=XSD.date)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    except ValueError:
        pass
    raise InputError(f"{where}: not a valid {param.type}")


def bindings(kg, query: QueryFile, given: dict[str, str]) -> dict:
    """Check ``given`` against the declared parameters and convert them to RDF terms."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        raise InputError(f"--param {unknown[0]}: query {query.name!r} has no such parameter (it takes: {names})")
    bound = {}
    for param in query.params:
        raw = given.get(param.name, param.default)
        if raw == OPTIONAL:
            continue
        if raw is None:
            raise InputError(f"query {query.name!r} needs --param {param.name}=<{param.type}>")
        bound[param.name] = _convert(kg, param, raw)
    return bound


def check(query: QueryFile, allow_network: bool = False) -> str:
    """Refuse what a query may not do (see :func:`kg.checks.sparql.check_query`) and
    return its form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    from kg.checks import sparql

    return sparql.check_query(query.text, query.where, allow_network)
