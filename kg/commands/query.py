"""Run a SPARQL question: a shipped query by name, or a .rq file.

Parameters are given as --param KEY=VALUE and bound safely. --list shows the shipped
questions. --as-of DATE answers from what sources had said by that date;
--with-sources adds the sources of each row.

Only SELECT and ASK queries run. Updates are refused; so are SERVICE and FROM (they reach the
network) unless --allow-network is given. A query stops after --timeout seconds (exit
2) and returns at most --limit rows (the output says when it was capped).
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
    parser.add_argument("--timeout", type=_positive(float), default=30, metavar="SECONDS",
                        help="stop a query that runs longer (default 30)")
    parser.add_argument("--limit", type=_positive(int), default=10000, metavar="N",
                        help="return at most N rows, saying so when capped (default 10000)")
    parser.add_argument("--allow-network", action="store_true",
                        help="allow SERVICE and FROM, which query or load remote graphs")


def _positive(kind):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value

    convert.__name__ = kind.__name__
    return convert


def _list() -> int:
    from kg import queries

    for name, query in queries.catalogue().items():
        print(f"{name:38} {query.title}")
    return 0


def run(args: argparse.Namespace) -> int:
    from kg.errors import InputError

    if args.list:
        return _list()
    if not args.query:
        raise InputError("give a query NAME or FILE, or --list")
    from kg import cli_options, queries

    query = queries.find(args.query)
    prepared = queries.check_syntax(query, args.allow_network)
    if prepared.algebra.name not in ("SelectQuery", "AskQuery"):
        kind = prepared.algebra.name.removesuffix("Query").upper()
        raise InputError(f"{query.path}: {kind} refused: only SELECT and ASK queries are answered")
    given = queries.parse_assignments(args.param)
    as_of = cli_options.parse_date("--as-of", args.as_of) if args.as_of else None
    answer = _answer(args, query, prepared, given, as_of)
    capped = len(answer.rows) > args.limit
    if capped:
        answer.rows = answer.rows[: args.limit]
        answer.sources = answer.sources and answer.sources[: args.limit]
        answer.meta["capped_at"] = args.limit
    sys.stdout.write(answer.render(args.format))
    if as_of is not None and args.format != "json":  # JSON says it with "undated_claims_left_out"
        from kg.undated import left_out_note

        print(left_out_note("kg query", answer.kg), file=sys.stderr)
    if capped and args.format != "json":  # JSON says it with a "capped_at" member
        print(f"(result capped at {args.limit} rows)", file=sys.stderr if args.format == "csv" else sys.stdout)
    if query.is_violation_check and answer.rows:
        return 1
    return 0


def _answer(args: argparse.Namespace, query, prepared, given: dict, as_of):
    """Run the prepared query, stopped after one row more than --limit, under the guard
    (no network unless allowed, no files beyond kg's own) and the time limit."""
    from kg import answers, safety
    from kg.errors import InputError, KgError

    if prepared.algebra.name == "SelectQuery":
        prepared = safety.capped(prepared, args.limit + 1)
    try:
        with safety.guard(network=args.allow_network), safety.time_limit(args.timeout):
            return answers.answer(query, given, as_of=as_of, with_sources=args.with_sources, prepared=prepared)
    except safety.Timeout:
        raise InputError(f"{query.path}: query timed out after {args.timeout:g} s") from None
    except KgError:
        raise
    except Exception as exc:  # evaluating a stranger's query may fail in many ways
        reason = safety.refusal(exc) or safety.first_line(exc)
        raise InputError(f"{query.path}: query failed: {reason}") from None
