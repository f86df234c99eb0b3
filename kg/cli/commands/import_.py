"""Add facts from a CSV file (one row per fact) as sourced claims in canonical TriG.

Columns: subject, property, value, unit, source, source_label, source_url, stated_on,
claim_kind, confidence, locator, claim, note (see tests/import/template.csv). Rows are
grouped into claims by the claim column, else by source, stated_on and locator. Every
bad row is reported as FILE:LINE: column COLUMN: reason, and then nothing is written
(exit 2); so is a cell a spreadsheet would run as a formula (=, +, -, @, tab or CR
first, numbers excepted), unless --keep-formulas is given. The result is validated with the shipped graph before it is written: when it
does not conform, the violations are listed and nothing is written (exit 1). The graph it is checked against is the shipped one, or --data / --store.
Default output: <CSV name>.trig beside the CSV file (never inside an installed package).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.options import add_graph_options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.csv", help="CSV file, one row per fact")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE.trig",
                        help="where to write the TriG (default: <CSV name>.trig beside the CSV)")
    parser.add_argument("--keep-formulas", action="store_true",
                        help="import cells that start with =, +, -, @, tab or CR as they are (by default "
                             "each is reported: a spreadsheet would run it as a formula)")
    parser.add_argument("--dry-run", action="store_true",
                        help="check and validate only; print the TriG instead of writing it")
    add_graph_options(parser)


def run(args: argparse.Namespace) -> int:
    from kg.errors import InputError
    from kg.sources import importer

    if args.file.suffix.lower() != ".csv":
        raise InputError(f"{args.file}: expected a .csv file")
    output = args.output or importer.default_output(args.file)
    if output.suffix.lower() != ".trig":
        raise InputError(f"--output {output}: the output is TriG; give a .trig file name")
    importer.check_output(output)
    if args.store is not None:
        from kg.cli.options import load_graph

        kg = load_graph(args)
    else:
        kg = importer.graph_without(output, args.data, args.ontology)
    try:
        result = importer.convert(args.file, kg, keep_formulas=args.keep_formulas)
    except importer.ImportErrors as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        raise
    with result:
        spool = result.spooled_trig()  # before validation adds the graph's own quads to the store
        return _validate_and_write(args, kg, result, spool, output)


def _validate_and_write(args: argparse.Namespace, kg, result, spool, output) -> int:
    import shutil

    from kg import resources
    from kg.errors import InputError
    from kg.files import atomic_write, ensure_dir
    from kg.namespaces import prefixed
    from kg.sources import importer

    report, ours = importer.validate_with(kg, result)
    for r, label in ours:
        name = prefixed(str(r.focus_node)) or f"<{r.focus_node}>"
        print(f"{args.file}: {r.severity.lower()}: {name} ({label}): {r.message}", file=sys.stderr)
    violations = sum(r.severity == "Violation" for r, _ in ours)
    summary = (f"{result.claims} claims, {result.statements} statements from {result.rows} rows; "
               f"{len(result.new_sources)} new sources, {result.new_entities} new entities")
    if violations:
        print(f"kg import: {args.file}: does not conform ({violations} violations); nothing written",
              file=sys.stderr)
        return 1
    verdict = f"conforms ({len(ours)} warnings)" if ours else "conforms"
    elsewhere = report.violations - violations
    if elsewhere:
        verdict += f"; {elsewhere} violations elsewhere in the graph, not from this file"
    if args.dry_run:
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.flush()
        print(f"dry run: {summary}; {verdict}; nothing written", file=sys.stderr)
        return 0
    if resources.is_installed_copy(output):
        raise InputError(f"--output {output}: inside the installed package; write beside the CSV or elsewhere")
    ensure_dir(output.parent)
    atomic_write(output, lambda handle: shutil.copyfileobj(spool, handle))
    print(f"wrote {output}: {summary}; {verdict}")
    return 0
