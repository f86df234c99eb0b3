"""Facts from a CSV file, one row per fact, turned into sourced claims (canonical TriG).

Columns (see ``COLUMNS``): ``subject`` (an ``id:`` name), ``property`` (a ``ta:`` local
name, or ``type`` / ``label`` / ``label_fr``), ``value`` (converted by the property's
``rdfs:range`` in the ontology, or by the datatypes its SHACL shape allows), ``unit``
(ISO 4217 code of an amount: adds ``ta:currency``), ``source`` (a ``src:`` key; a new one
needs ``source_label``), ``source_label``, ``source_url``, ``stated_on``, ``claim_kind``
(plan / outcome / description), ``confidence`` (high / low; default high), ``locator``,
``claim`` (optional claim key) and ``note`` (the claim's note, in our own words).

Rows are grouped into claims by their ``claim`` key, else by (source, stated_on,
locator). Each claim is a named graph holding its rows' statements and is described in
the default graph (``prov:wasDerivedFrom``, ``ta:hasClaimKind``, ``ta:hasConfidence``,
``ta:statedOn``, ``ta:locator``, ``ta:note``), as ``kg/facts/README.md`` lays out. Every
bad row is reported as ``FILE:LINE: column COLUMN: reason``; nothing is produced while
any row is bad.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg import namespaces, resources
from kg.errors import InputError, KgError
from kg.formulas import is_formula
from kg.namespaces import CLAIM, ID, SH, SRC, TA, bind_prefixes
from kg.sources import reading
from kg.store import KnowledgeGraph
from kg.terms import ONTOLOGY_GRAPH as STORE_ONTOLOGY_GRAPH
from kg.terms import from_rdflib, to_rdflib

COLUMNS = (
    "subject", "property", "value", "unit", "source", "source_label", "source_url",
    "stated_on", "claim_kind", "confidence", "locator", "claim", "note",
)
"""The columns a CSV may have, in the template's order."""
REQUIRED_COLUMNS = ("subject", "property", "value", "source", "claim_kind")

CLAIM_KINDS = {"plan": TA.Plan, "outcome": TA.Outcome, "description": TA.Description}
CONFIDENCES = {"high": TA.HighConfidence, "low": TA.LowConfidence}

SPECIAL_PROPERTIES = ("type", "label", "label_fr")

CLAIM_PROPERTY_COLUMNS = {
    TA.statedOn: "the stated_on column",
    TA.locator: "the locator column",
    TA.hasClaimKind: "the claim_kind column",
    TA.hasConfidence: "the confidence column",
    TA.publisherName: "the source_url column (the publisher is its host)",
    TA.webLocation: "the source_url column",
    TA.isStatedIn: "nothing: the validator derives it from the claims",
}
"""Properties of claims and sources, which columns give: not accepted as a row's property."""

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DURATION = re.compile(
    r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
    r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
)


# -- errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One bad cell: the CSV line, the column and why."""

    line: int
    column: str
    reason: str

    def text(self, path: Path | str) -> str:
        return f"{path}:{self.line}: column {self.column}: {self.reason}"


MAX_LISTED_ERRORS = 1000
"""Bad cells listed one per line; beyond, they are counted (a million bad rows are a count)."""


