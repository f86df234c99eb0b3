"""The main job: load, reason, validate, answer the headline question, write exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF

from kg import export
from kg.files import atomic_write, ensure_dir
from kg.namespaces import ID, ONTOLOGY_GRAPH, TA
from kg.store import KnowledgeGraph

HEADLINE_QUERY = "xiaomi-beijing-plant"
NEIGHBOURHOOD_OF = ID["xiaomi"]
OUTPUTS = {
    "techauto-kg.ttl": dict(fmt="turtle"),
    "techauto-kg-inferred.ttl": dict(fmt="turtle", inferred=True),
    "techauto-kg.trig": dict(fmt="trig"),
}


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


def _entities_per_class(kg: KnowledgeGraph) -> list[tuple[str, int]]:
    counts = Counter(
        kg.label(cls)
        for s, cls in kg.asserted().subject_objects(RDF.type)
        if str(cls).startswith(str(TA)) and str(s).startswith(str(ID))
    )
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _violation_checks(kg: KnowledgeGraph) -> list[str]:
    """The ``-violation`` queries that return rows, each with its row count."""
    from kg import answers, queries

    failed = []
    for query in queries.catalogue().values():
        if query.is_violation_check:
            rows = answers.answer(query, {}, kg=kg).rows
            if rows:
                failed.append(f"{query.name}: {len(rows)} rows ({query.title})")
    return failed


def _headline(kg: KnowledgeGraph) -> str:
    from kg import answers, queries

    answer = answers.answer(queries.find(HEADLINE_QUERY), {}, kg=kg)
    return answer.render("table")


def build(outdir: Path, draw: bool = True) -> BuildResult:
    """Run the whole pipeline and write the exports into ``outdir``."""
    from kg import validation

    outdir = ensure_dir(outdir)
    kg = KnowledgeGraph.load()
    asserted = len(kg.asserted())
    report = validation.validate(kg)
    conflicts = validation.conflicts(kg)
    violations = _violation_checks(kg)
    headline = _headline(kg)
    result = kg.reason()
    written = []
    for name, options in OUTPUTS.items():
        written.append(atomic_write(outdir / name, export.serialize(kg, options["fmt"], options.get("inferred", False))))
    if draw:
        written += _pictures(kg, outdir)
    counts = {
        "ontology": len(kg.graph(ONTOLOGY_GRAPH)),
        "asserted": asserted,
        "inferred": len(result.inferred),
        "claims": len(kg.claim_graphs()),
    }
    return BuildResult(
        counts, _entities_per_class(kg), report.conforms and result.consistent and not violations,
        _verdict(report, conflicts), headline, written, result.errors, violations,
    )


def _verdict(report, conflicts) -> str:
    word = "conforms" if report.conforms else "does not conform"
    return f"{word} ({report.violations} violations, {report.warnings} warnings, {len(conflicts)} conflicts)"


def _pictures(kg: KnowledgeGraph, outdir: Path) -> list[Path]:
    """Xiaomi's neighbourhood: interactive HTML always, PNG when matplotlib is installed."""
    from importlib.util import find_spec

    from kg import drawing

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
