"""Data quality per entrant: how many facts, from how many sources, how sure, how well dated,
and where sources disagree, as text, JSON or a self-contained HTML page.

Each claim is counted for the entrant whose file holds it (``kg/facts/entrants/<name>.trig``
and ``xiaomi.trig`` each run one entrant's programme). A claim of a shared file
(``research-notes.trig``) counts for the entrants whose company or programme its graph
names; claims that name none (``places.trig``'s geography) make a row of their own. Graphs
loaded from other files are attributed in the same way, by what they name.

For each row: claims, facts (statements in the claims' named graphs), sources (and how
many of them have an https address), low-confidence claims and their share, undated claims
(``ta:Undated``; timeless reference claims are counted apart), conflicts between sources
(:func:`kg.checks.validation.conflicts`), and the SHACL warnings and violations whose focus
node is stated in the row's claims.

The counting works on an rdflib copy of the graph (:meth:`kg.store.KnowledgeGraph.rdflib_dataset`):
a report for people, meant for graphs of the shipped size, not for millions of triples.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from kg import namespaces, resources
from kg.namespaces import CLAIM, TA
from kg.sources import reading
from kg.terms import from_rdflib, to_rdflib

if TYPE_CHECKING:
    from kg.store import KnowledgeGraph

CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""The page loads nothing: no script, no image, no font, no style sheet from anywhere."""


@dataclass
class Row:
    """The quality figures of one entrant (or of the claims that name no entrant)."""

    key: str
    entrant: URIRef | None
    label: str
    claims: set[URIRef] = field(default_factory=set)
    facts: int = 0
    sources: set[URIRef] = field(default_factory=set)
    sources_with_address: int = 0
    low_confidence: set[URIRef] = field(default_factory=set)
    undated: set[URIRef] = field(default_factory=set)
    timeless: set[URIRef] = field(default_factory=set)
    conflicts: list = field(default_factory=list)
    warnings: int = 0
    violations: int = 0

    @property
    def low_confidence_share(self) -> float:
        """Share of the row's claims that rest on weak sources, from 0 to 1."""
        return len(self.low_confidence) / len(self.claims) if self.claims else 0.0

    def as_dict(self, kg: KnowledgeGraph) -> dict:
        name = _namer(kg)
        return {
            "key": self.key,
            "entrant": None if self.entrant is None else str(self.entrant),
            "label": self.label,
            "claims": len(self.claims),
            "facts": self.facts,
            "sources": len(self.sources),
            "sources_with_address": self.sources_with_address,
            "low_confidence_claims": len(self.low_confidence),
            "low_confidence_share": round(self.low_confidence_share, 3),
            "undated_claims": sorted(name(c) for c in self.undated),
            "timeless_claims": len(self.timeless),
            "conflicts": [_conflict_text(c, kg) for c in self.conflicts],
            "warnings": self.warnings,
            "violations": self.violations,
        }


@dataclass
class QualityReport:
    """One row per entrant, in label order, then the rows of shared claims."""

    rows: list[Row]

    def row(self, key: str) -> Row:
        """The row of an entrant (by IRI) or of shared claims (``shared:<file>``)."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


# -- attribution -------------------------------------------------------------------------


def claims_by_file(paths: list[Path] | None = None) -> dict[URIRef, str]:
    """For each claim of the fact files (the shipped ones by default), the file's name."""
    found: dict[URIRef, str] = {}
    for path in resources.fact_files() if paths is None else paths:
        dataset = Dataset()
        reading.read_into(dataset, Path(path))
        for graph in dataset.graphs():
            if str(graph.identifier).startswith(str(CLAIM)) and len(graph):
                found[graph.identifier] = Path(path).stem
        for claim in dataset.subjects(RDF.type, TA.Claim):
            found.setdefault(claim, Path(path).stem)
    return found


def _entrants(kg: KnowledgeGraph) -> dict[URIRef, set[URIRef]]:
    """Each technology company with its automotive programmes."""
    entrants: dict[URIRef, set[URIRef]] = {}
    for row in kg.query("""SELECT ?company ?programme WHERE {
            ?company a ta:TechnologyCompany .
            OPTIONAL { ?company (ta:runsProgramme|^ta:isProgrammeOf) ?programme } }"""):
        company = to_rdflib(row.company)
        entrants.setdefault(company, set())
        if row.programme is not None:
            entrants[company].add(to_rdflib(row.programme))
    return entrants


class _View:
    """The rdflib view the counting reads: the dataset, its claim graphs, who states what."""

    def __init__(self, kg: KnowledgeGraph):
        self.dataset = kg.rdflib_dataset()
        self.claims = sorted((g for g in self.dataset.graphs() if str(g.identifier).startswith(str(CLAIM))),
                             key=lambda g: str(g.identifier))
        self.stated_in: dict = {}
        for graph in self.claims:
            for subject in set(graph.subjects()):
                self.stated_in.setdefault(subject, set()).add(graph.identifier)


