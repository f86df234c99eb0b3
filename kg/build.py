"""The whole pipeline: load, validate, reason, answer the headline question, write the exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg import progress
from kg.exports import rdf
from kg.files import atomic_write, ensure_dir
from kg.terms import ID, ONTOLOGY_GRAPH

HEADLINE_QUERY = "xiaomi-beijing-plant"
NEIGHBOURHOOD_OF = ID["xiaomi"]
OUTPUTS = {
    "techauto-kg.ttl": dict(fmt="turtle"),
    "techauto-kg-inferred.ttl": dict(fmt="turtle", inferred=True),
    "techauto-kg.trig": dict(fmt="trig"),
    # for a SPARQL server: the default graph is the merge, the ontology in it (kg.exports.rdf);
    # N-Quads, what servers bulk-load fastest and kg writes in a second at 1M quads (TriG: 11 s)
    "techauto-kg-server.nq": dict(fmt="nquads", server=True),
}
_ENTITIES_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?entity) AS ?n) WHERE {
  ?entity a ?class .
  FILTER(STRSTARTS(STR(?class), STR(ta:)) && STRSTARTS(STR(?entity), STR(id:)))
} GROUP BY ?class"""


@dataclass
class BuildResult:
    """What ``kg build`` did and found."""

    counts: dict[str, int]
    entities_per_class: list[tuple[str, int]]
    conforms: bool
    validation_summary: str
    headline: str
    written: list[Path] = field(default_factory=list)
    reasoning_errors: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)


def _entities_per_class(kg) -> list[tuple[str, int]]:
    counts = {}
    for cls, number in kg.query(_ENTITIES_PER_CLASS):
        name = kg.label(cls)
        counts[name] = counts.get(name, 0) + int(number.value)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def violation_checks(kg) -> list[str]:
    """The ``-violation`` queries that return rows, each with its row count."""
    from kg.answers import answering, questions

    failed = []
    for query in questions.catalogue().values():
        if query.is_violation_check:
            rows = answering.answer(query, {}, kg=kg).rows
            if rows:
                failed.append(f"{query.name}: {len(rows)} rows ({query.title})")
    return failed


def _headline(kg) -> str:
    from kg.answers import answering, questions

    if not kg.mentions(NEIGHBOURHOOD_OF):
        return "(this graph has no id:xiaomi: no headline answer)\n"
    return answering.answer(questions.find(HEADLINE_QUERY), {}, kg=kg).render("table")


def build(kg, outdir: Path, draw: bool = True, reasoner: str | None = None,
          validator: str | None = None) -> BuildResult:
    """Run the whole pipeline on ``kg`` and write the exports into ``outdir``.

    Validation starts first: with TopBraid it runs in a child process while kg answers,
    draws, reasons and exports on the other core; with pySHACL it runs at the end.
    """
    from kg.checks import validation

    outdir = ensure_dir(outdir)
    pending = validation.start(kg, validator=validator)
    try:
        return _build(kg, outdir, pending, draw, reasoner)
    except BaseException:
        pending.cancel()
        raise


def _build(kg, outdir: Path, pending, draw: bool, reasoner: str | None) -> BuildResult:
    from kg.checks import validation

    with progress.phase("finding conflicts and -violation checks"):
        conflicts = validation.conflicts(kg)
        violations = violation_checks(kg)
    with progress.phase("answering the headline question"):
        headline = _headline(kg)
    written = []
    if draw and kg.mentions(NEIGHBOURHOOD_OF):
        with progress.phase("drawing Xiaomi's neighbourhood"):
            written += _pictures(kg, outdir)
    counts = {"ontology": kg.count(ONTOLOGY_GRAPH), "asserted": kg.asserted_count(),
              "claims": len(kg.claim_names())}
    classes = _entities_per_class(kg)
    result = kg.reason(reasoner)
    counts["inferred"] = len(result.inferred)
    snapshot = rdf.Snapshot(kg)  # the graphs read once for the four exports
    for name, options in OUTPUTS.items():
        data = rdf.serialize(kg, options["fmt"], options.get("inferred", False), server=options.get("server", False),
                             snapshot=snapshot)
        written.append(atomic_write(outdir / name, data))
    report = pending.report()
    return BuildResult(
        counts, classes, report.conforms and result.consistent and not violations,
        _verdict(report, conflicts), headline, sorted(written), result.errors, violations,
    )


def _verdict(report, conflicts) -> str:
    word = "conforms" if report.conforms else "does not conform"
    return f"{word} ({report.violations} violations, {report.warnings} warnings, {len(conflicts)} conflicts)"


def _pictures(kg, outdir: Path) -> list[Path]:
    """Xiaomi's neighbourhood: interactive HTML always, PNG when matplotlib is installed."""
    from importlib.util import find_spec

    from kg.network import drawing

    suffixes = (".html", ".png") if find_spec("matplotlib") else (".html",)
    return [
        drawing.draw_neighbourhood(kg, NEIGHBOURHOOD_OF, 1, outdir / f"xiaomi-neighbourhood{suffix}")
        for suffix in suffixes
    ]


def render_summary(result: BuildResult) -> str:
    """The short summary ``kg build`` prints."""
    lines = ["Triples: " + ", ".join(f"{k} {v}" for k, v in result.counts.items())]
    lines.append("Entities per class: " + ", ".join(f"{name} {n}" for name, n in result.entities_per_class))
    if result.reasoning_errors:
        lines.append("Reasoning found inconsistencies:")
        lines += [f"  {message}" for message in result.reasoning_errors]
    lines.append(f"Validation: {result.validation_summary}")
    lines.append(f"Checks (-violation queries): {'; '.join(result.failed_checks) or 'none failed'}")
    lines.append("")
    lines.append("Xiaomi -> Beijing plant -> capacity -> funding:")
    lines.append(result.headline.rstrip())
    lines.append("")
    lines.append("Wrote: " + ", ".join(str(p) for p in result.written))
    return "\n".join(lines) + "\n"
