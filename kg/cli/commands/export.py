"""Export the graph: RDF (turtle, nt, nquads, jsonld, xml, trig) or network (graphml, gexf, node-link-json).

The asserted facts and their provenance by default; --inferred adds OWL RL inferences,
--with-ontology the ontology (so does --ontology given without a file; --ontology FILE
uses that ontology, as in every command). trig, nquads and jsonld keep one named graph per claim; the
others merge the graphs. --for-server writes the dataset for a SPARQL server: the default
graph is the merge of every graph (the ontology too), beside the named graphs (each claim,
kgg:ontology, kgg:default for the provenance), so the shipped questions run unchanged on a
server loaded with it (README: "Running the graph on a SPARQL server"). Same graph, same bytes. Written atomically with -o, else to
standard output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.options import add_graph_options, add_reasoner_option

FORMATS = ("turtle", "nt", "nquads", "jsonld", "xml", "trig", "graphml", "gexf", "node-link-json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="turtle")
    parser.add_argument("--inferred", action="store_true", help="include OWL RL inferences")
    parser.add_argument("--with-ontology", action="store_true", help="include the ontology graph")
    parser.add_argument("--for-server", action="store_true",
                        help="trig, nquads, jsonld: the default graph is the merge of all graphs, the ontology "
                             "included (what a SPARQL server needs for the shipped questions)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="output file (default: stdout)")
    add_reasoner_option(parser)
    add_graph_options(parser, ontology_help="ontology files to use instead of the shipped ontology; "
                      "without a file: include the ontology, as --with-ontology")


def run(args: argparse.Namespace) -> int:
    from kg.cli.options import load_graph
    from kg.exports import rdf
    from kg.files import atomic_write

    kg = load_graph(args)
    if args.inferred and not kg.has_inferences:
        kg.reason(args.reasoner)
    with_ontology = args.with_ontology or args.ontology == []
    data = rdf.serialize(kg, args.format, args.inferred, with_ontology, server=args.for_server)
    if args.output:
        atomic_write(args.output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
