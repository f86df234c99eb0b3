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
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg import namespaces, resources
from kg.errors import InputError, KgError
from kg.formulas import is_formula
from kg.namespaces import CLAIM, ID, SH, SRC, TA
from kg.sources import reading
from kg.sources.ledger import VALUE_COLUMNS, Ledger
from kg.store import KnowledgeGraph
from kg.terms import (
    ASSERTED_DEFAULT,
    INFERRED_GRAPH,
    from_rdflib,
    to_rdflib,
)
from kg.terms import ONTOLOGY_GRAPH as STORE_ONTOLOGY_GRAPH

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
        self.properties = self.object_properties | self.datatype_properties
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
        self.link_properties = {p for p in self.object_properties if self.ranges.get(p) in self.classes}
        """Object properties whose range is a class: the class of each entity they link is checked."""

    def exists(self, term: URIRef) -> bool:
        """True when the graph already says something about ``term`` (remembered for the
        last terms asked)."""
        known = self._exists.get(term)
        if known is None:
            if len(self._exists) >= _CACHED_TERMS:
                self._exists.clear()
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


@functools.lru_cache(maxsize=4096)
def parse_date_or_year(text: str, allowed=(XSD.date, XSD.gYearMonth, XSD.gYear)) -> Literal:
    """A date ``YYYY-MM-DD``, a month ``YYYY-MM`` or a year ``YYYY`` as a typed literal
    (remembered: a million rows give a few dates)."""
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


ON_DISK_FROM_MB = 16
"""From this CSV size (``KG_IMPORT_ON_DISK_MB`` to change it), an import keeps its
statements, and the graph it validates them in, in temporary Oxigraph stores on disk."""


def on_disk(path: Path) -> bool:
    """True when the CSV at ``path`` is large enough to be imported through stores on disk."""
    from kg import settings

    threshold = settings.megabytes("KG_IMPORT_ON_DISK_MB", ON_DISK_FROM_MB, accepts=lambda mb: mb >= 0,
                                   expected="expected a number of megabytes (0 or more)")
    return Path(path).stat().st_size >= threshold * 2**20


_Quad, _DEFAULT = pyoxigraph.Quad, pyoxigraph.DefaultGraph()
_CACHED_TERMS = 100_000
"""Terms remembered at most by the import's caches, so that its memory stays bounded."""


class Staging:
    """The statements of an import, kept in an Oxigraph store (in memory, or on disk in a
    temporary folder for a large CSV) rather than as Python objects: a million rows cost
    the store's few bytes per statement. Quads are added in batches, laid out as
    :mod:`kg.store.layout` says (the default graph's statements in ``kgg:default``, each
    statement also in the merge), so that the graph it is validated in is this store
    with the graph's own quads added."""

    BATCH = 50_000

    def __init__(self, on_disk: bool = False):
        from kg.files import ScratchFolder

        self.folder = ScratchFolder("import") if on_disk else None
        self.store = pyoxigraph.Store(str(Path(self.folder.name) / "staged") if on_disk else None)
        self.ledger = Ledger(str(Path(self.folder.name) / "ledger.sqlite") if on_disk else None)
        """What the rows must remember besides statements (:mod:`kg.sources.ledger`)."""
        self._pending: list = []
        self._nodes: dict[URIRef, object] = {}

    def add(self, subject, predicate, obj, graph=None) -> None:
        """Add one statement (rdflib terms; ``graph`` None for the default graph)."""
        node = self._node
        s, p, o = node(subject), node(predicate), node(obj)
        self._pending.append(_Quad(s, p, o, ASSERTED_DEFAULT if graph is None else node(graph)))
        self._pending.append(_Quad(s, p, o, _DEFAULT))
        if len(self._pending) >= self.BATCH:
            self.flush()

    def _node(self, term):
        found = self._nodes.get(term)
        if found is None:
            if type(term) is not URIRef:
                return from_rdflib(term)
            if len(self._nodes) >= _CACHED_TERMS:
                self._nodes.clear()
            found = self._nodes[term] = pyoxigraph.NamedNode(term)
        return found

    def flush(self) -> None:
        if self._pending:
            self.store.bulk_extend(self._pending)
            self._pending = []

    def count(self, pattern: str) -> int:
        """The number of solutions of a graph pattern over the staged statements."""
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", use_default_graph_as_union=False)
        return int(next(iter(rows))[0].value)

    def close(self) -> None:
        """Remove the temporary store (if on disk)."""
        self._pending = []
        self.ledger.close()
        if self.folder is not None:
            del self.store
            self.folder.cleanup()
            self.folder = None


