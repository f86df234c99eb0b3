"""Export the graph: RDF (turtle, nt, jsonld, xml, trig) or network (graphml, gexf, node-link-json).

The asserted facts and their provenance by default; --inferred adds OWL RL inferences,
--ontology the ontology. Same graph, same bytes. Written atomically with -o, else to
standard output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("turtle", "nt", "jsonld", "xml", "trig", "graphml", "gexf", "node-link-json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="turtle")
    parser.add_argument("--inferred", action="store_true", help="include OWL RL inferences")
    parser.add_argument("--ontology", action="store_true", help="include the ontology")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="output file (default: stdout)")


def run(args: argparse.Namespace) -> int:
    from kg import export
    from kg.files import atomic_write
    from kg.store import KnowledgeGraph

    data = export.serialize(KnowledgeGraph.load(), args.format, args.inferred, args.ontology)
    if args.output:
        atomic_write(args.output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
