"""The network (:func:`kg.network.convert.to_networkx`) for graph tools: GraphML, GEXF
and node-link JSON, byte-stable for the same graph."""

from __future__ import annotations

import json
from io import BytesIO

from kg.errors import InputError
from kg.network.convert import to_networkx

EXPORT_FORMATS = ("graphml", "gexf", "node-link-json")


def network_export(kg, fmt: str, inferred: bool = False) -> bytes:
    """The network of ``kg`` as GraphML, GEXF or node-link JSON; same graph, same bytes.

    With ``inferred``, triples of ``kgg:inferred`` count too (see :func:`to_networkx`).
    """
    writers = {"graphml": _graphml, "gexf": _gexf, "node-link-json": _node_link_json}
    if fmt not in writers:
        raise InputError(f"unknown network format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    return writers[fmt](to_networkx(kg, inferred=inferred))


def _graphml(graph) -> bytes:
    import networkx as nx

    buffer = BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    return buffer.getvalue()


def _gexf(graph) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(graph)
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)  # today's date would change the bytes
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _node_link_json(graph) -> bytes:
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

