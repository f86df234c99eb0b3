"""Show everything the graph states about one entity, with the claims and sources behind it.

ENTITY is an IRI, an id: name (xiaomi, id:xiaomi-beijing-plant) or a label in English
or French ("Pékin"). Each statement, outgoing and incoming, is listed with the claims
that state it (plan, outcome or description; date; confidence; locator) and their
sources. --as-of DATE shows only what sources had said by DATE.
"""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entity", metavar="ENTITY", help="IRI, id: name, or English or French label")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="language of labels (default: en)")
    parser.add_argument("--as-of", metavar="DATE", help="only what sources had said by DATE (YYYY-MM-DD)")


def run(args: argparse.Namespace) -> int:
    from kg import explain
    from kg.cli_options import parse_date
    from kg.store import KnowledgeGraph

    as_of = parse_date("--as-of", args.as_of) if args.as_of else None
    kg = KnowledgeGraph.load()
    entity = kg.resolve(args.entity)
    if as_of is not None:
        kg = kg.as_of(as_of)
    explanation = explain.explain(kg, entity, args.lang)
    render = explain.render_json if args.format == "json" else explain.render_text
    sys.stdout.write(render(explanation))
    if as_of is not None:
        from kg.undated import left_out_note

        print(left_out_note("kg explain", kg), file=sys.stderr)
    return 0
