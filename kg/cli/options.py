"""Options and helpers shared by several sub-commands.

It lives outside ``kg/cli/commands`` because :mod:`kg.cli` makes every module there a
sub-command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

GRAPH_HELP = """The graph: the shipped facts and ontology, unless --data names your own files or
folders (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) and --ontology your own
ontology; --store DIR keeps the graph on disk (loaded once: later commands that name the
same DIR without --data open it, read-only when they only read)."""


def add_graph_options(parser: argparse.ArgumentParser, ontology_help: str | None = None) -> None:
    """``--data PATH ...``, ``--ontology FILE ...`` and ``--store DIR``.

    With ``ontology_help``, ``--ontology`` may also be given without a file (the command
    says what that means); it then reads as an empty list.
    """
    group = parser.add_argument_group("graph", GRAPH_HELP)
    group.add_argument("--data", action="extend", nargs="+", type=Path, metavar="PATH",
                       help="RDF files or folders to use instead of the shipped facts (repeatable)")
    group.add_argument("--ontology", action="extend", nargs="*" if ontology_help else "+", type=Path,
                       metavar="FILE", help=ontology_help or "ontology files to use instead of the shipped ontology")
    group.add_argument("--store", type=Path, metavar="DIR",
                       help="keep the graph in DIR (an Oxigraph store), or open the one kept there")


def add_endpoint_option(parser: argparse.ArgumentParser) -> None:
    """``--endpoint URL`` (and credentials): read the graph from a SPARQL 1.1 server."""
    group = parser.add_argument_group(
        "SPARQL server", "--endpoint URL reads the graph from a SPARQL 1.1 server instead (one that kg push "
        "filled, or loaded from kg export --for-server); credentials from --user/--password or "
        "KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD")
    group.add_argument("--endpoint", metavar="URL", help="the server's SPARQL query endpoint")
    group.add_argument("--user", help="user name for the server (HTTP basic or digest)")
    group.add_argument("--password", help="password for the server (better: KG_ENDPOINT_PASSWORD)")


def endpoint(args: argparse.Namespace, url: str, timeout: float = 60.0, **urls):
    """The :class:`kg.store.remote.Endpoint` the options name."""
    from kg.store.remote import Endpoint

    return Endpoint.from_options(url, user=args.user, password=args.password, timeout=timeout, **urls)


def add_reasoner_option(parser: argparse.ArgumentParser) -> None:
    from kg.checks import DEFAULT_REASONER, REASONERS

    parser.add_argument("--reasoner", choices=REASONERS, default=None,
                        help=f"OWL RL engine (default {DEFAULT_REASONER}; owlrl is the reference)")


def add_validator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--validator", choices=("pyshacl", "topbraid"), default=None,
                        help="SHACL engine: pySHACL (the reference), or TopBraid SHACL (the scale extra and "
                             "Java; for big graphs); default: TopBraid from 100,000 quads when it can run")


def validator_note(args: argparse.Namespace, kg, shapes=None) -> None:
    """Say on standard error when a big graph is about to be validated the slow way."""
    import sys

    from kg.checks import validation

    _, note = validation.choose(kg, shapes, args.validator)
    if note:
        print(f"kg {args.command}: note: {note}", file=sys.stderr)


def load_graph(args: argparse.Namespace, read_only: bool = True):
    """The knowledge graph the command works on (see :data:`GRAPH_HELP`)."""
    import sys

    from kg.errors import one_line
    from kg.store import KnowledgeGraph

    if getattr(args, "endpoint", None):
        from kg.errors import InputError

        given = [name for name in ("data", "ontology", "store") if getattr(args, name, None)]
        if given:
            raise InputError(f"--endpoint and --{given[0]}: the graph is either on the server or local, not both")
        if getattr(args, "inferred", False):
            raise InputError("--endpoint and --inferred: the server keeps no inferences of kg's; "
                             "leave out --endpoint to reason locally")
        return KnowledgeGraph.remote(endpoint(args, args.endpoint, getattr(args, "timeout", None) or 60.0))
    kg = KnowledgeGraph.load(data=args.data, ontology=args.ontology or None, store=args.store, read_only=read_only)
    for note in kg.notes:
        print(f"kg {args.command}: note: {one_line(note)}", file=sys.stderr)
    return kg


def parse_date(option: str, value: str):
    """An ISO date from an option's value, or an InputError naming the option."""
    import datetime

    from kg.errors import InputError

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def positive(kind):
    """An argparse type: a positive ``kind`` (int or float), finite."""
    import math

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0 or (isinstance(value, float) and not math.isfinite(value)):
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value

    convert.__name__ = kind.__name__
    return convert
