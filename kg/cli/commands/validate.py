"""Validate the graph against the SHACL shapes and list conflicting claims.

The shipped graph by default; --data PATH (or FILE arguments) validates those files
with the shipped ontology (or --ontology). --shapes FILE validates against a user's
shapes instead (their SPARQL gets the same checks as a user's query, and the validation
stops after --timeout seconds or KG_MAX_MEMORY_MB of memory). --endpoint URL reads
the graph from a SPARQL server and validates it here. Exit 0 when it
conforms, 1 when there is a violation (warnings and conflicts do not count), 2 on bad
input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.cli.options import add_endpoint_option, add_graph_options, add_validator_option, positive


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files to validate (as --data)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--shapes", action="append", type=Path, metavar="FILE",
                        help="validate against these SHACL shapes instead of the shipped ones (repeatable)")
    parser.add_argument("--timeout", type=positive(float), metavar="SECONDS",
                        help="with --shapes: stop validating after SECONDS (default 30; exit 2)")
    parser.add_argument("--allow-network", action="store_true",
                        help="let the shapes' SPARQL use SERVICE and FROM, which reach the network")
    add_validator_option(parser)
    add_graph_options(parser)
    add_endpoint_option(parser)


def run(args: argparse.Namespace) -> int:
    from kg.checks import validation
    from kg.cli.options import load_graph
    from kg.errors import InputError

    if args.files:
        args.data = list(args.data or []) + list(args.files)
    kg = load_graph(args)
    if kg.is_remote:  # the server's graph read once (two queries), then validated here
        kg = kg.in_memory()
    from kg.cli.options import validator_note

    if args.shapes:
        report = validation.validate_user_shapes(kg, args.shapes, args.allow_network,
                                                 args.timeout or validation.DEFAULT_TIMEOUT, args.validator)
    else:
        if args.timeout is not None:
            raise InputError("--timeout limits validation against --shapes (a user's shapes); "
                             "the shipped shapes run without it")
        validator_note(args, kg)
        report = validation.validate(kg, None, args.allow_network, args.validator)
    found = validation.conflicts(kg)
    if args.format == "json":
        print(validation.render_json(report, found), end="")
    else:
        print(validation.render_text(report, found, kg), end="")
    return 0 if report.conforms else 1
