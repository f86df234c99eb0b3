"""The interactive HTML view: one self-contained file (inline CSS and JavaScript, SVG).

Positions come from the seeded layout of :mod:`kg.network.layout`, computed in Python and
embedded as JSON with each node's facts and their sources. The page loads nothing:
its Content-Security-Policy forbids every network load. Drag the background to pan,
use the wheel to zoom, click a node (or focus it and press Enter) to see its facts.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from functools import lru_cache

from kg.network.layout import kind_colours, layout
from kg.terms import Literal, NamedNode

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

_FACTS_QUERY = """
SELECT ?s ?p ?o ?claim ?stated ?source ?sourceLabel ?web WHERE {
  VALUES ?node { __NODES__ }
  { GRAPH ?claim { ?node ?p ?o } BIND(?node AS ?s) } UNION { GRAPH ?claim { ?s ?p ?node } BIND(?node AS ?o) }
  ?claim prov:wasDerivedFrom ?source .
  OPTIONAL { ?claim ta:statedOn ?stated }
  OPTIONAL { ?source rdfs:label ?sourceLabel FILTER(langMatches(lang(?sourceLabel), "en")) }
  OPTIONAL { ?source ta:webLocation ?web }
}"""

_INVERSES_QUERY = """
SELECT ?p ?q WHERE { GRAPH kgg:ontology {
  { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } UNION { ?p a owl:SymmetricProperty BIND(?p AS ?q) }
} }"""


def node_facts(kg, graph) -> dict[str, list[dict]]:
    """For each node, its facts (``property``, ``value``) with their ``sources``.

    A statement about the node as object is shown from the node's side: with the
    inverse property when the ontology has one, else as ``← property``.
    """
    inverse = {p: q for p, q in kg.query(_INVERSES_QUERY)}
    name = lru_cache(maxsize=None)(
        lambda term: graph.nodes[term.value]["label"] if term.value in graph else kg.label(term))
    facts = defaultdict(lambda: defaultdict(dict))
    nodes = " ".join(f"<{node}>" for node in sorted(graph)) if len(graph) else "UNDEF"
    seen = set()
    for row in kg.query(_FACTS_QUERY.replace("__NODES__", nodes)):
        s, p, o, claim, stated, source, source_label, web = row
        if (s, p, o, claim, source) in seen:  # a statement about two nodes of the view comes twice
            continue
        seen.add((s, p, o, claim, source))
        sides = []
        if s.value in graph:
            sides.append((s.value, name(p), o.value if isinstance(o, Literal) else name(o)))
        if isinstance(o, NamedNode) and o.value in graph:
            sides.append((o.value, name(inverse[p]) if p in inverse else f"← {name(p)}", name(s)))
        for node, prop, value in sides:
            facts[node][(prop, value)][(claim.value, source.value)] = {
                "source": source_label.value if source_label is not None else name(source),
                "web": web.value if web is not None else "", "stated": stated.value if stated is not None else "",
            }
    return {
        node: [{"property": prop, "value": value,
                "sources": sorted(found.values(), key=lambda s: (s["stated"], s["source"], s["web"]))}
               for (prop, value), found in sorted(by_fact.items())]
        for node, by_fact in sorted(facts.items())
    }


def _view_data(kg, graph, title: str) -> dict:
    positions = layout(graph)
    nodes = sorted(graph.nodes(data=True), key=lambda item: item[0])
    index = {node: i for i, (node, _) in enumerate(nodes)}
    return {
        "title": title,
        "colours": kind_colours(graph),
        "nodes": [{"iri": node, "label": data["label"], "kind": data["kind"],
                   "x": round(positions[node][0], 5), "y": round(positions[node][1], 5)}
                  for node, data in nodes],
        "edges": [[index[u], index[v], data["property"]] for u, v, data in sorted(
            graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["property"]))],
        "facts": node_facts(kg, graph),
    }


def _script_json(data: dict) -> str:
    """JSON that is safe inside a <script> element: ``<``, ``>`` and ``&`` are escaped,
    so no text (``</script>``, ``<!--``) can end the element or change how it is read."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(kg, graph, title: str = "techauto-kg") -> str:
    """The self-contained HTML page showing ``graph`` (a network of ``kg``).

    The placeholders of the page are filled in one pass, so a label or title that
    contains ``__JS__`` (or any other placeholder) stays text.
    """
    values = {"CSP": CSP, "TITLE": html.escape(title), "CSS": _CSS,
              "DATA": _script_json(_view_data(kg, graph, title)), "JS": _JS}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], _PAGE)


