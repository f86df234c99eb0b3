"""Rewrite data files (facts TriG, ontology and shapes Turtle) in canonical form.

Without FILE, every data file of the techauto-kg checkout you are in (never those of
an installed package). A file keeps its format: Turtle and TriG become canonical Turtle
and TriG, N-Triples and N-Quads sorted canonical lines; RDF/XML and JSON-LD are refused.
A file is replaced only when the new text holds exactly the same statements, and keeps
its permissions and owner (a symbolic link: its target is rewritten). With --check,
change nothing and exit 1 when a file is not canonical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help=".ttl, .trig, .nt or .nq files")
    parser.add_argument("--check", action="store_true", help="only report files that are not canonical")


def run(args: argparse.Namespace) -> int:
    from kg import resources
    from kg.errors import InputError, one_line
    from kg.sources import datafiles

    if not args.files and resources.checkout() is None:
        raise InputError("not in a techauto-kg checkout: name the files to format (kg fmt FILE ...), "
                         "or run kg fmt inside a checkout; the installed package's files are never rewritten")
    files = args.files or datafiles.shipped_data_files()
    changed = [path for path in files if not datafiles.is_canonical(path)]
    for path in changed:
        if args.check:
            print(f"not canonical: {one_line(path)}", file=sys.stderr)
        else:
            datafiles.canonicalize(path)
            print(f"rewrote {one_line(path)}")
    return 1 if (args.check and changed) else 0