class ImportErrors(KgError):
    """The CSV has bad rows; each is listed (up to :data:`MAX_LISTED_ERRORS`), nothing is produced."""

    def __init__(self, path: Path | str, errors: list[RowError], more: int = 0, more_rows: int = 0):
        self.path = path
        order = {column: i for i, column in enumerate(COLUMNS)}
        self.errors = sorted(set(errors), key=lambda e: (e.line, order.get(e.column, len(order)), e.reason))
        self.more = more
        count, lines = len(self.errors) + more, len({e.line for e in self.errors}) + more_rows
        super().__init__(f"{path}: {_plural(count, 'error')} in {_plural(lines, 'row')}; nothing written")

    def lines(self) -> list[str]:
        listed = [e.text(self.path) for e in self.errors]
        if self.more:
            listed.append(f"{self.path}: {_plural(self.more, 'more error')} not listed")
        return listed


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _RowFailed(Exception):
    """A cell is bad; carries the column and the reason."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


# -- what the ontology and the graph know ------------------------------------------------


class Vocabulary:
    """Classes, properties, ranges and controlled values of the ontology, and the known entities."""

    def __init__(self, kg: KnowledgeGraph, shapes: Graph | None = None):
        self.kg = kg
        self._exists: dict[URIRef, bool] = {}
        ontology = kg.rdflib_graph(graph=STORE_ONTOLOGY_GRAPH)
        self.classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if _in(c, TA)}
        self.concepts = {c for c in ontology.subjects(RDF.type, TA.Concept) if _in(c, TA)}
        self.object_properties = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if _in(p, TA)}
        self.datatype_properties = {p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) if _in(p, TA)}
        self.ranges = {p: r for p, r in ontology.subject_objects(RDFS.range) if p in self.properties}
        # Datatypes outside the OWL 2 datatype map (xsd:date, xsd:gYear, xsd:duration) are
        # given by schema:rangeIncludes, not rdfs:range, so that the ontology stays OWL 2 DL.
        from kg.namespaces import SCHEMA

        for p, r in ontology.subject_objects(SCHEMA.rangeIncludes):
            if p in self.datatype_properties:
                self.ranges.setdefault(p, r)
        self.superclasses: dict[URIRef, set[URIRef]] = {}
        for cls in self.classes:
            self.superclasses[cls] = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        if shapes is None:
            from kg.checks import validation

            shapes = validation.load_shapes()
        self.shape_datatypes = _shape_datatypes(shapes)
        self.currencies = _shape_currencies(shapes)

    @property
    def properties(self) -> set[URIRef]:
        return self.object_properties | self.datatype_properties

    def exists(self, term: URIRef) -> bool:
        """True when the graph already says something about ``term`` (asked once per term)."""
        known = self._exists.get(term)
        if known is None:
            known = self._exists[term] = self.kg.mentions(from_rdflib(term))
        return known

    def objects(self, term: URIRef, prop: URIRef) -> list:
        """The objects of ``term prop ?`` in the graph, as rdflib terms."""
        return [to_rdflib(q.object) for q in self.kg.quads(from_rdflib(term), from_rdflib(prop), None)]

    def is_source(self, term: URIRef) -> bool:
        return any(self.is_a(t, TA.SourceDocument) for t in self.objects(term, RDF.type))

    def is_a(self, cls: URIRef, ancestor: URIRef) -> bool:
        return cls == ancestor or ancestor in self.superclasses.get(cls, ())

    def datatypes(self, prop: URIRef) -> tuple[URIRef, ...]:
        """The datatypes a datatype property takes: its range, else what its shape allows."""
        if prop in self.ranges and str(self.ranges[prop]).startswith(str(XSD)):
            return (self.ranges[prop],)
        return self.shape_datatypes.get(prop, ())


def _n3(term: URIRef) -> str:
    """An IRI as a prefixed name where a project prefix covers it, else ``<iri>``."""
    return namespaces.prefixed(str(term)) or f"<{term}>"


def _in(term, namespace) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(namespace))


def _shape_currencies(shapes: Graph) -> tuple[str, ...]:
    """The ISO 4217 codes the project uses: the ``sh:in`` list of the shapes' property
    shape on ``ta:currency`` (the one place they are written)."""
    for shape in sorted(shapes.subjects(SH.path, TA.currency)):
        for codes in shapes.objects(shape, SH["in"]):
            return tuple(str(code) for code in Collection(shapes, codes))
    raise KgError("the shapes give no sh:in list of currency codes for ta:currency")


def _shape_datatypes(shapes: Graph) -> dict[URIRef, tuple[URIRef, ...]]:
    """For each ``sh:path`` property, the datatypes its shape allows (``sh:datatype`` / ``sh:or``)."""
    found: dict[URIRef, list[URIRef]] = {}
    for shape, prop in shapes.subject_objects(SH.path):
        if not isinstance(prop, URIRef):
            continue
        kinds = list(shapes.objects(shape, SH.datatype))
        for options in shapes.objects(shape, SH["or"]):
            for option in Collection(shapes, options):
                kinds += list(shapes.objects(option, SH.datatype))
        for kind in kinds:
            if kind not in found.setdefault(prop, []):
                found[prop].append(kind)
    return {p: tuple(k) for p, k in found.items() if k}


# -- values ------------------------------------------------------------------------------


def parse_date_or_year(text: str, allowed=(XSD.date, XSD.gYearMonth, XSD.gYear)) -> Literal:
    """A date ``YYYY-MM-DD``, a month ``YYYY-MM`` or a year ``YYYY`` as a typed literal."""
    if XSD.date in allowed and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return Literal(_dt.date.fromisoformat(text))
        except ValueError:
            pass
    elif XSD.gYearMonth in allowed and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return Literal(text, datatype=XSD.gYearMonth)
    elif XSD.gYear in allowed and re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    forms = {XSD.date: "YYYY-MM-DD", XSD.gYearMonth: "YYYY-MM", XSD.gYear: "YYYY"}
    expected = " or ".join(forms[d] for d in allowed if d in forms)
    raise ValueError(f"bad date {text!r} (expected {expected})")


def convert_literal(text: str, datatypes: tuple[URIRef, ...]) -> Literal:
    """``text`` as a literal of one of ``datatypes``; ValueError saying what was expected."""
    dates = tuple(d for d in datatypes if d in (XSD.date, XSD.gYearMonth, XSD.gYear))
    if dates and len(dates) == len(datatypes):
        return parse_date_or_year(text, dates)
    kind = datatypes[0] if datatypes else XSD.string
    if kind in (XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger):
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"{text!r} is not an {_xsd(kind)} (a whole number such as 300000)")
        number = int(text)
        if kind == XSD.positiveInteger and number <= 0 or kind == XSD.nonNegativeInteger and number < 0:
            raise ValueError(f"{text!r} is not an {_xsd(kind)}")
        return Literal(str(number), datatype=kind)
    if kind == XSD.decimal:
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(f"{text!r} is not an xsd:decimal (digits and a point, such as 10000000000 or 51.5)")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an xsd:decimal") from None
        lexical = format(number, "f")
        return Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)
    if kind == XSD.date:
        return parse_date_or_year(text, (XSD.date,))
    if kind == XSD.gYear:
        return parse_date_or_year(text, (XSD.gYear,))
    if kind == XSD.duration:
        if not DURATION.fullmatch(text):
            raise ValueError(f"{text!r} is not an xsd:duration (ISO 8601, such as P10Y or P18M)")
        return Literal(text, datatype=XSD.duration)
    if kind == XSD.string:
        return Literal(text)
    raise ValueError(f"values of type {_xsd(kind)} cannot be imported from CSV")


def _xsd(datatype: URIRef) -> str:
    return "xsd:" + str(datatype)[len(str(XSD)):] if str(datatype).startswith(str(XSD)) else str(datatype)


def _closest(word: str, names) -> str:
    close = difflib.get_close_matches(word, sorted(names), n=3, cutoff=0.6)
    return f" (closest: {', '.join(close)})" if close else ""


# -- rows and claims ---------------------------------------------------------------------


@dataclass
class Row:
    """One CSV record: its first line and its cells (stripped; missing columns empty)."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Fact:
    """One converted row: its line and the triples it adds to its claim (not the row's
    cells: a million rows are not kept)."""

    line: int
    claim_key: tuple
    triples: list[tuple]


