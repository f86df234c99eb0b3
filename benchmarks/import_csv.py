"""A CSV for ``kg import`` of any number of rows, to measure an import at scale.

Each new city takes four rows (its type, English and French labels, ``locatedIn china``)
and is one claim of a fictional source (``example.org``): the data is made up, for
timing only, never for the graph.

    python benchmarks/import_csv.py --rows 1000000 -o c1m.csv
    /usr/bin/time -v kg import c1m.csv -o c1m.trig
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HEADER = ["subject", "property", "value", "unit", "source", "source_label", "source_url", "stated_on",
          "claim_kind", "confidence", "locator", "claim", "note"]


def rows(count: int):
    """``count`` rows (rounded down to whole cities of four rows)."""
    for n in range(count // 4):
        city, claim = f"bench-city-{n}", f"bench-city-{n}-claim"
        source = ["src:bench-gazetteer", "Benchmark gazetteer (fictional)", "https://example.org/gazetteer"]
        if n:
            source = ["src:bench-gazetteer", "", ""]
        common = ["", *source, "2025-01-01", "description", "high", f"entry {n}", claim, ""]
        for prop, value in (("type", "City"), ("label", f"Bench city {n}"), ("label_fr", f"Ville {n}"),
                            ("locatedIn", "china")):
            yield [city, prop, value, *common]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="number of rows (default 1,000,000)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the CSV file to write")
    args = parser.parse_args(argv)
    with open(args.output, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(args.rows))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
