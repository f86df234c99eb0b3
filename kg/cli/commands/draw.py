"""Draw the graph, or an entity's neighbourhood, as PNG, SVG or an interactive HTML page.

The suffix of -o picks the output: .png and .svg need matplotlib (the draw extra);
.html is one self-contained page (pan, zoom, click a node for its facts and sources).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.cli.options import add_graph_options, load_graph


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entity", nargs="?", metavar="ENTITY",
                        help="draw this entity's neighbourhood (IRI, id: name or label) instead of the whole graph")
    parser.add_argument("--radius", type=int, default=1, metavar="N",
                        help="steps from ENTITY (default 1)")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                        help="FILE.png, FILE.svg or FILE.html")
    add_graph_options(parser)


def run(args: argparse.Namespace) -> int:
    from kg.network import drawing
    from kg.network.convert import to_networkx

    drawing.check_suffix(args.output)
    kg = load_graph(args)
    if args.entity:
        drawing.draw_neighbourhood(kg, kg.resolve(args.entity), args.radius, args.output)
    else:
        graph = to_networkx(kg)
        title = f"techauto-kg: {graph.number_of_nodes()} entities, {graph.number_of_edges()} statements"
        drawing.draw(kg, graph, args.output, title)
    print(f"wrote {args.output}")
    return 0
