"""Build the graph: load ontology and facts, validate (SHACL), reason (OWL RL), answer the
headline question and write the exports (asserted Turtle, Turtle with inferences, TriG
with sources, a picture of Xiaomi's neighbourhood) into DIR.

Exit 0 when the graph conforms, 1 when it does not, 2 on error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.cli.options import add_graph_options, add_reasoner_option, add_validator_option


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, default=Path("out"), metavar="DIR",
                        help="folder for the exports (default: out)")
    parser.add_argument("--no-pictures", action="store_true", help="do not draw Xiaomi's neighbourhood")
    add_reasoner_option(parser)
    add_validator_option(parser)
    add_graph_options(parser)


def run(args: argparse.Namespace) -> int:
    from kg import build
    from kg.cli.options import load_graph

    from kg.cli.options import validator_note

    kg = load_graph(args, read_only=False)
    validator_note(args, kg)
    result = build.build(kg, args.output, draw=not args.no_pictures, reasoner=args.reasoner, validator=args.validator)
    print(build.render_summary(result), end="")
    return 0 if result.conforms else 1
