"""Run a SPARQL question: a shipped query by name, or a .rq file.

Parameters are given as --param KEY=VALUE and bound safely. --list shows the shipped
questions. --as-of DATE answers from what sources had said by that date;
--with-sources adds the sources of each row.
"""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", metavar="NAME|FILE", help="shipped query name or .rq file")
    parser.add_argument("--list", action="store_true", help="list the shipped queries with their titles")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="bind a parameter")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--as-of", metavar="DATE", help="only what sources had said by DATE (YYYY-MM-DD)")
    parser.add_argument("--with-sources", action="store_true", help="add each row's sources")


def _list() -> int:
    from kg import queries

    for name, query in queries.catalogue().items():
        print(f"{name:38} {query.title}")
    return 0


def parse_date(option: str, value: str):
    """An ISO date from an option's value, or an InputError naming the option."""
    import datetime

    from kg.errors import InputError

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    from kg.errors import InputError

    if args.list:
        return _list()
    if not args.query:
        raise InputError("give a query NAME or FILE, or --list")
    from kg import answers, queries

    query = queries.find(args.query)
    queries.check_syntax(query)
    given = queries.parse_assignments(args.param)
    as_of = parse_date("--as-of", args.as_of) if args.as_of else None
    answer = answers.answer(query, given, as_of=as_of, with_sources=args.with_sources)
    sys.stdout.write(answer.render(args.format))
    if query.is_violation_check and answer.rows:
        return 1
    return 0
