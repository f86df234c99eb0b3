"""Report the data quality of the graph, entrant by entrant.

For each technology company that enters the car industry: its claims and facts, its
sources (and how many have an https address), the share of low-confidence claims, its
undated claims, the conflicts between its sources and the SHACL warnings and violations
about what it states. --format html writes one self-contained page (no network loads);
-o FILE writes to a file instead of standard output. Exit 0, or 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.options import add_graph_options


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json", "html"), default=None,
                        help="output format (default: text, or html when FILE ends in .html)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (written atomically)")
    add_graph_options(parser)


def run(args: argparse.Namespace) -> int:
    from kg import resources
    from kg.checks import quality
    from kg.cli.options import load_graph
    from kg.files import atomic_write
    from kg.sources import reading

    fmt = args.format or ("html" if args.output and args.output.suffix.lower() in (".html", ".htm") else "text")
    kg = load_graph(args)
    if args.store is not None and args.data is None:
        files = None  # the store does not remember which file said what: claims are attributed by what they name
    else:
        files = quality.claims_by_file(resources.fact_files() if args.data is None else reading.data_files(args.data))
    result = quality.report(kg, files=files)
    render = {"text": quality.render_text, "json": quality.render_json, "html": quality.render_html}[fmt]
    text = render(result, kg)
    if args.output:
        atomic_write(args.output, text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