def _bulk_extend(store: pyoxigraph.Store, quads, batch: int = 200_000) -> None:
    """``store.bulk_extend`` a batch at a time: Oxigraph's bulk loader holds what it is
    given in memory while it sorts it (2.5 GB for 5 million quads in one call, measured)."""
    import itertools

    iterator = iter(quads)
    while chunk := list(itertools.islice(iterator, batch)):
        store.bulk_extend(chunk)


@dataclass
class ImportResult:
    """What a CSV adds: its statements in a :class:`Staging` store (the default graph's
    and each claim's graph), and counts for the summary. Close it (or use it in a
    ``with`` block) to remove a store on disk."""

    staging: Staging
    claims: int
    new_sources: frozenset
    new_entities: int
    statements: int
    rows: int

    def __enter__(self) -> "ImportResult":
        return self

    def __exit__(self, *exc) -> None:
        self.staging.close()

    def write_trig(self, out) -> None:
        """Write the canonical TriG to the binary stream ``out``, streamed from the store
        (:func:`kg.sources.plain_trig.write_store`: the bytes of :func:`kg.sources.canonical.trig`).
        Only before :func:`validate_with`, which adds the graph's own quads to the store."""
        from kg.sources import plain_trig

        plain_trig.write_store(self.staging.store, out, default=ASSERTED_DEFAULT)

    def spooled_trig(self):
        """The canonical TriG written to a temporary file (in memory for a small import,
        in the staging folder for a large one), rewound, to copy out later."""
        import tempfile

        folder = self.staging.folder
        spool = tempfile.TemporaryFile(dir=folder.name) if folder is not None else io.BytesIO()
        self.write_trig(spool)
        spool.seek(0)
        return spool

    def states_about(self, term) -> bool:
        """True when the import states something about ``term`` (an rdflib term): it is
        one of its claims or new sources, or a subject in one of its claims."""
        if not isinstance(term, URIRef):
            return False
        ledger = self.staging.ledger
        if ledger.is_claim(str(term)) or term in self.new_sources:
            return True
        for quad in self.staging.store.quads_for_pattern(from_rdflib(term), None, None, None):
            name = quad.graph_name
            if isinstance(name, pyoxigraph.NamedNode) and ledger.is_claim(name.value):
                return True
        return False


