"""Show everything the graph states about one entity, with the claims and sources behind it.

ENTITY is an IRI, an id: name (xiaomi, id:xiaomi-beijing-plant) or a label in English
or French ("Pékin"). Each statement, outgoing and incoming, is listed with the claims
that state it (plan, outcome or description; date; confidence; locator) and their
sources. --as-of DATE shows only what sources had said by DATE; --inferred adds what
OWL RL reasoning concludes about the entity, in a section of its own.
"""

from __future__ import annotations

import argparse
import sys

from kg.cli.options import add_endpoint_option, add_graph_options, add_reasoner_option


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entity", metavar="ENTITY", help="IRI, id: name, or English or French label")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="language of labels (default: en)")
    parser.add_argument("--as-of", metavar="DATE", help="only what sources had said by DATE (YYYY-MM-DD)")
    parser.add_argument("--inferred", action="store_true", help="add what OWL RL reasoning concludes")
    add_reasoner_option(parser)
    add_graph_options(parser)
    add_endpoint_option(parser)


def run(args: argparse.Namespace) -> int:
    from kg.answers import explain
    from kg.cli.options import load_graph, parse_date
    from kg.errors import InputError

    as_of = parse_date("--as-of", args.as_of) if args.as_of else None
    if as_of is not None and args.inferred:
        raise InputError("--inferred and --as-of: give one or the other (inferences are of the whole graph)")
    kg = load_graph(args)
    entity = kg.resolve(args.entity)
    if as_of is not None:
        kg = kg.as_of(as_of)
    if args.inferred and not kg.has_inferences:
        kg.reason(args.reasoner)
    explanation = explain.explain(kg, entity, args.lang, inferred=args.inferred)
    render = explain.render_json if args.format == "json" else explain.render_text
    sys.stdout.write(render(explanation))
    if as_of is not None:
        from kg.store.timeline import left_out_note

        print(left_out_note("kg explain", kg.undated_claims), file=sys.stderr)
    return 0
