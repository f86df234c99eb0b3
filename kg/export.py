"""Exports of the graph in RDF formats, byte-stable for the same graph."""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg import canonical
from kg.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, bind_prefixes
from kg.store import merged

RDF_FORMATS = ("turtle", "nt", "jsonld", "xml", "trig")
NETWORK_FORMATS = ("graphml", "gexf", "node-link-json")
FORMATS = RDF_FORMATS + NETWORK_FORMATS
SUFFIXES = {
    "turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "xml": ".rdf", "trig": ".trig",
    "graphml": ".graphml", "gexf": ".gexf", "node-link-json": ".json",
}


def _sorted_copy(graph: Graph) -> Graph:
    """A copy with blank nodes named from content and triples inserted in sorted order."""
    stable = to_canonical_graph(graph)
    copy = Graph()
    bind_prefixes(copy)
    for triple in sorted(stable, key=lambda t: tuple(term.n3() for term in t)):
        copy.add(triple)
    return copy


def selected_dataset(kg, inferred: bool = False, ontology: bool = False) -> Dataset:
    """The graphs to export: asserted facts and provenance, plus inferences or ontology."""
    excluded = set()
    if not inferred:
        excluded.add(INFERRED_GRAPH)
    if not ontology:
        excluded.add(ONTOLOGY_GRAPH)
    return kg.select_graphs(lambda name, subject: name not in excluded)


def serialize(kg, fmt: str, inferred: bool = False, ontology: bool = False) -> bytes:
    """The graph in ``fmt``; the same graph always gives the same bytes."""
    if fmt in NETWORK_FORMATS:
        from kg import network
        from kg.errors import InputError

        if ontology:
            raise InputError("--ontology: network formats have no ontology nodes; leave it out")
        if inferred:
            kg.reason()
        return network.network_export(kg, fmt, inferred=inferred)
    if inferred and not len(kg.graph(INFERRED_GRAPH)):
        kg.reason()
    dataset = selected_dataset(kg, inferred, ontology)
    if fmt == "trig":
        return canonical.trig(dataset).encode("utf-8")
    graph = merged(dataset)
    if fmt == "turtle":
        return canonical.turtle(graph).encode("utf-8")
    stable = _sorted_copy(graph)
    if fmt == "nt":
        lines = sorted(stable.serialize(format="nt").splitlines())
        return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")
    if fmt == "jsonld":
        return _sorted_jsonld(stable.serialize(format="json-ld")).encode("utf-8")
    return _SortedGraph.of(stable).serialize(format="xml").encode("utf-8")


class _SortedGraph(Graph):
    """A graph whose subjects and their predicate-object pairs come out sorted."""

    @classmethod
    def of(cls, graph: Graph) -> "_SortedGraph":
        copy = cls()
        bind_prefixes(copy)
        for triple in graph:
            copy.add(triple)
        return copy

    def subjects(self, predicate=None, object=None, unique=False):
        return iter(sorted(set(super().subjects(predicate, object)), key=lambda t: t.n3()))

    def predicate_objects(self, subject=None, unique=False):
        pairs = set(super().predicate_objects(subject))
        return iter(sorted(pairs, key=lambda pair: (pair[0].n3(), pair[1].n3())))


def _sorted_jsonld(text: str) -> str:
    """JSON-LD with nodes sorted by ``@id`` and every value list sorted (rdflib uses sets)."""
    import json

    def order(value):
        if isinstance(value, list):
            items = [order(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(value, dict):
            return {k: order(v) for k, v in value.items()}
        return value

    return json.dumps(order(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
