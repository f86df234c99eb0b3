"""A synthetic graph ``factor`` times the shipped one, for measuring performance.

Copy 0 is the shipped facts; copy ``i`` renames every ``id:``, ``src:`` and ``claim:``
IRI with the suffix ``_c<i>`` (an underscore, which no shipped IRI has, so no copy
can take the name of a shipped entity) and every label of a renamed entity with `` #<i>``. Each
copy is then tied to others by a few seeded ``ta:isPartnerOf`` statements (a
technology company of one copy with an automaker of another), stated in a claim of the
synthetic source, so the copies are linked rather than only side by side. Same facts,
factor and seed: same bytes.

    python -m kg.sources.synthetic --factor 100 -o big.trig
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

from kg.errors import KgError
from kg.files import atomic_write
from kg.terms import CLAIM, ID, ONTOLOGY_GRAPH, PROV, RDF, RDFS, SRC, TA, XSD, DefaultGraph, Literal, NamedNode

LINKS_PER_COPY = 3
SOURCE = SRC["synthetic"]

_ORGANIZATIONS_QUERY = """
SELECT DISTINCT ?org ?class WHERE {
  ?org a ?class . ?class rdfs:subClassOf* ta:Organization .
  FILTER(STRSTARTS(STR(?org), STR(id:)))
}"""


def _rename(term, copy: int):
    if copy and (term in ID or term in SRC or term in CLAIM):
        return NamedNode(f"{term.value}_c{copy}")
    return term


def _copies(quads: list[tuple], factor: int):
    """Every quad of the facts, once per copy, renamed."""
    for copy in range(factor):
        for s, p, o, g in quads:
            if copy and p == RDFS.label and _rename(s, copy) != s:
                o = Literal(f"{o.value} #{copy}", language=o.language) if o.language else Literal(
                    f"{o.value} #{copy}", datatype=o.datatype)
            yield _rename(s, copy), p, _rename(o, copy), _rename(g, copy)


def _links(kg, factor: int, seed: int):
    """The seeded partnerships between copies, and the claims and source stating them."""
    tech, makers, others = [], [], []
    for org, cls in sorted(kg.query(_ORGANIZATIONS_QUERY), key=lambda row: (row[0].value, row[1].value)):
        {TA.TechnologyCompany: tech, TA.Automaker: makers}.get(cls, others).append(org)
    tech = sorted(set(tech or others), key=lambda t: t.value)
    makers = sorted(set(makers or others), key=lambda t: t.value)
    if factor < 2 or not tech:
        return
    rng = random.Random(seed)
    yield SOURCE, RDF.type, TA.SourceDocument, None
    yield SOURCE, RDFS.label, Literal("synthetic partnerships made by kg.sources.synthetic", language="en"), None
    for copy in range(factor):
        claim = CLAIM[f"synthetic-links_c{copy}"]
        for triple in ((RDF.type, TA.Claim), (PROV.wasDerivedFrom, SOURCE),
                       (TA.hasClaimKind, TA.Description), (TA.hasConfidence, TA.LowConfidence),
                       (TA.statedOn, Literal("2025", datatype=XSD.gYear))):
            yield (claim, *triple, None)
        for _ in range(LINKS_PER_COPY):
            other = rng.choice([c for c in range(factor) if c != copy])
            yield _rename(rng.choice(tech), copy), TA.isPartnerOf, _rename(rng.choice(makers), other), claim


def synthetic_quads(kg, factor: int, seed: int = 0) -> list[tuple[str, str, str, str]]:
    """The synthetic graph as sorted ``(graph, s, p, o)`` in N-Triples syntax;
    the default graph is ``""`` and comes first."""
    quads = [(q.subject, q.predicate, q.object, None if isinstance(q.graph_name, DefaultGraph) else q.graph_name)
             for q in kg.quads() if q.graph_name != ONTOLOGY_GRAPH]
    found = {(str(g) if g is not None else "", str(s), str(p), str(o))
             for s, p, o, g in itertools.chain(_copies(quads, factor), _links(kg, factor, seed))}
    return sorted(found)


def trig(quads: list[tuple[str, str, str, str]]) -> str:
    """TriG text of sorted quads from :func:`synthetic_quads`."""
    lines, current = [], ""
    for g, s, p, o in quads:
        if g != current:
            lines += ["}"] if current else []
            lines.append(f"{g} {{")
            current = g
        lines.append(f"{'    ' if g else ''}{s} {p} {o} .")
    lines += ["}"] if current else []
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.sources.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=100, help="copies of the shipped facts (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the links between copies (default 0)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.trig")
    args = parser.parse_args(argv)
    if args.factor < 1:
        parser.error("--factor must be 1 or more")
    from kg.store import KnowledgeGraph

    try:
        atomic_write(args.output, trig(synthetic_quads(KnowledgeGraph.load(), args.factor, args.seed)))
    except KgError as exc:
        print(f"kg.sources.synthetic: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