@dataclass
class ClaimDraft:
    """The rows of one claim and the description they give it."""

    key: tuple
    iri: URIRef | None
    first_line: int
    lines: list[int] = field(default_factory=list)
    sources: list[URIRef] = field(default_factory=list)
    values: dict[str, tuple[str, int]] = field(default_factory=dict)  # column -> (value, line)
    notes: list[str] = field(default_factory=list)
    triples: list[tuple] = field(default_factory=list)


@dataclass
class ImportResult:
    """What a CSV adds: the dataset to write and counts for the summary."""

    dataset: Dataset
    claims: list[URIRef]
    new_sources: list[URIRef]
    new_entities: list[URIRef]
    statements: int
    rows: int


def read_rows(path: Path) -> list[Row]:
    """The CSV's records (header checked), blank records left out."""
    return list(iter_rows(path))


def iter_rows(path: Path) -> Iterator[Row]:
    """The CSV's records one at a time (header checked first), blank records left out:
    the file's checked bytes are decoded as they are read, no row is kept."""
    data = reading.read_input(Path(path))  # exists, size limit, UTF-8
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: empty file; the first line names the columns: {','.join(COLUMNS)}") from None
    except csv.Error as exc:
        raise InputError(f"{path}:1: {exc}") from None
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise InputError(f"{path}:1: unknown column {unknown[0]!r}{_closest(unknown[0], COLUMNS)}; "
                         f"columns are: {','.join(COLUMNS)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise InputError(f"{path}:1: column {doubled[0]!r} appears twice")
    return _records(path, reader, names)


def _records(path: Path, reader, names: list[str]) -> Iterator[Row]:
    previous_end = reader.line_num
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(names):
                raise InputError(f"{path}:{start}: {len(record)} cells but {len(names)} columns")
            yield Row(start, {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(names)})
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: {exc}") from None


class Importer:
    """Turns the rows of one CSV into claims, collecting every bad cell."""

    def __init__(self, path: Path, kg: KnowledgeGraph, vocabulary: Vocabulary | None = None,
                 keep_formulas: bool = False):
        self.path = path
        self.keep_formulas = keep_formulas
        self.kg = kg
        self.vocab = vocabulary or Vocabulary(kg)
        self.errors: list[RowError] = []
        self.unlisted, self.unlisted_rows, self._last_unlisted = 0, 0, None
        self.claims: dict[tuple, ClaimDraft] = {}
        self.sources: dict[URIRef, dict[str, tuple[str, int]]] = {}  # new source -> column -> (value, line)
        self.source_lines: dict[URIRef, int] = {}
        self.csv_types: dict[URIRef, set[URIRef]] = {}
        self.typed: set[str] = set()  # subjects of type rows, even of bad ones
        self.facts: list[Fact] = []
        self.mentions: list[tuple[URIRef, str, int]] = []  # (entity, column, line), also of bad rows

    def error(self, line: int, column: str, reason: str) -> None:
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(line, column, reason))
            return
        self.unlisted += 1
        if line != self._last_unlisted and line not in {e.line for e in self.errors[-5:]}:
            self.unlisted_rows += 1
        self._last_unlisted = line

    # -- one row -------------------------------------------------------------------------

    def add_row(self, row: Row) -> None:
        if not self.keep_formulas:
            self._formulas(row)
        if row["property"] == "type":
            self.typed.add(row["subject"].removeprefix("id:"))
        failed = False
        checks = (self._subject, self._source, self._claim_columns, self._property_and_value)
        results = []
        for check in checks:
            try:
                results.append(check(row))
            except _RowFailed as exc:
                self.error(row.line, exc.column, exc.reason)
                results.append(None)
                failed = True
        if failed:
            return
        subject, _, claim_key, (prop, value, extra) = results
        triples = [(subject, prop, value)] + [(subject, p, o) for p, o in extra]
        if prop == RDF.type:
            self.csv_types.setdefault(subject, set()).add(value)
        self.claims[claim_key].triples += triples
        self.facts.append(Fact(row.line, claim_key, triples))

    def _formulas(self, row: Row) -> None:
        """Report each cell a spreadsheet would run as a formula (:mod:`kg.formulas`): it
        would come back out of ``kg query --format csv``, neutralised, but as it is into
        every other export. A negative duration (``-P1Y``) is a value, not a formula."""
        for column, text in row.cells.items():
            if is_formula(text) and not (column == "value" and DURATION.fullmatch(text)):
                self.error(row.line, column, f"{text[:40]!r} starts with {text[0]!r}: a spreadsheet would run it "
                           "as a formula (pass --keep-formulas to import it as it is)")

    def _entity(self, text: str, column: str) -> URIRef:
        local = text[3:] if text.startswith("id:") else text
        if local.startswith(str(ID)):
            local = local[len(str(ID)):]
        term = ID[local]
        if self.vocab.exists(term):
            return term
        if not SLUG.fullmatch(local):
            raise _RowFailed(column, f"{text!r} is not an id: name (lower-case words and digits joined by hyphens)")
        return term

    def _subject(self, row: Row) -> URIRef:
        if not row["subject"]:
            raise _RowFailed("subject", "missing subject (an id: name such as example-motors)")
        subject = self._entity(row["subject"], "subject")
        self.mentions.append((subject, "subject", row.line))
        return subject

    def _source(self, row: Row) -> URIRef:
        text = row["source"]
        if not text:
            raise _RowFailed("source", "missing source (a src: key such as example-report)")
        local = text[4:] if text.startswith("src:") else text
        if not SLUG.fullmatch(local):
            raise _RowFailed("source", f"{text!r} is not a src: key (lower-case words and digits joined by hyphens)")
        source = SRC[local]
        label, url = row["source_label"], row["source_url"]
        if self.vocab.exists(source):
            if not self.vocab.is_source(source):
                raise _RowFailed("source", f"src:{local} is in the graph but is not a source document")
            known_labels = {str(v) for v in self.vocab.objects(source, RDFS.label)}
            if label and label not in known_labels:
                raise _RowFailed("source_label", f"src:{local} is already described with another label "
                                 f"({self.kg.label(from_rdflib(source))!r}); leave source_label empty")
            known_urls = {str(v) for v in self.vocab.objects(source, TA.webLocation)}
            if url and web_location(url) not in known_urls:
                raise _RowFailed("source_url", f"src:{local} is already described with another address; "
                                 "leave source_url empty")
            return source
        given = self.sources.setdefault(source, {})
        self.source_lines.setdefault(source, row.line)
        for column, value in (("source_label", label), ("source_url", url)):
            if not value:
                continue
            if column in given and given[column][0] != value:
                raise _RowFailed(column, f"src:{local} has {column} {given[column][0]!r} on line "
                                 f"{given[column][1]}; one source has one {column}")
            given.setdefault(column, (value, row.line))
        return source

    def _claim_columns(self, row: Row) -> tuple:
        kind_text = row["claim_kind"].lower()
        if not kind_text:
            raise _RowFailed("claim_kind", "missing claim_kind (plan, outcome or description)")
        if kind_text not in CLAIM_KINDS:
            raise _RowFailed("claim_kind", f"unknown claim_kind {row['claim_kind']!r} (plan, outcome or description)")
        confidence = row["confidence"].lower() or "high"
        if confidence not in CONFIDENCES:
            raise _RowFailed("confidence", f"unknown confidence {row['confidence']!r} (high or low)")
        stated = row["stated_on"]
        if stated:
            try:
                parse_date_or_year(stated)
            except ValueError as exc:
                raise _RowFailed("stated_on", str(exc)) from None
        elif kind_text != "description":
            raise _RowFailed("stated_on", f"missing date: a {kind_text} claim needs stated_on "
                             "(YYYY-MM-DD, YYYY-MM or YYYY)")
        key_text = row["claim"]
        source_local = row["source"].removeprefix("src:")
        if key_text:
            local = key_text[6:] if key_text.startswith("claim:") else key_text
            if not SLUG.fullmatch(local):
                raise _RowFailed("claim", f"{key_text!r} is not a claim key "
                                 "(lower-case words and digits joined by hyphens)")
            key, iri = ("claim", local), CLAIM[local]
        else:
            key = ("row", source_local, stated, row["locator"])
            slug = re.sub(r"[^a-z0-9]+", "-", f"{source_local} {stated} {row['locator']}".lower()).strip("-")
            iri = CLAIM[slug]
        draft = self.claims.get(key)
        if draft is None:
            if self.vocab.exists(iri):
                column = "claim" if key_text else "source"
                raise _RowFailed(column, f"claim {_n3(iri)} is already in the "
                                 "graph; give this claim another key in the claim column")
            draft = self.claims[key] = ClaimDraft(key, iri, row.line)
        values = {"claim_kind": kind_text, "confidence": confidence, "stated_on": stated, "locator": row["locator"]}
        for column, value in values.items():
            if column in draft.values and draft.values[column][0] != value:
                first, line = draft.values[column]
                raise _RowFailed(column, f"{column} {value!r} differs from {first!r} given on line {line} "
                                 "for the same claim (use the claim column to split claims)")
        for column, value in values.items():
            draft.values.setdefault(column, (value, row.line))
        source = SRC[source_local]
        if source not in draft.sources:
            draft.sources.append(source)
        if row["note"] and row["note"] not in draft.notes:
            draft.notes.append(row["note"])
        draft.lines.append(row.line)
        return key

    def _property_and_value(self, row: Row) -> tuple:
        name, value = row["property"], row["value"]
        if not name:
            raise _RowFailed("property", "missing property (a ta: property such as plannedAnnualCapacity, "
                             "or type, label, label_fr)")
        if not value:
            raise _RowFailed("value", "missing value")
        unit = row["unit"]
        if name in SPECIAL_PROPERTIES:
            if unit:
                raise _RowFailed("unit", f"a unit is only for ta:amount, not for {name}")
            if name == "type":
                local = value.removeprefix("ta:")
                cls = TA[local]
                if cls not in self.vocab.classes:
                    names = [str(c)[len(str(TA)):] for c in self.vocab.classes]
                    raise _RowFailed("value", f"unknown class {value!r}{_closest(local, names)}")
                return RDF.type, cls, []
            return RDFS.label, Literal(value, lang="fr" if name == "label_fr" else "en"), []
        local = name.removeprefix("ta:")
        prop = TA[local]
        if prop not in self.vocab.properties:
            names = [str(p)[len(str(TA)):] for p in self.vocab.properties] + list(SPECIAL_PROPERTIES)
            raise _RowFailed("property", f"unknown property {name!r}{_closest(local, names)}")
        if prop in CLAIM_PROPERTY_COLUMNS:
            raise _RowFailed("property", f"ta:{local} describes claims or sources; use {CLAIM_PROPERTY_COLUMNS[prop]}")
        extra = []
        if unit:
            if prop != TA.amount:
                raise _RowFailed("unit", f"a unit (currency) is only for ta:amount, not for ta:{local}")
            if unit not in self.vocab.currencies:
                raise _RowFailed("unit", f"unknown currency {unit!r} (not an ISO 4217 code of the list "
                                 f"{' '.join(self.vocab.currencies)})")
            extra.append((TA.currency, Literal(unit)))
        if prop in self.vocab.object_properties:
            return prop, self._object_value(prop, value, row.line), extra
        if prop == TA.currency and value not in self.vocab.currencies:
            raise _RowFailed("value", f"unknown currency {value!r} (not an ISO 4217 code of the list "
                             f"{' '.join(self.vocab.currencies)})")
        if prop == TA.note:
            return prop, Literal(value, lang="en"), extra
        try:
            return prop, convert_literal(value, self.vocab.datatypes(prop)), extra
        except ValueError as exc:
            raise _RowFailed("value", f"{exc}, as ta:{local} takes") from None

    def _object_value(self, prop: URIRef, text: str, line: int) -> URIRef:
        target = self.vocab.ranges.get(prop)
        if target is not None and self.vocab.is_a(target, TA.Concept):
            local = text.removeprefix("ta:")
            if TA[local] not in self.vocab.concepts:
                names = [str(c)[len(str(TA)):] for c in self.vocab.concepts]
                raise _RowFailed("value", f"{text!r} is not a controlled value (ta:Concept), as ta:"
                                 f"{str(prop)[len(str(TA)):]} takes{_closest(local, names)}")
            return TA[local]
        entity = self._entity(text, "value")
        self.mentions.append((entity, "value", line))
        return entity

    # -- all rows ------------------------------------------------------------------------

    def check_entities(self) -> None:
        """New entities need a type row; linked entities must fit the property's range."""
        reported = set()
        for term, column, line in self.mentions:
            local = str(term)[len(str(ID)):]
            if self.vocab.exists(term) or term in self.csv_types or local in self.typed or term in reported:
                continue
            reported.add(term)
            if column == "subject":
                reason = f"new entity id:{local} has no type row (add a row: {local},type,CLASS)"
            else:
                reason = f"unknown entity id:{local}: not in the graph and given no type row in this file"
            self.error(line, column, reason)
        for fact in self.facts:
            subject, prop, value = fact.triples[0]
            target = self.vocab.ranges.get(prop)
            if prop in self.vocab.object_properties and target in self.vocab.classes and _in(value, ID):
                types = set(self.vocab.objects(value, RDF.type)) | self.csv_types.get(value, set())
                known = [t for t in types if t in self.vocab.classes]
                if known and not any(self.vocab.is_a(t, target) for t in known):
                    self.error(fact.line, "value",
                               f"{_n3(value)} is a {', '.join(sorted(_n3(t) for t in known))}, not a "
                               f"{_n3(target)} as {_n3(prop)} takes")

    def check_sources(self) -> None:
        for source, given in self.sources.items():
            if "source_label" not in given:
                self.error(self.source_lines[source], "source_label",
                           f"new source src:{str(source)[len(str(SRC)):]} needs a source_label "
                           "(on at least one of its rows)")

    def build(self) -> ImportResult:
        dataset = Dataset()
        bind_prefixes(dataset)
        default = dataset.default_context
        for source, given in self.sources.items():
            default.add((source, RDF.type, TA.SourceDocument))
            default.add((source, RDFS.label, Literal(given["source_label"][0], lang="en")))
            if "source_url" in given:
                url = given["source_url"][0]
                default.add((source, TA.webLocation, web_location(url)))
                host = _host(url)
                if host:
                    default.add((source, TA.publisherName, Literal(host)))
        statements = 0
        for draft in self.claims.values():
            claim = draft.iri
            default.add((claim, RDF.type, TA.Claim))
            for source in draft.sources:
                default.add((claim, PROV.wasDerivedFrom, source))
            default.add((claim, TA.hasClaimKind, CLAIM_KINDS[draft.values["claim_kind"][0]]))
            default.add((claim, TA.hasConfidence, CONFIDENCES[draft.values["confidence"][0]]))
            if draft.values["stated_on"][0]:
                default.add((claim, TA.statedOn, parse_date_or_year(draft.values["stated_on"][0])))
            if draft.values["locator"][0]:
                default.add((claim, TA.locator, Literal(draft.values["locator"][0])))
            if draft.notes:
                default.add((claim, TA.note, Literal(" ".join(draft.notes), lang="en")))
            graph = dataset.graph(claim)
            for triple in draft.triples:
                graph.add(triple)
            statements += len(graph)
        new_entities = sorted({t for t, _, _ in self.mentions if not self.vocab.exists(t)})
        return ImportResult(dataset, sorted(d.iri for d in self.claims.values()), sorted(self.sources),
                            new_entities, statements, len(self.facts))


