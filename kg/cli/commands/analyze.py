"""Analyse the graph as a network: paths, central entities, communities, neighbourhoods, stats.

Entities are named by IRI, id: name or English/French label. Every analysis takes
--format table|json, and --data PATH ... / --store DIR to analyse another graph than
the shipped one.
"""

from __future__ import annotations

import argparse

from kg.cli.options import add_graph_options, load_graph
from kg.errors import InputError

WRAP = 100
"""Width that the members of a community are wrapped at (one community, one block)."""


def configure(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    add_graph_options(common)
    sub = parser.add_subparsers(dest="analysis", metavar="ANALYSIS", parser_class=type(parser))
    sub.required = True
    path = sub.add_parser("path", parents=[common], help="shortest chains between two entities")
    path.add_argument("source", metavar="A")
    path.add_argument("target", metavar="B")
    central = sub.add_parser("central", parents=[common], help="most central entities and partnerships")
    central.add_argument("--top", type=int, default=10, metavar="N", help="how many to list (default 10)")
    sub.add_parser("communities", parents=[common], help="clusters of closely linked entities")
    ego = sub.add_parser("ego", parents=[common], help="an entity's neighbourhood")
    ego.add_argument("entity", metavar="ENTITY")
    ego.add_argument("--radius", type=int, default=1, metavar="N", help="steps from the entity (default 1)")
    sub.add_parser("stats", parents=[common], help="nodes, edges, components, degrees by kind")


def run(args: argparse.Namespace) -> int:
    from kg.network.convert import nearby, to_networkx

    kg = load_graph(args)
    if args.analysis == "ego":  # only the neighbourhood is read from the store
        graph = to_networkx(kg, nodes=nearby(kg, kg.resolve(args.entity), args.radius))
    else:
        graph = to_networkx(kg)
    result, text = _ANALYSES[args.analysis](kg, graph, args)
    if args.format == "json":
        import json

        text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    return 0


# -- the analyses: each returns (JSON-ready result, table text) -----------------------


def _path(kg, graph, args):
    from kg.network import analysis

    source = analysis.node_of(kg, graph, args.source)
    target = analysis.node_of(kg, graph, args.target)
    chains = analysis.shortest_paths(graph, source, target)
    result = {"source": source, "target": target, "length": len(chains[0]) if chains else None,
              "paths": chains}
    source_label, target_label = graph.nodes[source]["label"], graph.nodes[target]["label"]
    if not chains:
        return result, f"no path between {source_label} and {target_label}"
    if source == target:
        return result, f"{source_label} (the same entity)"
    return result, "\n".join(chain_text(chain) for chain in chains)


def chain_text(chain: list[dict]) -> str:
    """``A —operates→ B ←is partner of— C``: a chain of steps on one line."""
    parts = [chain[0]["from_label"]]
    for step in chain:
        arrow = f"—{step['property']}→" if step["direction"] == "forward" else f"←{step['property']}—"
        parts += [arrow, step["to_label"]]
    return " ".join(parts)


def _central(kg, graph, args):
    from kg.network import analysis

    if args.top < 1:
        raise InputError(f"--top must be 1 or more, not {args.top}")
    result = analysis.centrality(graph, args.top)
    projection = analysis.partnerships(graph)
    result["partnerships"] = analysis.partnership_pairs(projection)
    result["sought_after_automakers"] = analysis.sought_after_automakers(projection)[: args.top]
    return result, _central_text(result)


def _central_text(result: dict) -> str:
    blocks = []
    sample = result["betweenness_sample"]
    for measure in ("degree", "betweenness"):
        for scope, title in (("all", "all entities"), ("companies", "companies")):
            note = f" (estimated from {sample} sources)" if measure == "betweenness" and sample else ""
            rows = [(i, r["label"], r["kind"], round(r["score"], 4))
                    for i, r in enumerate(result[measure][scope], 1)]
            blocks.append(f"By {measure}, {title}{note}:\n" + table(("#", "entity", "kind", measure), rows))
    pairs = [(p["technology_company"], p["automaker"], ", ".join(p["via"])) for p in result["partnerships"]]
    blocks.append("Technology company - automaker partnerships:\n"
                  + table(("technology company", "automaker", "via"), pairs))
    wanted = [(r["label"], len(r["partners"]), ", ".join(r["partners"])) for r in result["sought_after_automakers"]]
    blocks.append("Most sought-after automakers (distinct tech partners):\n"
                  + table(("automaker", "partners", "technology companies"), wanted))
    return "\n\n".join(blocks)


def _communities(kg, graph, args):
    import textwrap

    from kg.network import analysis

    groups = analysis.communities(graph)
    result = [{"size": len(g), "members": [{"iri": n, "label": graph.nodes[n]["label"]} for n in g]}
              for g in groups]
    blocks = []
    for i, group in enumerate(groups, 1):
        members = "; ".join(graph.nodes[n]["label"] for n in group)  # labels may hold commas
        blocks.append(f"Community {i} ({len(group)} {'entity' if len(group) == 1 else 'entities'}):\n"
                      + textwrap.fill(members, WRAP, initial_indent="  ", subsequent_indent="  ",
                                      break_long_words=False, break_on_hyphens=False))
    return result, "\n\n".join(blocks) if blocks else "(none)"


def _ego(kg, graph, args):
    from kg.network import analysis

    center = analysis.node_of(kg, graph, args.entity)
    sub = analysis.ego(graph, center, args.radius)
    nodes = sorted(({"iri": n, "label": d["label"], "kind": d["kind"]} for n, d in sub.nodes(data=True)),
                   key=lambda n: (n["label"], n["iri"]))
    edges = sorted(({"from": u, "from_label": sub.nodes[u]["label"], "property": d["property"], "iri": d["iri"],
                     "to": v, "to_label": sub.nodes[v]["label"]} for u, v, d in sub.edges(data=True)),
                   key=lambda e: (e["from_label"], e["property"], e["to_label"]))
    result = {"center": center, "radius": args.radius, "nodes": nodes, "edges": edges}
    text = (f"{len(nodes)} entities within {args.radius} step(s) of {graph.nodes[center]['label']}:\n"
            + table(("entity", "kind"), [(n["label"], n["kind"]) for n in nodes])
            + f"\n\n{len(edges)} statements:\n"
            + table(("from", "property", "to"), [(e["from_label"], e["property"], e["to_label"]) for e in edges]))
    return result, text


def _stats(kg, graph, args):
    from kg.network import analysis

    result = analysis.stats(graph)
    rows = [(r["kind"], r["nodes"], r["min"], r["mean"], r["median"], r["max"]) for r in result["degree_by_kind"]]
    text = (f"nodes: {result['nodes']}\nedges: {result['edges']}\n"
            f"connected components (weak): {result['components']} (largest: {result['largest_component']} nodes)\n\n"
            "Degree by kind:\n" + table(("kind", "nodes", "min", "mean", "median", "max"), rows))
    return result, text


_ANALYSES = {"path": _path, "central": _central, "communities": _communities, "ego": _ego, "stats": _stats}


def table(headers: tuple, rows: list[tuple]) -> str:
    """Rows as aligned columns under a header (:func:`kg.answers.results.table`, numbers
    right-aligned, no cell cut); ``(none)`` if there are no rows."""
    from kg.answers.results import table as render

    if not rows:
        return "(none)"
    return render(list(headers), rows, max_cell=None, numbers_right=True).rstrip("\n")