def attribute(kg: KnowledgeGraph, files: dict[URIRef, str] | None = None, view: _View | None = None
              ) -> dict[URIRef, set[str]]:
    """For each claim, the keys of the rows it counts for: an entrant's IRI, or ``shared:<file>``."""
    view = view or _View(kg)
    entrants = _entrants(kg)
    names = {term: company for company, programmes in entrants.items() for term in {company, *programmes}}
    files = files or {}
    owners_by_file: dict[str, set[URIRef]] = {}
    for graph in view.claims:
        file = files.get(graph.identifier)
        for programme in graph.subjects(RDF.type, TA.AutomotiveProgramme):
            if programme in names and file:
                owners_by_file.setdefault(file, set()).add(names[programme])
    result: dict[URIRef, set[str]] = {}
    for graph in view.claims:
        claim = graph.identifier
        file = files.get(claim)
        owners = owners_by_file.get(file, set()) if file else set()
        if len(owners) == 1:
            result[claim] = {str(next(iter(owners)))}
            continue
        named = {names[t] for triple in graph for t in (triple[0], triple[2]) if t in names}
        result[claim] = {str(e) for e in named} or {f"shared:{file or 'other'}"}
    return result


# -- the report --------------------------------------------------------------------------


def report(kg: KnowledgeGraph, *, files: dict[URIRef, str] | None = None, validation_report=None,
           conflicts=None) -> QualityReport:
    """The quality rows of ``kg``; ``files`` maps claims to the files that hold them (see
    :func:`claims_by_file`), ``validation_report`` is a :class:`kg.validation.ValidationReport`
    and ``conflicts`` the list of :func:`kg.validation.conflicts` (both computed when omitted)."""
    from kg.checks import validation

    if validation_report is None:
        validation_report = validation.validate(kg)
    if conflicts is None:
        conflicts = validation.conflicts(kg)
    view = _View(kg)
    attributed = attribute(kg, files, view)
    rows: dict[str, Row] = {}
    for company in _entrants(kg):
        rows[str(company)] = Row(str(company), company, kg.label(from_rdflib(company)))

    def row(key: str) -> Row:
        if key not in rows:
            rows[key] = Row(key, None, "claims that name no entrant (" + key.split(":", 1)[1] + ")")
        return rows[key]

    dataset = view.dataset
    stated_in = view.stated_in
    for graph in view.claims:
        claim = graph.identifier
        sources = set(dataset.objects(claim, PROV.wasDerivedFrom))
        for key in attributed[claim]:
            current = row(key)
            current.claims.add(claim)
            current.facts += len(graph)
            current.sources |= sources
            if dataset.value(claim, TA.hasConfidence) == TA.LowConfidence:
                current.low_confidence.add(claim)
            dating = dataset.value(claim, TA.hasDating)
            if dating == TA.Undated:
                current.undated.add(claim)
            elif dating == TA.Timeless:
                current.timeless.add(claim)
    for current in rows.values():
        current.sources_with_address = sum(
            1 for s in current.sources
            if any(str(o).startswith("https://") for o in dataset.objects(s, TA.webLocation)))
    for conflict in conflicts:
        keys = set().union(*(attributed.get(to_rdflib(v.claim), set()) for v in conflict.values))
        for key in sorted(keys):
            row(key).conflicts.append(conflict)
    for result in validation_report.results:
        claims = set(stated_in.get(result.focus_node, set()))
        if result.focus_node in attributed:
            claims.add(result.focus_node)
        claims |= set(dataset.subjects(PROV.wasDerivedFrom, result.focus_node))
        keys = set().union(*(attributed.get(c, set()) for c in claims)) if claims else set()
        for key in keys:
            if result.severity == "Violation":
                row(key).violations += 1
            else:
                row(key).warnings += 1
    entrant_rows = sorted((r for r in rows.values() if r.entrant is not None), key=lambda r: (r.label.casefold(), r.key))
    shared_rows = sorted((r for r in rows.values() if r.entrant is None), key=lambda r: r.key)
    return QualityReport(entrant_rows + shared_rows)


# -- rendering ---------------------------------------------------------------------------

COLUMNS = ("entrant", "claims", "facts", "sources", "with https address", "low confidence", "undated",
           "conflicts", "warnings", "violations")


def _cells(row: Row) -> list[str]:
    return [
        row.label, str(len(row.claims)), str(row.facts), str(len(row.sources)), str(row.sources_with_address),
        f"{len(row.low_confidence)} ({round(100 * row.low_confidence_share)} %)", str(len(row.undated)),
        str(len(row.conflicts)), str(row.warnings), str(row.violations),
    ]


def _totals(quality: QualityReport) -> list[str]:
    claims = set().union(*(r.claims for r in quality.rows)) if quality.rows else set()
    low = set().union(*(r.low_confidence for r in quality.rows)) if quality.rows else set()
    undated = set().union(*(r.undated for r in quality.rows)) if quality.rows else set()
    sources = set().union(*(r.sources for r in quality.rows)) if quality.rows else set()
    conflicts = {id(c) for r in quality.rows for c in r.conflicts}
    share = round(100 * len(low) / len(claims)) if claims else 0
    return ["all (each claim once)", str(len(claims)), "", str(len(sources)), "", f"{len(low)} ({share} %)",
            str(len(undated)), str(len(conflicts)), "", ""]


