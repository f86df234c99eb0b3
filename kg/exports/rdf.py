"""Exports of the graph in RDF formats: streamed from the store, byte-stable.

The chosen graphs are read from Oxigraph one graph at a time as N-Triples, blank nodes
are given their RDFC-1.0 canonical names (W3C RDF Dataset Canonicalization) when there
are any, and the lines are sorted: that is the canonical N-Quads / N-Triples. TriG,
Turtle, JSON-LD and RDF/XML are written by Oxigraph's serializers from those sorted
statements, with the project's prefixes, so the same graph always gives the same bytes.

- ``trig``, ``nquads`` and ``jsonld`` keep the graphs: one named graph per claim, the
  provenance in the default graph (JSON-LD with a ``@context`` of the project's prefixes);
- ``turtle``, ``nt`` and ``xml`` merge them into one graph of distinct triples.

The asserted facts and their provenance by default; ``inferred`` adds ``kgg:inferred``,
``ontology`` the ontology graph.

``server`` (``kg export --for-server``, and what ``kg push`` sends) writes the dataset as
kg's store lays it out (:mod:`kg.store.layout`), for a SPARQL server: the default graph
is the RDF merge of every graph (facts, provenance and ontology, each triple once), and
the named graphs are each claim, ``kgg:ontology`` and ``kgg:default`` (the provenance, the
plain export's default graph). Loaded into a server whose default graph is the file's,
the shipped questions run unchanged and give kg's answers.
"""

from __future__ import annotations

import json

import pyoxigraph

from kg import namespaces, progress
from kg.terms import ASSERTED_DEFAULT, DEFAULT_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

RDF_FORMATS = ("turtle", "nt", "nquads", "jsonld", "xml", "trig")
DATASET_FORMATS = ("trig", "nquads", "jsonld")
NETWORK_FORMATS = ("graphml", "gexf", "node-link-json")
FORMATS = RDF_FORMATS + NETWORK_FORMATS
SUFFIXES = {
    "turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "jsonld": ".jsonld", "xml": ".rdf", "trig": ".trig",
    "graphml": ".graphml", "gexf": ".gexf", "node-link-json": ".json",
}
MEDIA_TYPES = {
    "turtle": "text/turtle", "nt": "application/n-triples", "nquads": "application/n-quads",
    "jsonld": "application/ld+json", "xml": "application/rdf+xml", "trig": "application/trig",
}
_WRITERS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE, "trig": pyoxigraph.RdfFormat.TRIG,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD, "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _graphs(kg, inferred: bool, ontology: bool) -> list[tuple[object, object]]:
    """(store, stored graph name) of every graph to export, the default graph (which the
    store keeps as ``kgg:default``, :mod:`kg.store.layout`) first, then by name."""
    chosen = [(kg.store, ASSERTED_DEFAULT)]
    chosen += [(kg.store, g) for g in kg.graph_names() if g != ONTOLOGY_GRAPH or ontology]
    if inferred:
        if not kg.has_inferences:
            kg.reason()
        chosen.append((kg.reasoned, INFERRED_GRAPH))
        chosen.sort(key=lambda item: "" if item[1] == ASSERTED_DEFAULT else item[1].value)
    return chosen


def canonical_groups(kg, inferred: bool = False, ontology: bool = False) -> dict[str, list[bytes]]:
    """The chosen graphs' N-Triples lines (blank nodes named by RDFC-1.0), by graph IRI
    (``""`` for the default graph), unsorted."""
    chosen = _graphs(kg, inferred, ontology)
    groups: dict[str, list[bytes]] = {}
    with progress.phase("reading the graphs", total=len(chosen), unit="graphs") as step:
        for store, graph in chosen:
            key = "" if graph == ASSERTED_DEFAULT else graph.value
            groups.setdefault(key, []).extend(
                store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph).splitlines())
            step.advance()
    if any(b"_:" in line for lines in groups.values() for line in lines):
        groups = _with_canonical_blank_nodes(groups)
    return groups


def server_groups(kg, inferred: bool = False) -> dict[str, list[bytes]]:
    """The graphs of the server layout (see the module's docstring), by graph IRI
    (``""`` for the default graph: the merge, of everything but ``kgg:inferred``), each
    sorted, every triple once."""
    groups = canonical_groups(kg, inferred, ontology=True)
    provenance = groups.pop("", [])
    asserted = [lines for key, lines in groups.items() if key != INFERRED_GRAPH.value]
    merged = sorted({line for lines in [provenance, *asserted] for line in lines})
    named = {key: sorted(set(lines)) for key, lines in groups.items()}
    named[ASSERTED_DEFAULT.value] = sorted(set(provenance))
    return {"": merged, **dict(sorted(named.items()))}