_PLACEHOLDER = re.compile(r"__(CSP|TITLE|CSS|DATA|JS)__")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>__CSS__</style>
</head>
<body>
<header><h1>__TITLE__</h1><span class="hint">drag to pan · wheel to zoom · click a node for its facts and sources</span></header>
<main>
<svg id="view" aria-label="network of entities"><g id="viewport"><g id="edges"></g><g id="nodes"></g></g></svg>
<aside id="panel"><p class="empty">Click a node to see its facts and their sources.</p></aside>
</main>
<div id="legend"></div>
<script type="application/json" id="graph-data">__DATA__</script>
<script>__JS__</script>
</body>
</html>
"""

_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 6px 12px; border-bottom: 1px solid #ddd; display: flex; gap: 16px; align-items: baseline; }
h1 { font-size: 16px; margin: 0; }
.hint { color: #666; font-size: 12px; }
main { flex: 1; display: flex; min-height: 0; }
#view { flex: 1; height: 100%; cursor: grab; background: #fcfcfc; touch-action: none; }
#view.dragging { cursor: grabbing; }
#panel { width: 380px; overflow: auto; padding: 10px 14px; border-left: 1px solid #ddd; }
#panel h2 { font-size: 16px; margin: 4px 0; }
#panel .kind { color: #555; margin: 0; }
#panel .iri { font: 11px monospace; color: #777; word-break: break-all; }
#panel ul.facts { padding-left: 16px; }
#panel ul.facts > li { margin: 6px 0; }
#panel .property { font-weight: 600; }
#panel ul.sources { padding-left: 14px; margin: 2px 0; color: #555; font-size: 12px; }
.empty { color: #777; }
.edge { stroke: #aaa; stroke-width: 1; }
.edge.near { stroke: #333; stroke-width: 2; }
.node { cursor: pointer; }
.node circle { stroke: #fff; stroke-width: 1.5; }
.node.selected circle { stroke: #000; stroke-width: 3; }
.node:focus { outline: none; }
.node:focus circle { stroke: #000; }
.node text { font-size: 11px; pointer-events: none; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
#legend { position: fixed; left: 10px; bottom: 10px; background: rgba(255,255,255,.9); padding: 6px 10px;
  border: 1px solid #ddd; border-radius: 4px; font-size: 12px; max-height: 40vh; overflow: auto; }
#legend div { display: flex; align-items: center; gap: 6px; }
#legend span.swatch { width: 12px; height: 12px; border-radius: 50%; display: inline-block; }
"""

