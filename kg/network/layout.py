"""Where nodes go and what colour they are: the seeded layout shared by the pictures
(:mod:`kg.network.drawing`) and the interactive view (:mod:`kg.network.html_view`).

Every graph handed to a layout is built with its nodes and edges added in sorted order
(:func:`kg.network.analysis.ordered_copy`), so the same graph gets the same positions in
every process, whatever ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import math

SEED = 42
SPRING_LIMIT = 500
"""networkx's spring layout needs scipy from 500 nodes; bigger graphs are split first."""
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#e7ba52",
    "#6b6ecf", "#b5cf6b", "#d6616b", "#ce6dbd", "#9edae5", "#c7c7c7", "#ffbb78", "#98df8a",
    "#5254a3", "#8ca252", "#bd9e39", "#ad494a", "#a55194", "#e7969c", "#3182bd", "#e6550d",
)
"""Colours of the kinds: matplotlib's tab10, then tab20b and tab20 tones."""


def kind_colours(graph) -> dict[str, str]:
    """A colour per kind of node, kinds in alphabetical order."""
    kinds = sorted({kind for _, kind in graph.nodes(data="kind")})
    return {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(kinds)}


def layout(graph) -> dict[str, tuple[float, float]]:
    """Seeded positions of the nodes, roughly within [-1, 1] on both axes."""
    from kg.network.analysis import undirected

    return _positions(undirected(graph))


def _positions(simple) -> dict:
    """Connected components laid out one by one, then packed in rows, largest first."""
    import networkx as nx

    from kg.network.analysis import ordered_copy

    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    if len(components) == 1:
        return _component_positions(simple)
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    width = math.sqrt(len(simple)) * 1.2
    for component in components:
        side = math.sqrt(len(component))
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        inner = _component_positions(ordered_copy(simple, component))
        for node, (px, py) in inner.items():
            positions[node] = (x + side * (px + 1) / 2, y - side * (1 - py) / 2)
        x, row_height = x + side * 1.1, max(row_height, side * 1.1)
    return _normalised(positions)


def _component_positions(simple) -> dict:
    """Spring layout of a connected graph, within [-1, 1]; from :data:`SPRING_LIMIT`
    nodes on, its communities are laid out first, then each one inside its place."""
    import networkx as nx

    from kg.network.analysis import clusters, ordered_copy

    if len(simple) < SPRING_LIMIT:
        return _normalised(nx.spring_layout(simple, seed=SEED))
    groups = clusters(simple)
    if len(groups) == 1:
        return _normalised(nx.circular_layout(sorted(simple, key=str)))
    index = {node: i for i, group in enumerate(groups) for node in group}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(groups)))
    quotient.add_edges_from((index[u], index[v]) for u, v in simple.edges() if index[u] != index[v])
    centres = _positions(quotient)
    spread = 0.6 / math.sqrt(len(groups))
    positions = {}
    for i, group in enumerate(groups):
        radius = spread * math.sqrt(len(group) * len(groups) / len(simple))
        for node, (px, py) in _positions(ordered_copy(simple, group)).items():
            positions[node] = (centres[i][0] + radius * px, centres[i][1] + radius * py)
    return _normalised(positions)


def _normalised(positions: dict) -> dict:
    """Positions shifted and scaled to fit [-1, 1] on the longer axis, aspect kept."""
    if not positions:
        return {}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {node: (float((x - cx) / half), float((y - cy) / half)) for node, (x, y) in positions.items()}
