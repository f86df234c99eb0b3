"""The question catalogue: SPARQL files under ``queries/``, their headers and parameters.

Every query file starts with a comment header::

    # title: Xiaomi's Beijing plant: capacity and funding
    # question: What plant does a company run, how much can it build ...?
    # param: company iri = id:xiaomi : the company to start from
    # answer: one row per production phase with ...

``param`` lines are repeatable (``NAME TYPE [= DEFAULT] : description``; types are
iri, string, integer, decimal, date, year; a default of ``-`` makes the parameter
optional: left unbound unless given); ``# parameters: none`` when there are none.
Parameters are bound by rdflib (``initBindings``), never pasted into the text. Files
whose name ends in ``-violation`` are checks that must return no rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import loading, resources
from kg.errors import InputError

HEADER_KEYS = ("title", "question", "answer")
OPTIONAL = "-"
PARAM_TYPES = {"iri", "string", "integer", "decimal", "date", "year"}
_HEADER_LINE = re.compile(r"^#\s*(title|question|answer|param|parameters)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(?:\s*=\s*(\S+))?\s*(?::\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass
class QueryFile:
    """One question: its file, header and SPARQL text."""

    name: str
    path: Path
    text: str
    title: str
    question: str
    answer: str
    params: list[Param] = field(default_factory=list)

    @property
    def is_violation_check(self) -> bool:
        return self.name.endswith("-violation")


def _header_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        lines.append((number, line))
    return lines


def _parse_param(path: Path, number: int, spec: str) -> Param:
    match = _PARAM.match(spec.strip())
    if not match or match.group(2) not in PARAM_TYPES:
        types = ", ".join(sorted(PARAM_TYPES))
        raise InputError(f"{path}:{number}: bad param line {spec!r} (want: NAME TYPE [= DEFAULT] : text; types {types})")
    name, kind, default, description = match.groups()
    return Param(name, kind, default, description or "")


def read_query_file(path: Path) -> QueryFile:
    """Read a ``.rq`` file and its header; a missing header field is an error."""
    path = Path(path)
    text = loading.read_input(path).decode("utf-8")  # exists, within the size limit, UTF-8
    fields: dict[str, str] = {}
    params: list[Param] = []
    for number, line in _header_lines(text):
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(path, number, value))
        else:
            fields[key] = (fields.get(key, "") + " " + value).strip()
    missing = [key for key in HEADER_KEYS if not fields.get(key)]
    if missing:
        raise InputError(f"{path}:1: query header lacks {', '.join('# ' + k + ':' for k in missing)}")
    return QueryFile(path.stem, path, text, fields["title"], fields["question"], fields["answer"], params)


def catalogue() -> dict[str, QueryFile]:
    """Every shipped query, by name (the file name without ``.rq``)."""
    return {path.stem: read_query_file(path) for path in sorted(resources.queries_dir().glob("*.rq"))}


def find(name_or_path: str) -> QueryFile:
    """A shipped query by name, or a query file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" or candidate.is_file():
        return read_query_file(candidate)
    known = catalogue()
    if name_or_path in known:
        return known[name_or_path]
    import difflib

    close = difflib.get_close_matches(name_or_path, list(known), n=3, cutoff=0.4)
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
        if param.type == "integer":
            return Literal(int(raw))
        if param.type == "decimal":
            return Literal(raw, datatype=XSD.decimal) if re.fullmatch(r"-?\d+(\.\d+)?", raw) else _bad(raw)
        if param.type == "date":
            import datetime

            return Literal(datetime.date.fromisoformat(raw))
        if param.type == "year":
            return Literal(raw, datatype=XSD.gYear) if re.fullmatch(r"\d{4}", raw) else _bad(raw)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    except ValueError:
        pass
    raise InputError(f"{where}: not a valid {param.type}")


def _bad(raw: str):
    raise ValueError(raw)


def bindings(kg, query: QueryFile, given: dict[str, str]) -> dict[str, URIRef | Literal]:
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


def check_syntax(query: QueryFile, allow_network: bool = False):
    """Parse the query's text and return it prepared; errors name the file (and line).

    Updates are refused, and so are ``SERVICE`` and ``FROM`` unless ``allow_network``
    (see :func:`kg.safety.prepare_query`).
    """
    from kg import safety
    from kg.namespaces import PREFIXES

    return safety.prepare_query(query.text, str(query.path), PREFIXES, allow_network)
