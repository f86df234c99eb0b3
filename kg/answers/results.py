"""Rendering query answers: a table for people, and the W3C SPARQL 1.1 result formats.

``json`` is the SPARQL 1.1 Query Results JSON Format, ``xml`` the Query Results XML
Format, ``csv`` and ``tsv`` the SPARQL 1.1 Query Results CSV and TSV Formats (CSV:
CRLF line ends, IRIs and lexical forms; TSV: terms in Turtle syntax). An ASK answer is
a boolean result in JSON and XML; in CSV, TSV and the table, one column ``answer``.

CSV and TSV go to spreadsheets, which run a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (CSV injection: ``=HYPERLINK(...)``,
``=cmd|...``). Such a literal is written with a single quote before it, as OWASP's CSV
injection guidance says (:func:`neutralised`), unless the caller asks for the exact
values (``raw=True``, ``kg query --raw-csv``; :mod:`kg.formulas`): a departure from the SPARQL 1.1 CSV and
TSV formats, which write the value as it is. Numbers (``-5``, ``+1.5E3``, any numeric
literal) are left as they are: a spreadsheet reads them as numbers, never runs them.
"""

from __future__ import annotations

import json

from kg.formulas import is_formula
from kg.terms import XSD, BlankNode, Literal, NamedNode, short

FORMATS = ("table", "csv", "tsv", "json", "xml")
MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8",
}
MAX_CELL = 70
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})


def escape(text: str) -> str:
    """Text for XML content or a double-quoted attribute (``xml.sax.saxutils`` would
    import ``urllib``, a tenth of a second at start-up)."""
    return text.translate(_XML_ESCAPES)


def quoteattr(text: str) -> str:
    return f'"{escape(text)}"'


def cell_text(term) -> str:
    """A term as the table shows it: IRIs as prefixed names, literals' lexical forms."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return short(term)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def table(columns: list[str], rows: list, *, max_cell: int | None = MAX_CELL, numbers_right: bool = False) -> str:
    """Aligned plain-text columns; cells longer than ``max_cell`` cut (``None``: never);
    with ``numbers_right``, a column whose values are all numbers is right-aligned.
    Cells are terms (shown by :func:`cell_text`) or plain Python values."""
    cells = [[v if isinstance(v, str) else (str(v) if isinstance(v, (int, float)) else cell_text(v))
              for v in row] for row in rows]
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


# -- SPARQL 1.1 CSV and TSV ----------------------------------------------------------------


def neutralised(term, text: str) -> str:
    """``text`` (a term's value) with a ``'`` before it when it is a literal a
    spreadsheet could run (:func:`kg.formulas.is_formula`); numeric literals never are."""
    if isinstance(term, Literal) and term.datatype.value not in _NUMERIC and is_formula(text):
        return "'" + text
    return text


def _csv_field(text: str) -> str:
    # ";" is the separator of spreadsheets in many locales: quoted, a cell stays one cell
    if any(c in text for c in ',;"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_value(term, raw: bool = False) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if raw else neutralised(term, term.value)


def csv_text(columns: list[str], rows: list, raw: bool = False) -> str:
    """SPARQL 1.1 CSV: a header of variable names, IRIs, lexical forms, CRLF line ends;
    formulas neutralised unless ``raw`` (see the module's docstring)."""
    lines = [",".join(_csv_field(c) for c in columns)]
    lines += [",".join(_csv_field(_csv_value(v, raw)) for v in row) for row in rows]
    return "".join(line + "\r\n" for line in lines)


def tsv_term(term, raw: bool = True) -> str:
    """A term in the Turtle syntax the TSV format uses (tab and newline escaped); with
    ``raw`` False, a literal a spreadsheet could run gets a ``'`` inside its quotes."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        value = term.value if raw else neutralised(term, term.value)
        body = '"' + _tsv_escape(value) + '"'
        if term.datatype == XSD.string and not term.language:
            return body
        return body + (f"@{term.language}" if term.language else f"^^<{term.datatype.value}>")
    return str(term)


def _tsv_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def tsv_text(columns: list[str], rows: list, raw: bool = False) -> str:
    """SPARQL 1.1 TSV: a header of ``?variables``, terms in Turtle syntax; formulas
    neutralised unless ``raw`` (see the module's docstring)."""
    lines = ["\t".join(f"?{c}" for c in columns)]
    lines += ["\t".join(tsv_term(v, raw) for v in row) for row in rows]
    return "".join(line + "\n" for line in lines)


# -- SPARQL 1.1 JSON and XML ---------------------------------------------------------------


def json_term(term) -> dict:
    """A term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype != XSD.string:
        out["datatype"] = term.datatype.value
    return out


def json_text(columns: list[str], rows: list, extra: dict | None = None) -> str:
    """SPARQL 1.1 Query Results JSON (plus optional extra top-level members)."""
    bindings = [{col: json_term(v) for col, v in zip(columns, row) if v is not None} for row in rows]
    document = {"head": {"vars": columns}, "results": {"bindings": bindings}}
    document.update(extra or {})
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _xml_term(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype != XSD.string:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def xml_text(columns: list[str], rows: list) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{RESULTS_NS}">', "  <head>"]
    out += [f"    <variable name={quoteattr(c)}/>" for c in columns]
    out += ["  </head>", "  <results>"]
    for row in rows:
        out.append("    <result>")
        out += [f"      <binding name={quoteattr(c)}>{_xml_term(v)}</binding>"
                for c, v in zip(columns, row) if v is not None]
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


# -- choosing ------------------------------------------------------------------------------


def render(fmt: str, columns: list[str], rows: list, extra: dict | None = None, raw: bool = False) -> str:
    """A SELECT answer in ``fmt`` (one of :data:`FORMATS`); ``raw``: CSV and TSV cells
    exactly as the data has them, formulas included (see the module's docstring)."""
    if fmt == "table":
        return table(columns, rows)
    if fmt == "csv":
        return csv_text(columns, rows, raw)
    if fmt == "tsv":
        return tsv_text(columns, rows, raw)
    if fmt == "xml":
        return xml_text(columns, rows)
    return json_text(columns, rows, extra)


def render_boolean(fmt: str, value: bool, extra: dict | None = None) -> str:
    """An ASK answer in ``fmt``: the boolean result of JSON and XML, else one ``answer`` row."""
    word = "true" if value else "false"
    if fmt == "json":
        document = {"head": {}, "boolean": value}
        document.update(extra or {})
        return json.dumps(document, indent=2) + "\n"
    if fmt == "xml":
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{RESULTS_NS}">\n  <head/>\n'
                f"  <boolean>{word}</boolean>\n</sparql>\n")
    return render(fmt, ["answer"], [(Literal(word, datatype=XSD.boolean),)], extra)
