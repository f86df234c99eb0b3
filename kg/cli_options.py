"""Options and helpers shared by several sub-commands.

It lives outside ``kg/commands`` because :mod:`kg.cli` makes every module there a
sub-command.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """``--data FILE`` (repeatable): fact files to use instead of the shipped facts."""
    parser.add_argument("--data", action="append", type=Path, metavar="FILE",
                        help="use this fact file (TriG/Turtle) instead of the shipped facts; repeatable")


def load_graph(args: argparse.Namespace):
    """The knowledge graph the command works on: the shipped facts, or ``--data`` files."""
    from kg.store import KnowledgeGraph

    return KnowledgeGraph.load(fact_files=args.data)


def parse_date(option: str, value: str):
    """An ISO date from an option's value, or an InputError naming the option."""
    import datetime

    from kg.errors import InputError

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None