def web_location(url: str) -> URIRef:
    """A source_url as the web location the data keeps: an absolute https IRI (an address
    given without a scheme gets ``https://``, as the research notes' addresses do)."""
    return URIRef(url if re.match(r"^[a-z][a-z0-9+.-]*://", url) else "https://" + url)


def _host(url: str) -> str:
    """The web host of an address as given (``https://www.scmp.com/x`` → ``scmp.com``)."""
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def convert(path: Path, kg: KnowledgeGraph, keep_formulas: bool = False) -> ImportResult:
    """The claims of the CSV at ``path`` against ``kg``; :class:`ImportErrors` if any row
    is bad (a cell a spreadsheet would run as a formula is, unless ``keep_formulas``)."""
    importer, count = Importer(path, kg, keep_formulas=keep_formulas), 0
    for row in iter_rows(path):
        importer.add_row(row)
        count += 1
    if not count:
        raise InputError(f"{path}: no rows after the header")
    importer.check_sources()
    importer.check_entities()
    if importer.errors:
        raise ImportErrors(path, importer.errors, importer.unlisted, importer.unlisted_rows)
    return importer.build()


# -- where it goes, and whether the graph still conforms ---------------------------------


def default_output(csv_path: Path) -> Path:
    """``<csv stem>.trig`` beside the CSV file (never inside an installed package)."""
    return Path(csv_path).with_suffix(".trig")


