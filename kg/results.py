"""Rendering query answers as a table, CSV or SPARQL 1.1 JSON results."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef

FORMATS = ("table", "csv", "json")
MAX_CELL = 70


def _short(term, namespace_manager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return term.n3(namespace_manager)
        except Exception:
            return str(term)
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def table(columns: list[str], rows: list[list], namespace_manager=None, *,
          max_cell: int | None = MAX_CELL, numbers_right: bool = False) -> str:
    """Aligned plain-text columns; IRIs shown as prefixed names; cells longer than
    ``max_cell`` cut (``None``: never); with ``numbers_right``, a column whose values are
    all numbers is right-aligned."""
    cells = [[_short(v, namespace_manager) for v in row] for row in rows]
    if max_cell is not None:
        cells = [[c if len(c) <= max_cell else c[: max_cell - 1] + "…" for c in row] for row in cells]
    widths = [max([len(col)] + [len(row[i]) for row in cells]) for i, col in enumerate(columns)]
    right = [numbers_right and bool(rows) and all(isinstance(row[i], int | float) for row in rows)
             for i in range(len(columns))]

    def line(row) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right)).rstrip()

    lines = [line(columns), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in cells]
    return "\n".join(lines) + "\n"


def csv_text(columns: list[str], rows: list[list]) -> str:
    """SPARQL-style CSV: a header of variable names, full IRIs, literals' lexical forms."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buffer.getvalue()


def json_text(columns: list[str], rows: list[list], extra: dict | None = None) -> str:
    """SPARQL 1.1 Query Results JSON (plus optional extra top-level members)."""
    bindings = [
        {col: _json_term(v) for col, v in zip(columns, row) if v is not None} for row in rows
    ]
    document = {"head": {"vars": columns}, "results": {"bindings": bindings}}
    document.update(extra or {})
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, columns: list[str], rows: list[list], namespace_manager=None, extra: dict | None = None) -> str:
    """The answer in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "table":
        return table(columns, rows, namespace_manager)
    if fmt == "csv":
        return csv_text(columns, rows)
    return json_text(columns, rows, extra)