def canonical_lines(kg, inferred: bool = False, ontology: bool = False, *, merge: bool = False,
                    server: bool = False) -> list[bytes]:
    """The chosen graphs as canonical N-Quads lines, grouped by graph (the default graph
    first, then by name) and sorted within each; with ``merge``, N-Triples lines: graph
    names dropped, each triple once, sorted; with ``server``, the server layout."""
    groups = server_groups(kg, inferred) if server else canonical_groups(kg, inferred, ontology)
    with progress.phase("sorting"):
        if merge:
            return sorted({line for lines in groups.values() for line in lines})
        out = []
        for key in sorted(groups):
            tail = f" <{key}> .".encode() if key else b" ."
            out += [line[:-2] + tail for line in sorted(set(groups[key]))]
        return out


def _with_canonical_blank_nodes(groups: dict[str, list[bytes]]) -> dict[str, list[bytes]]:
    """The groups with blank nodes renamed by RDFC-1.0 (``_:c14n0`` ...)."""
    with progress.phase("naming blank nodes (RDFC-1.0)"):
        text = b"".join(line[:-2] + (f" <{key}> .\n".encode() if key else b" .\n")
                        for key, lines in groups.items() for line in lines)
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_QUADS))
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        renamed: dict[str, list[bytes]] = {key: [] for key in groups}
        for quad in dataset:
            key = "" if quad.graph_name == DEFAULT_GRAPH else quad.graph_name.value
            renamed[key].append(f"{quad.triple} .".encode())
    return renamed


def serialize(kg, fmt: str, inferred: bool = False, ontology: bool = False, server: bool = False) -> bytes:
    """The graph in ``fmt``; the same graph always gives the same bytes. ``server``: the
    server layout (a dataset format only; the ontology always in it)."""
    if fmt in NETWORK_FORMATS:
        from kg.errors import InputError
        from kg.exports import network

        if ontology:
            raise InputError("--ontology: network formats have no ontology nodes; leave it out")
        if inferred and not kg.has_inferences:
            kg.reason()
        return network.network_export(kg, fmt, inferred=inferred)
    merge = fmt not in DATASET_FORMATS
    if server and merge:
        from kg.errors import InputError

        raise InputError(f"--for-server: {fmt} holds one graph; use trig, nquads or jsonld")
    lines = canonical_lines(kg, inferred, ontology, merge=merge, server=server)
    text = b"".join(line + b"\n" for line in lines)
    if fmt in ("nt", "nquads"):
        return text
    with progress.phase(f"writing {fmt}"):
        parsed = pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES if merge else pyoxigraph.RdfFormat.N_QUADS)
        data = pyoxigraph.serialize(parsed, format=_WRITERS[fmt], prefixes=_prefixes())
    if fmt == "jsonld":
        return with_context(data)
    return _sorted_prologue(data) if fmt in ("turtle", "trig") else data


def _prefixes() -> dict[str, str]:
    return dict(sorted(namespaces.PREFIXES.items()))


def _sorted_prologue(data: bytes) -> bytes:
    """Turtle or TriG with its ``@prefix`` lines in alphabetical order, whatever order
    the writer chose."""
    lines = data.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    return b"\n".join(sorted(lines[:count]) + lines[count:])


# -- JSON-LD with a context ----------------------------------------------------------------


def with_context(data: bytes) -> bytes:
    """Oxigraph's expanded JSON-LD with a ``@context`` of the project's prefixes, and the
    IRIs of keys, ``@id`` and ``@type`` written as compact IRIs (``ta:amount``) where a
    prefix covers them; the order of nodes and values is kept."""
    document = json.loads(data)
    compact = _compact_iri

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in ("@id", "@type") and isinstance(value, str):
                out[key] = compact(value)
            elif key == "@type" and isinstance(value, list):
                out[key] = [compact(v) if isinstance(v, str) else v for v in value]
            elif key.startswith("@"):
                out[key] = walk(value)
            else:
                out[compact(key)] = walk(value)
        return out

    context = {prefix: iri for prefix, iri in sorted(namespaces.PREFIXES.items())}
    body = walk(document)
    framed = {"@context": context, "@graph": body if isinstance(body, list) else [body]}
    return (json.dumps(framed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _compact_iri(iri: str) -> str:
    if iri.startswith("_:") or iri.startswith("@"):
        return iri
    name = namespaces.prefixed(iri)
    if name is None or name.split(":", 1)[1].startswith("//"):
        return iri
    return name
