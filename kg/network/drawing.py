"""Pictures of the network: PNG and SVG through matplotlib, or the interactive HTML view.

matplotlib is an optional dependency (the ``draw`` extra) and is imported only when a
PNG or SVG is drawn; the figure is rendered with the Agg canvas into memory, then
written atomically. Layouts are seeded, and every graph handed to a layout is built
with its nodes and edges added in sorted order (:mod:`kg.network.layout`), so the same
graph gives the same picture in every process, whatever ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import math
from io import BytesIO
from pathlib import Path

from kg.errors import InputError
from kg.files import atomic_write
from kg.network.layout import kind_colours, layout

SUFFIXES = (".png", ".svg", ".html")
EDGE_LABEL_LIMIT = 60
NODE_LABEL_LIMIT = 1000


def check_suffix(path: Path | str) -> str:
    """The output type of ``path`` (``png``, ``svg``, ``html``); InputError for others."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"-o {path}: unknown picture type {suffix or '(none)'!r} "
                         f"(allowed: {', '.join(SUFFIXES)})")
    return suffix[1:]


# -- matplotlib pictures --------------------------------------------------------------------


def _matplotlib():
    try:
        import matplotlib
    except ImportError:
        raise InputError("PNG/SVG drawing needs matplotlib: pip install 'techauto-kg[draw]'") from None
    return matplotlib


def render_image(graph, fmt: str, title: str = "") -> bytes:
    """The network drawn as ``png`` or ``svg`` bytes."""
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = max(len(graph), 1)
    side = min(6 + 1.3 * math.sqrt(n), 40)
    with matplotlib.rc_context({"svg.hashsalt": "techauto-kg", "svg.fonttype": "none"}):
        figure = Figure(figsize=(side * 1.25, side), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0.01, 0.01, 0.78, 0.93))
        axes.set_axis_off()
        if title:
            figure.suptitle(title, fontsize=14)
        _draw_network(axes, graph, layout(graph))
        _draw_legend(figure, axes, graph)
        buffer = BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def _draw_network(axes, graph, pos) -> None:
    from matplotlib.collections import LineCollection

    colours = kind_colours(graph)
    segments = [(pos[u], pos[v]) for u, v in graph.edges()]
    axes.add_collection(LineCollection(segments, colors="#999999", linewidths=0.8, zorder=1))
    few = graph.number_of_edges() < EDGE_LABEL_LIMIT
    if few:
        _draw_edge_details(axes, graph, pos)
    size = 300 if len(graph) < 100 else max(20, 3000 / math.sqrt(len(graph)))
    for kind, colour in colours.items():
        nodes = [n for n, k in graph.nodes(data="kind") if k == kind]
        axes.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=size, c=colour,
                     edgecolors="white", linewidths=0.8, zorder=2, label=kind)
    if len(graph) <= NODE_LABEL_LIMIT:
        font = 9 if len(graph) < 100 else 7
        for node, label in graph.nodes(data="label"):
            axes.annotate(label, pos[node], xytext=(0, 7), textcoords="offset points", ha="center",
                          fontsize=font, zorder=3)
    axes.autoscale_view()
    axes.margins(0.12)


def _draw_edge_details(axes, graph, pos) -> None:
    """Arrowheads and property labels (for graphs with few edges)."""
    labels = {}
    for u, v, data in graph.edges(data=True):
        axes.annotate("", xy=pos[v], xytext=pos[u], zorder=1,
                      arrowprops={"arrowstyle": "-|>", "color": "#777777", "shrinkA": 9, "shrinkB": 9})
        labels.setdefault((u, v), []).append(data["property"])
    for (u, v), names in labels.items():
        middle = ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2)
        axes.annotate(", ".join(names), middle, ha="center", va="center", fontsize=7, color="#444444",
                      zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})


def _draw_legend(figure, axes, graph) -> None:
    handles, labels = axes.get_legend_handles_labels()
    legend = figure.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.8, 0.94), title="kind",
                           frameon=False, fontsize=11)
    for handle in legend.legend_handles:
        handle.set_sizes([80])


# -- writing files -------------------------------------------------------------------


def draw(kg, graph, path: Path | str, title: str = "") -> Path:
    """Write a picture of ``graph`` to ``path``; its suffix picks PNG, SVG or HTML."""
    fmt = check_suffix(path)
    if fmt == "html":
        from kg.network.html_view import render_html

        return atomic_write(path, render_html(kg, graph, title or "techauto-kg"))
    return atomic_write(path, render_image(graph, fmt, title))


def draw_neighbourhood(kg, entity_iri, radius: int, path: Path | str) -> Path:
    """Write a picture of the entities within ``radius`` steps of ``entity_iri``."""
    from kg.network.analysis import ego, node_of
    from kg.network.convert import nearby, to_networkx

    check_suffix(path)
    graph = to_networkx(kg, nodes=nearby(kg, entity_iri, radius))
    center = node_of(kg, graph, entity_iri.value)
    title = f"{graph.nodes[center]['label']} and its neighbourhood (radius {radius})"
    return draw(kg, ego(graph, center, radius), path, title)
