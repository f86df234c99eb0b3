"""Run OWL RL over ontology and facts and show what it added, by kind, with examples.

Inferred triples are kept apart (never written into the fact files; with --store, kept
in the store for later `kg query --inferred`). Inconsistencies (members of owl:Nothing,
disjointness clashes, functional properties with two values) are errors: exit 1.
--reasoner owlrl runs the reference engine (owlrl) instead of kg's compiled rules.
"""

from __future__ import annotations

import argparse

from kg.cli.options import add_graph_options, add_reasoner_option

EXAMPLES = 3


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--examples", type=int, default=EXAMPLES, metavar="N", help="examples per kind (default 3)")
    add_reasoner_option(parser)
    add_graph_options(parser)


def run(args: argparse.Namespace) -> int:
    from kg.checks.reasoning import describe
    from kg.cli.options import load_graph

    if args.examples < 0:
        from kg.errors import InputError

        raise InputError(f"--examples {args.examples}: expected 0 or more")
    kg = load_graph(args, read_only=False)
    result = kg.reason(args.reasoner)
    if args.format == "json":
        import json

        document = {
            "reasoner": result.reasoner,
            "inferred": len(result.inferred),
            "consistent": result.consistent,
            "errors": result.errors,
            "kinds": {
                kind: {"count": len(triples),
                       "examples": [[t.subject.value, t.predicate.value, t.object.value] for t in triples[: args.examples]]}
                for kind, triples in result.by_kind.items()
            },
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(f"OWL RL ({result.reasoner}) added {len(result.inferred)} triples")
        for kind, triples in result.by_kind.items():
            print(f"\n{kind}: {len(triples)}")
            for triple in triples[: args.examples]:
                print(f"  {describe(kg, triple)}")
        print("\nconsistent: " + ("yes" if result.consistent else "no"))
        for message in result.errors:
            print(f"  error: {message}")
    return 0 if result.consistent else 1
