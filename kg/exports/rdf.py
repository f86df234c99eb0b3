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

import itertools
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


class Snapshot:
    """The store's graphs read once, for several exports in a row (``kg build`` writes
    four): each graph's N-Triples lines, sorted, every line once, by graph IRI (``""``
    for the default graph, which the store keeps as ``kgg:default``, :mod:`kg.store.layout`).

    Blank nodes get their RDFC-1.0 names per export (:meth:`groups`), from the quads of
    the graphs that export holds: a name depends on the whole dataset it is named in.
    Valid while the graph does not change; ``kgg:inferred`` is read when first asked for.
    """

    def __init__(self, kg):
        self._kg = kg
        self._plain: dict[str, list[bytes]] = {}
        """Each graph's lines without a blank node, sorted, each once."""
        self._blank: dict[str, list[bytes]] = {}
        """Each graph's lines with a blank node, as read."""
        self._facts: list[bytes] | None = None
        """The merge of every graph but the ontology and the inferences (:meth:`merged`)."""
        chosen = [ASSERTED_DEFAULT, *kg.graph_names()]
        with progress.phase("reading the graphs", total=len(chosen), unit="graphs") as step:
            for graph in chosen:
                self._read(kg.store, graph)
                step.advance()

    def _read(self, store, graph) -> None:
        key = "" if graph == ASSERTED_DEFAULT else graph.value
        lines = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph).splitlines()
        if b"_:" in b"".join(lines):
            self._blank[key] = [line for line in lines if b"_:" in line]
            lines = [line for line in lines if b"_:" not in line]
        self._plain[key] = sorted(set(lines))

    def groups(self, inferred: bool = False, ontology: bool = False) -> dict[str, list[bytes]]:
        """The chosen graphs' lines, blank nodes named by RDFC-1.0, each graph sorted and
        every line once, in order of graph IRI (the default graph first)."""
        if inferred and INFERRED_GRAPH.value not in self._plain:
            if not self._kg.has_inferences:
                self._kg.reason()
            self._read(self._kg.reasoned, INFERRED_GRAPH)
        keys = sorted(key for key in self._plain if (ontology or key != ONTOLOGY_GRAPH.value)
                      and (inferred or key != INFERRED_GRAPH.value))
        groups = {key: self._plain[key] for key in keys}
        blank = {key: self._blank[key] for key in keys if key in self._blank}
        if blank:
            for key, lines in _with_canonical_blank_nodes(blank).items():
                groups[key] = sorted(set(groups[key]).union(lines))
        return groups

    def merged(self, inferred: bool = False, ontology: bool = False, exclude: tuple[str, ...] = ()) -> list[bytes]:
        """The lines of the chosen graphs (but those named in ``exclude``), blank nodes
        named as in :meth:`groups`, sorted, every line once. The facts' merge is made
        once and the ontology and inferences merged into it (when there are no blank nodes)."""
        groups = self.groups(inferred, ontology)
        chosen = [key for key in groups if key not in exclude]
        if self._blank:
            return _merge(groups[key] for key in chosen)
        extra = (ONTOLOGY_GRAPH.value, INFERRED_GRAPH.value)
        if self._facts is None:
            self._facts = _merge(lines for key, lines in groups.items() if key not in extra)
        return _merge_sorted(self._facts, *(groups[key] for key in extra if key in chosen))


def server_groups(kg, inferred: bool = False, snapshot: Snapshot | None = None) -> dict[str, list[bytes]]:
    """The graphs of the server layout (see the module's docstring), by graph IRI
    (``""`` for the default graph: the merge, of everything but ``kgg:inferred``), each
    sorted, every triple once."""
    snapshot = snapshot or Snapshot(kg)
    groups = snapshot.groups(inferred, ontology=True)
    merged = snapshot.merged(inferred, ontology=True, exclude=(INFERRED_GRAPH.value,))
    provenance = groups.pop("", [])
    return {"": merged, **dict(sorted({**groups, ASSERTED_DEFAULT.value: provenance}.items()))}


def _merge(groups) -> list[bytes]:
    """The lines of ``groups``, sorted, every line once."""
    return sorted({line for lines in groups for line in lines})


def _merge_sorted(*runs: list[bytes]) -> list[bytes]:
    """The lines of sorted ``runs``, sorted, every line once (Python's sort merges runs
    in linear time)."""
    if len(runs) == 1:
        return runs[0]
    return [line for line, _ in itertools.groupby(sorted(itertools.chain(*runs)))]


def canonical_text(kg, inferred: bool = False, ontology: bool = False, *, merge: bool = False,
                   server: bool = False, snapshot: Snapshot | None = None) -> bytes:
    """The chosen graphs as canonical N-Quads, grouped by graph (the default graph first,
    then by name) and sorted within each; with ``merge``, N-Triples: graph names dropped,
    each triple once, sorted; with ``server``, the server layout."""
    snapshot = snapshot or Snapshot(kg)
    with progress.phase("sorting"):
        if merge:
            return _text(snapshot.merged(inferred, ontology))
        if server:
            groups = server_groups(kg, inferred, snapshot)
        else:
            groups = snapshot.groups(inferred, ontology)
        return b"".join(_text(lines, f" <{key}> .".encode() if key else None) for key, lines in groups.items())


def _text(lines: list[bytes], tail: bytes | None = None) -> bytes:
    """N-Triples lines as text, each ending `` .`` replaced by ``tail`` (a graph name)."""
    if not lines:
        return b""
    if tail is not None:
        return b"".join(line[:-2] + tail + b"\n" for line in lines)
    return b"\n".join(lines) + b"\n"


def _with_canonical_blank_nodes(groups: dict[str, list[bytes]]) -> dict[str, list[bytes]]:
    """The lines of ``groups`` (each mentioning a blank node) with their blank nodes named
    by RDFC-1.0 (``_:c14n0`` ...), by graph.

    Only the quads that mention a blank node go through the algorithm: RDFC-1.0 names
    each blank node from the quads that mention it, so the others cannot change a name
    (and the ontology's few lists no longer cost a pass over a million quads)."""
    with progress.phase("naming blank nodes (RDFC-1.0)"):
        renamed: dict[str, list[bytes]] = {key: [] for key in groups}
        quads = b"".join(_text(lines, f" <{key}> .".encode() if key else None) for key, lines in groups.items())
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(quads, format=pyoxigraph.RdfFormat.N_QUADS))
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        for quad in dataset:
            key = "" if quad.graph_name == DEFAULT_GRAPH else quad.graph_name.value
            renamed[key].append(f"{quad.triple} .".encode())
    return renamed


def serialize(kg, fmt: str, inferred: bool = False, ontology: bool = False, server: bool = False,
              snapshot: Snapshot | None = None) -> bytes:
    """The graph in ``fmt``; the same graph always gives the same bytes. ``server``: the
    server layout (a dataset format only; the ontology always in it). ``snapshot``: the
    graphs as already read (:class:`Snapshot`), for several exports in a row."""
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
    text = canonical_text(kg, inferred, ontology, merge=merge, server=server, snapshot=snapshot)
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
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.find(b"\n", end) + 1 or len(data)
    head, newline = (data[:end - 1], b"\n") if data[:end].endswith(b"\n") else (data[:end], b"")
    return b"\n".join(sorted(head.split(b"\n"))) + newline + data[end:] if end else data


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
