"""Run OWL RL over ontology and facts and show what it added, by kind, with examples.

Inferred triples are kept apart (never written into the fact files). Inconsistencies
(members of owl:Nothing, disjointness clashes, functional properties with two values)
are errors: exit 1.
"""

from __future__ import annotations

import argparse
import json

EXAMPLES = 3


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--examples", type=int, default=EXAMPLES, metavar="N", help="examples per kind (default 3)")


def _as_text(kg, triple) -> str:
    s, p, o = triple
    obj = kg.label(o) if not hasattr(o, "language") else str(o)
    return f"{kg.label(s)} —{kg.label(p)}→ {obj}"


def run(args: argparse.Namespace) -> int:
    from kg.store import KnowledgeGraph

    if args.examples < 0:
        from kg.errors import InputError

        raise InputError(f"--examples {args.examples}: expected 0 or more")
    kg = KnowledgeGraph.load()
    result = kg.reason()
    if args.format == "json":
        document = {
            "inferred": len(result.inferred),
            "consistent": result.consistent,
            "errors": result.errors,
            "kinds": {
                kind: {"count": len(triples), "examples": [[str(t) for t in tr] for tr in triples[: args.examples]]}
                for kind, triples in result.by_kind.items()
            },
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(f"OWL RL added {len(result.inferred)} triples")
        for kind, triples in result.by_kind.items():
            print(f"\n{kind}: {len(triples)}")
            for triple in triples[: args.examples]:
                print(f"  {_as_text(kg, triple)}")
        print("\nconsistent: " + ("yes" if result.consistent else "no"))
        for message in result.errors:
            print(f"  error: {message}")
    return 0 if result.consistent else 1
