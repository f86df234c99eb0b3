"""Run a SPARQL question: a shipped query by name, a .rq file, or -e 'SELECT ...'.

Parameters are given as --param KEY=VALUE and bound safely. --list shows the shipped
questions; NAME --describe shows a question's header and parameters. --as-of DATE
answers from what sources had said by that date; --with-sources adds the sources of
each row; --inferred answers over the OWL RL inferences too (reasoning first, unless a
--store already keeps them).

Only SELECT and ASK queries run. Updates are refused; so are SERVICE and FROM (they
reach the network) unless --allow-network is given. A query stops after --timeout
seconds (exit 2) and returns at most --limit rows (the output says when it was capped).
Formats: table, and the SPARQL 1.1 result formats csv, tsv, json and xml. In csv and
tsv, a value a spreadsheet would run as a formula (=, +, -, @, tab, CR first; numbers
excepted) gets a leading ' unless --raw-csv is given.
"""

from __future__ import annotations

import argparse
import sys

from kg.cli.options import add_endpoint_option, add_graph_options, add_reasoner_option, positive

FORMATS = ("table", "csv", "tsv", "json", "xml")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", metavar="NAME|FILE", help="shipped query name or .rq file")
    parser.add_argument("-e", "--expression", metavar="SPARQL", help="run this query text instead")
    parser.add_argument("--list", action="store_true", help="list the shipped queries with their titles")
    parser.add_argument("--describe", action="store_true", help="show the question's header and parameters")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="bind a parameter")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--raw-csv", action="store_true",
                        help="csv and tsv: write values exactly, even those a spreadsheet would run as "
                             "formulas (by default they get a leading ')")
    parser.add_argument("--as-of", metavar="DATE", help="only what sources had said by DATE (YYYY-MM-DD)")
    parser.add_argument("--with-sources", action="store_true", help="add each row's sources")
    parser.add_argument("--inferred", action="store_true", help="answer over the OWL RL inferences too")
    parser.add_argument("--timeout", type=positive(float), default=30, metavar="SECONDS",
                        help="stop a query that runs longer (default 30)")
    parser.add_argument("--limit", type=positive(int), default=10000, metavar="N",
                        help="return at most N rows, saying so when capped (default 10000)")
    parser.add_argument("--allow-network", action="store_true",
                        help="allow SERVICE and FROM, which query or load remote graphs")
    add_reasoner_option(parser)
    add_graph_options(parser)
    add_endpoint_option(parser)


def _list(fmt: str) -> int:
    import json

    from kg.answers import questions

    catalogue = questions.catalogue()
    if fmt == "json":
        print(json.dumps([q.describe() for q in catalogue.values()], indent=2, ensure_ascii=False))
    else:
        for name, query in catalogue.items():
            print(f"{name:38} {query.title}")
    return 0


def _describe(query, fmt: str) -> int:
    import json

    described = query.describe()
    if fmt == "json":
        print(json.dumps(described, indent=2, ensure_ascii=False))
        return 0
    lines = [f"{query.name}: {query.title}", f"question: {query.question or '(not stated)'}",
             f"answer: {query.answer or '(not stated)'}", "parameters:" if query.params else "parameters: none"]
    for p in described["parameters"]:
        default = "optional" if p["optional"] else (f"default {p['default']}" if p["default"] else "required")
        lines.append(f"  {p['name']} ({p['type']}, {default}): {p['description']}")
    print("\n".join(lines))
    return 0


def run(args: argparse.Namespace) -> int:
    from kg.answers import questions
    from kg.errors import InputError

    if args.list:
        return _list(args.format)
    if args.expression is not None and args.query:
        raise InputError("give a query NAME or FILE, or -e TEXT, not both")
    if args.expression is None and not args.query:
        raise InputError("give a query NAME or FILE, -e TEXT, or --list")
    query = questions.inline(args.expression) if args.expression is not None else questions.find(args.query)
    if args.describe:
        return _describe(query, args.format)
    budget = _Budget(args.timeout)
    form = _limited(query, budget, lambda: questions.check(query, args.allow_network))
    if form not in ("SELECT", "ASK"):
        raise InputError(f"{query.where}: {form} refused: only SELECT and ASK queries are answered")
    given = questions.parse_assignments(args.param)
    from kg.cli import options

    as_of = options.parse_date("--as-of", args.as_of) if args.as_of else None
    text, capped, has_rows, left_out = _answer(args, query, given, as_of, budget)
    sys.stdout.write(text)
    if as_of is not None and args.format != "json":  # JSON says it with "undated_claims_left_out"
        from kg.store.timeline import left_out_note
        from kg.terms import NamedNode

        print(left_out_note("kg query", [NamedNode(c) for c in left_out or ()]), file=sys.stderr)
    if capped and args.format != "json":  # JSON says it with a "capped_at" member
        note = f"(result capped at {args.limit} rows)"
        print(note, file=sys.stdout if args.format == "table" else sys.stderr)
    if query.is_violation_check and has_rows:
        return 1
    return 0


class _Budget:
    """The --timeout seconds shared by the checks of the query and its answer (loading
    the graph, which is not the stranger's work, does not count)."""

    def __init__(self, seconds: float):
        self.seconds, self.spent = seconds, 0.0

    def left(self) -> float:
        return max(self.seconds - self.spent, 0.001)


def _limited(query, budget: _Budget, work):
    """``work()`` under the hard limits of :mod:`kg.checks.limits` (what is left of
    --timeout, KG_MAX_MEMORY_MB); a limit hit is one line naming the query."""
    import time

    from kg.checks import limits
    from kg.errors import InputError

    started = time.monotonic()
    try:
        return limits.run_limited(work, budget.left())
    except limits.Timeout:
        raise InputError(f"{query.where}: query timed out after {budget.seconds:g} s") from None
    except limits.OutOfMemory as exc:
        raise InputError(f"{query.where}: query {exc}") from None
    except limits.LimitExceeded as exc:
        raise InputError(f"{query.where}: query stopped: {exc}") from None
    finally:
        budget.spent += time.monotonic() - started


def _answer(args: argparse.Namespace, query, given: dict, as_of, budget: _Budget):
    """Load the graph, then run and render the query in a child process with hard limits
    (:func:`_limited`), under the guard (no network unless allowed, no files beyond
    kg's own); at most --limit rows."""
    from kg.answers import answering
    from kg.checks import safety
    from kg.cli.options import load_graph
    from kg.errors import InputError, KgError

    kg = load_graph(args)
    if args.inferred and not kg.has_inferences:
        kg.reason(args.reasoner)

    def work():
        try:
            with safety.guard(network=args.allow_network):
                answer = answering.answer(query, given, kg=kg, as_of=as_of, with_sources=args.with_sources,
                                          inferred=args.inferred, limit=args.limit)
                left_out = answer.meta.get("undated_claims_left_out")
                return answer.render(args.format, args.raw_csv), "capped_at" in answer.meta, bool(answer.rows), left_out
        except KgError as exc:
            message = str(exc)
            if message[:1].isdigit():  # a syntax error at line:column of the query
                raise InputError(f"{query.where}:{message}") from None
            raise
        except Exception as exc:  # evaluating a stranger's query may fail in many ways
            reason = safety.refusal(exc) or safety.first_line(exc)
            raise InputError(f"{query.where}: query failed: {reason}") from None

    return _limited(query, budget, work)