_JS = r"""
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("view");
  var viewport = document.getElementById("viewport");
  var panel = document.getElementById("panel");
  var scale = 120 + 60 * Math.sqrt(data.nodes.length);
  var showLabels = data.nodes.length <= 400;
  var view = { x: 0, y: 0, k: 1 };
  var elements = [], edgeElements = [];

  function make(tag, attrs, parent) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) { el.setAttribute(name, attrs[name]); });
    if (parent) { parent.appendChild(el); }
    return el;
  }
  function px(node) { return node.x * scale; }
  function py(node) { return -node.y * scale; }
  function apply() {
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }

  data.edges.forEach(function (edge) {
    var a = data.nodes[edge[0]], b = data.nodes[edge[1]];
    var line = make("line", { "class": "edge", x1: px(a), y1: py(a), x2: px(b), y2: py(b) },
                    document.getElementById("edges"));
    make("title", {}, line).textContent = a.label + " \u2014" + edge[2] + "\u2192 " + b.label;
    edgeElements.push({ el: line, a: edge[0], b: edge[1] });
  });

  data.nodes.forEach(function (node, i) {
    var g = make("g", { "class": "node", "data-iri": node.iri, id: "node-" + i, tabindex: "0",
                        role: "button", "aria-label": node.label + " (" + node.kind + ")",
                        transform: "translate(" + px(node) + "," + py(node) + ")" },
                 document.getElementById("nodes"));
    make("circle", { r: 7, fill: data.colours[node.kind] }, g);
    if (showLabels) { make("text", { x: 9, y: 4 }, g).textContent = node.label; }
    make("title", {}, g).textContent = node.label + " (" + node.kind + ")";
    g.addEventListener("click", function () { select(i); });
    g.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(i); }
    });
    elements.push(g);
  });

  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined) { el.textContent = text; }
    if (cls) { el.className = cls; }
    parent.appendChild(el);
    return el;
  }

  function select(i) {
    var node = data.nodes[i];
    elements.forEach(function (el, j) { el.classList.toggle("selected", j === i); });
    edgeElements.forEach(function (e) { e.el.classList.toggle("near", e.a === i || e.b === i); });
    panel.textContent = "";
    add(panel, "h2", node.label);
    add(panel, "p", node.kind, "kind");
    add(panel, "p", node.iri, "iri");
    var facts = data.facts[node.iri] || [];
    if (!facts.length) { add(panel, "p", "No sourced facts.", "empty"); }
    var list = add(panel, "ul", undefined, "facts");
    facts.forEach(function (fact) {
      var item = add(list, "li", undefined, "fact");
      add(item, "span", fact.property, "property");
      add(item, "span", ": " + fact.value, "value");
      var sources = add(item, "ul", undefined, "sources");
      fact.sources.forEach(function (s) {
        var text = "source: " + s.source + (s.web ? " \u2014 " + s.web : "") +
                   (s.stated ? " (stated " + s.stated + ")" : "");
        add(sources, "li", text, "source");
      });
    });
  }

  function fit() {
    var box = svg.getBoundingClientRect();
    var xs = data.nodes.map(px), ys = data.nodes.map(py);
    if (!xs.length) { return; }
    var minX = Math.min.apply(null, xs) - 40, maxX = Math.max.apply(null, xs) + 160;
    var minY = Math.min.apply(null, ys) - 40, maxY = Math.max.apply(null, ys) + 40;
    view.k = Math.min(box.width / (maxX - minX), box.height / (maxY - minY), 2);
    view.x = (box.width - (maxX - minX) * view.k) / 2 - minX * view.k;
    view.y = (box.height - (maxY - minY) * view.k) / 2 - minY * view.k;
    apply();
  }

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest(".node")) { return; }
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    svg.classList.add("dragging");
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    view.x = drag.vx + event.clientX - drag.x;
    view.y = drag.vy + event.clientY - drag.y;
    apply();
  });
  function stop() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var box = svg.getBoundingClientRect();
    var mx = event.clientX - box.left, my = event.clientY - box.top;
    var factor = Math.exp(-event.deltaY * 0.0015);
    var k = Math.max(0.05, Math.min(20, view.k * factor));
    view.x = mx - (mx - view.x) * (k / view.k);
    view.y = my - (my - view.y) * (k / view.k);
    view.k = k;
    apply();
  }, { passive: false });

  var legend = document.getElementById("legend");
  add(legend, "strong", "kind");
  Object.keys(data.colours).forEach(function (kind) {
    var row = add(legend, "div");
    add(row, "span", undefined, "swatch").style.background = data.colours[kind];
    add(row, "span", kind);
  });

  fit();
  window.addEventListener("resize", fit);
})();
"""