def check_output(output: Path) -> None:
    """Refuse to overwrite a facts file written by hand (only ``imported/`` files are ours)."""
    target = Path(output).resolve()
    imported = (resources.facts_dir() / "imported").resolve()
    if target.exists() and target in {f.resolve() for f in resources.fact_files()} and imported not in target.parents:
        raise InputError(f"--output {output}: is a shipped facts file; imports go to "
                         f"{resources.facts_dir() / 'imported'} or outside the facts folder")


def graph_without(output: Path, data=None, ontology=None) -> KnowledgeGraph:
    """The graph (the shipped facts, or ``data`` files and folders) without ``output``
    (an earlier import of the same file)."""
    target = Path(output).resolve()
    files = resources.fact_files() if data is None else reading.data_files(data)
    return KnowledgeGraph.load(data=[f for f in files if f.resolve() != target], ontology=ontology)


def validate_with(kg: KnowledgeGraph, trig_text: str, result: ImportResult):
    """Add the new TriG to ``kg`` and validate; returns (report, results about the new nodes)."""
    from kg.checks import validation

    kg.add_text(trig_text, "trig")
    report = validation.validate(kg)
    new_nodes = {s for s, _, _, _ in result.dataset.quads((None, None, None, None))}
    ours = [r for r in report.results if r.focus_node in new_nodes]
    return report, ours