def _name(term) -> str:
    """An IRI (rdflib's or the store's) as a prefixed name where one fits; other terms as text."""
    from kg.terms import Literal as StoreLiteral
    from kg.terms import NamedNode

    if isinstance(term, (URIRef, NamedNode)):
        iri = term.value if isinstance(term, NamedNode) else str(term)
        return namespaces.prefixed(iri) or f"<{iri}>"
    return term.value if isinstance(term, StoreLiteral) else str(term)


def _namer(kg: KnowledgeGraph):
    return _name


def _conflict_text(conflict, kg: KnowledgeGraph) -> str:
    name = _namer(kg)
    measure = f" [{conflict.measure}]" if conflict.measure else ""
    values = "; ".join(f"{name(v.value)} in {name(v.claim)}" + (f" (stated {name(v.stated_on)})" if v.stated_on is not None else "")
                       for v in conflict.values)
    return f"{name(conflict.subject)} {name(conflict.property)}{measure}: {values}"


def render_text(quality: QualityReport, kg: KnowledgeGraph) -> str:
    """An aligned table, then each row's undated claims and conflicts."""
    table = [list(COLUMNS)] + [_cells(r) for r in quality.rows] + [_totals(quality)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    lines = [line(table[0]), "  ".join("-" * w for w in widths)] + [line(c) for c in table[1:]]
    name = _namer(kg)
    details = []
    for row in quality.rows:
        if not row.undated and not row.conflicts:
            continue
        details.append(f"{row.label}:")
        details += [f"  undated: {name(c)}" for c in sorted(row.undated, key=str)]
        details += [f"  conflict: {_conflict_text(c, kg)}" for c in row.conflicts]
    if details:
        lines += ["", "Undated claims and conflicts, by entrant:"] + details
    return "\n".join(lines) + "\n"


def render_json(quality: QualityReport, kg: KnowledgeGraph) -> str:
    return json.dumps({"rows": [r.as_dict(kg) for r in quality.rows]}, indent=2, ensure_ascii=False) + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; }
th { background: #eee; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f6f6f6; }
tr.weak td.low { background: #fde8c8; }
code { font-size: 0.95em; }
"""


def render_html(quality: QualityReport, kg: KnowledgeGraph, title: str = "techauto-kg: data quality by entrant") -> str:
    """One self-contained page: inline CSS, no script, a policy that forbids any network load."""
    esc = html.escape
    name = _namer(kg)
    head = "".join(f"<th scope=\"col\">{esc(c)}</th>" for c in COLUMNS)
    body = []
    for row in quality.rows:
        cells = _cells(row)
        weak = " class=\"weak\"" if row.low_confidence_share >= 0.5 else ""
        tds = [f"<th scope=\"row\">{esc(cells[0])}</th>"]
        for index, cell in enumerate(cells[1:], start=1):
            css = "number low" if COLUMNS[index] == "low confidence" else "number"
            tds.append(f"<td class=\"{css}\">{esc(cell)}</td>")
        key = esc(row.key)
        body.append(f"<tr data-key=\"{key}\"{weak}>{''.join(tds)}</tr>")
    totals = _totals(quality)
    body.append("<tr class=\"total\"><th scope=\"row\">" + esc(totals[0]) + "</th>"
                + "".join(f"<td class=\"number\">{esc(c)}</td>" for c in totals[1:]) + "</tr>")
    sections = []
    for row in quality.rows:
        if not row.undated and not row.conflicts:
            continue
        items = [f"<li class=\"undated\">undated: <code>{esc(name(c))}</code></li>" for c in sorted(row.undated, key=str)]
        items += [f"<li class=\"conflict\">conflict: {esc(_conflict_text(c, kg))}</li>" for c in row.conflicts]
        sections.append(f"<section data-key=\"{esc(row.key)}\"><h3>{esc(row.label)}</h3><ul>{''.join(items)}</ul></section>")
    explanation = (
        "Each claim is one passage of one or more sources. <em>Facts</em> are the statements in the claims' "
        "named graphs; <em>low confidence</em> counts claims that rest on sources the research notes call weak; "
        "<em>undated</em> counts claims whose sources give no date (\"as of\" answers leave them out); "
        "<em>conflicts</em> are values on which sources disagree; warnings and violations are SHACL results "
        "about the things the claims describe.")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{esc(title)}</h1>
<p id="summary">{len([r for r in quality.rows if r.entrant is not None])} entrants; {esc(totals[1])} claims from {esc(totals[3])} sources.</p>
<p>{explanation}</p>
<table id="quality">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<h2>Undated claims and conflicts</h2>
{chr(10).join(sections)}
</body>
</html>
"""