def iter_rows(path: Path) -> Iterator[Row]:
    """The CSV's records one at a time (header checked first), blank records left out:
    the file's checked bytes are decoded as they are read, no row is kept."""
    stream = io.TextIOWrapper(reading.open_checked_input(Path(path)), encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(stream)
        names = _header(path, reader)
    except BaseException:
        stream.close()
        raise
    return _records(path, stream, reader, names)


def _header(path: Path, reader) -> list[str]:
    """The column names of the first record, checked."""
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
    return names


def _records(path: Path, stream, reader, names: list[str]) -> Iterator[Row]:
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
    finally:
        stream.close()


class Importer:
    """Turns the rows of one CSV into claims, collecting every bad cell."""

    def __init__(self, path: Path, kg: KnowledgeGraph, vocabulary: Vocabulary | None = None,
                 keep_formulas: bool = False, staging: Staging | None = None):
        self.path = path
        self.staging = staging or Staging()
        self.keep_formulas = keep_formulas
        self.kg = kg
        self.vocab = vocabulary or Vocabulary(kg)
        self.errors: list[RowError] = []
        self.unlisted, self.unlisted_rows, self._last_unlisted = 0, 0, None
        self._names: dict[object, dict[str, URIRef]] = {}
        self.ledger = self.staging.ledger
        self.sources: dict[URIRef, dict[str, tuple[str, int]]] = {}  # new source -> column -> (value, line)
        self.source_lines: dict[URIRef, int] = {}
        self.rows = 0  # good rows

    def iri(self, namespace, local: str) -> URIRef:
        """``namespace[local]``, remembered by its namespace and local name (a dictionary of
        plain strings: faster than making the IRI each time; bounded, it is only a cache)."""
        names = self._names.get(namespace)
        if names is None:
            names = self._names[namespace] = {}
        term = names.get(local)
        if term is None:
            if len(names) >= _CACHED_TERMS:
                names.clear()
            term = names[local] = namespace[local]
        return term

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
            self.ledger.typed(row["subject"].removeprefix("id:"))
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
        subject, _, claim, (prop, value, extra) = results
        if prop == RDF.type:
            self.ledger.type(str(subject), str(value))
        elif prop in self.vocab.link_properties and _in(value, ID):
            self.ledger.link(row.line, str(prop), str(value))
        self.staging.add(subject, prop, value, claim)
        for p, o in extra:
            self.staging.add(subject, p, o, claim)
        self.rows += 1

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
        term = self.iri(ID, local)
        if self.vocab.exists(term):
            return term
        if not SLUG.fullmatch(local):
            raise _RowFailed(column, f"{text!r} is not an id: name (lower-case words and digits joined by hyphens)")
        return term

    def _subject(self, row: Row) -> URIRef:
        if not row["subject"]:
            raise _RowFailed("subject", "missing subject (an id: name such as example-motors)")
        subject = self._entity(row["subject"], "subject")
        self._mention(subject, "subject", row.line)
        return subject

    def _mention(self, entity: URIRef, column: str, line: int) -> None:
        """Note the first row naming an entity the graph does not know (bad rows too)."""
        if not self.vocab.exists(entity):
            self.ledger.unknown(str(entity), column, line)

    def _source(self, row: Row) -> URIRef:
        text = row["source"]
        if not text:
            raise _RowFailed("source", "missing source (a src: key such as example-report)")
        local = text[4:] if text.startswith("src:") else text
        if not SLUG.fullmatch(local):
            raise _RowFailed("source", f"{text!r} is not a src: key (lower-case words and digits joined by hyphens)")
        source = self.iri(SRC, local)
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
            key = Ledger.key("claim", local)
        else:
            key = Ledger.key("row", source_local, stated, row["locator"])
        values = (kind_text, confidence, stated, row["locator"])
        claim = self.ledger.claim(key)
        if claim is None:
            if key_text:
                if not SLUG.fullmatch(local):
                    raise _RowFailed("claim", f"{key_text!r} is not a claim key "
                                     "(lower-case words and digits joined by hyphens)")
                iri = CLAIM[local]
            else:
                slug = re.sub(r"[^a-z0-9]+", "-", f"{source_local} {stated} {row['locator']}".lower()).strip("-")
                iri = CLAIM[slug]
            if self.vocab.exists(iri):
                column = "claim" if key_text else "source"
                raise _RowFailed(column, f"claim {_n3(iri)} is already in the "
                                 "graph; give this claim another key in the claim column")
            claim = self.ledger.new_claim(key, str(iri), row.line, values)
        elif claim.values != values:
            for column, value, first in zip(VALUE_COLUMNS, values, claim.values):
                if value != first:
                    raise _RowFailed(column, f"{column} {value!r} differs from {first!r} given on line {claim.line} "
                                     "for the same claim (use the claim column to split claims)")
        self.ledger.add_to_claim(claim, str(self.iri(SRC, source_local)), row["note"])
        return self.iri(CLAIM, claim.iri[len(str(CLAIM)):])

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
                cls = self.iri(TA, local)
                if cls not in self.vocab.classes:
                    names = [str(c)[len(str(TA)):] for c in self.vocab.classes]
                    raise _RowFailed("value", f"unknown class {value!r}{_closest(local, names)}")
                return RDF.type, cls, []
            return RDFS.label, Literal(value, lang="fr" if name == "label_fr" else "en"), []
        local = name.removeprefix("ta:")
        prop = self.iri(TA, local)
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
            concept = self.iri(TA, local)
            if concept not in self.vocab.concepts:
                names = [str(c)[len(str(TA)):] for c in self.vocab.concepts]
                raise _RowFailed("value", f"{text!r} is not a controlled value (ta:Concept), as ta:"
                                 f"{str(prop)[len(str(TA)):]} takes{_closest(local, names)}")
            return concept
        entity = self._entity(text, "value")
        self._mention(entity, "value", line)
        return entity

    # -- all rows ------------------------------------------------------------------------

    def check_entities(self) -> None:
        """New entities need a type row; linked entities must fit the property's range."""
        for term, column, line in self.ledger.untyped(str(ID)):
            local = term[len(str(ID)):]
            if column == "subject":
                reason = f"new entity id:{local} has no type row (add a row: {local},type,CLASS)"
            else:
                reason = f"unknown entity id:{local}: not in the graph and given no type row in this file"
            self.error(line, column, reason)
        for line, prop, value in self.ledger.links():
            prop, value = URIRef(prop), URIRef(value)
            target = self.vocab.ranges[prop]
            types = set(self.vocab.objects(value, RDF.type)) | {URIRef(t) for t in self.ledger.types(str(value))}
            known = [t for t in types if t in self.vocab.classes]
            if known and not any(self.vocab.is_a(t, target) for t in known):
                self.error(line, "value",
                           f"{_n3(value)} is a {', '.join(sorted(_n3(t) for t in known))}, not a "
                           f"{_n3(target)} as {_n3(prop)} takes")

    def check_sources(self) -> None:
        for source, given in self.sources.items():
            if "source_label" not in given:
                self.error(self.source_lines[source], "source_label",
                           f"new source src:{str(source)[len(str(SRC)):]} needs a source_label "
                           "(on at least one of its rows)")

    def build(self) -> ImportResult:
        """The sources' and claims' descriptions added to the staged statements."""
        add = self.staging.add
        for source, given in self.sources.items():
            add(source, RDF.type, TA.SourceDocument)
            add(source, RDFS.label, Literal(given["source_label"][0], lang="en"))
            if "source_url" in given:
                url = given["source_url"][0]
                add(source, TA.webLocation, web_location(url))
                host = _host(url)
                if host:
                    add(source, TA.publisherName, Literal(host))
        for draft in self.ledger.claims():
            claim = URIRef(draft.iri)
            kind, confidence, stated, locator = draft.values
            add(claim, RDF.type, TA.Claim)
            for source in draft.sources:
                add(claim, PROV.wasDerivedFrom, URIRef(source))
            add(claim, TA.hasClaimKind, CLAIM_KINDS[kind])
            add(claim, TA.hasConfidence, CONFIDENCES[confidence])
            if stated:
                add(claim, TA.statedOn, parse_date_or_year(stated))
            if locator:
                add(claim, TA.locator, Literal(locator))
            if draft.notes:
                add(claim, TA.note, Literal(" ".join(draft.notes), lang="en"))
        self.staging.flush()
        statements = self.staging.count(f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ASSERTED_DEFAULT.value}>)")
        return ImportResult(self.staging, self.ledger.claim_count(), frozenset(self.sources),
                            self.ledger.unknown_count(), statements, self.rows)


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
    is bad (a cell a spreadsheet would run as a formula is, unless ``keep_formulas``).
    The statements are staged in memory, or on disk for a large CSV (:func:`on_disk`)."""
    staging = Staging(on_disk(path))
    try:
        importer, count = Importer(path, kg, keep_formulas=keep_formulas, staging=staging), 0
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
    except BaseException:
        staging.close()
        raise


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


def validate_with(kg: KnowledgeGraph, result: ImportResult):
    """Validate the import's statements with ``kg``; returns the report and, for each of
    its results about a node the import states something about, the result and the
    node's label. The graph validated is the staging store with ``kg``'s own quads (not
    its inferences) added: ``kg`` itself is left as it is; the import's TriG must be
    written before (:meth:`ImportResult.spooled_trig`)."""
    from kg.checks import validation

    store = result.staging.store
    _bulk_extend(store, (q for q in kg.store if q.graph_name != INFERRED_GRAPH))
    union = KnowledgeGraph(store, sources=kg.sources)
    report = validation.validate(union)
    ours = [(r, union.label(from_rdflib(r.focus_node))) for r in report.results if result.states_about(r.focus_node)]
    return report, ours
