"""How the graph is laid out in an Oxigraph store.

- Every quad as loaded sits in a named graph: the claims' graphs, ``kgg:ontology``, and
  ``kgg:default`` for what a file puts in its default graph (the provenance: sources and
  the claims' descriptions). After reasoning, ``kgg:inferred`` holds the inferences.
- The store's own default graph is the *RDF merge* of every named graph but
  ``kgg:inferred``: each triple once, whichever graphs state it. SPARQL queries read it as
  their default graph, so that a triple two claims state counts once (an RDF graph is a
  set). Oxigraph's own union default graph (``use_default_graph_as_union``) counts such a
  triple once per graph (oxigraph/oxigraph#1919, fixed after 0.5.13), which would double
  ``COUNT`` and ``SUM`` and repeat rows: hence this materialised merge, kept up to date by
  :func:`settle` and :func:`merge`.
"""

from __future__ import annotations

import pyoxigraph

from kg.terms import ASSERTED_DEFAULT, DEFAULT_GRAPH, INFERRED_GRAPH

_MOVE_DEFAULT = f"INSERT {{ GRAPH <{ASSERTED_DEFAULT.value}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
_MERGE = f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{INFERRED_GRAPH.value}>) }}"
_MERGE_ALL = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
"""The merge when there is no ``kgg:inferred`` (as after loading): no filter, 20% faster at 1M quads."""


def settle(store: pyoxigraph.Store) -> None:
    """In a store just filled by parsers: move what they put in the default graph into
    ``kgg:default``, then make the default graph the merge of every named graph."""
    store.update(_MOVE_DEFAULT)
    store.update("CLEAR DEFAULT")
    merge(store)


def merge(store: pyoxigraph.Store) -> None:
    """(Re)make the default graph the merge of every named graph but ``kgg:inferred``."""
    store.update(_MERGE if store.contains_named_graph(INFERRED_GRAPH) else _MERGE_ALL)


def stored(quad: pyoxigraph.Quad) -> pyoxigraph.Quad:
    """A quad as the store keeps it: the default graph's quads in ``kgg:default``."""
    if quad.graph_name == DEFAULT_GRAPH:
        return pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, ASSERTED_DEFAULT)
    return quad


def as_loaded(quad: pyoxigraph.Quad) -> pyoxigraph.Quad:
    """A stored quad as it was loaded: ``kgg:default`` back in the default graph."""
    if quad.graph_name == ASSERTED_DEFAULT:
        return pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, DEFAULT_GRAPH)
    return quad


def query_dataset(store: pyoxigraph.Store, inferred: bool, has_inferences: bool) -> dict:
    """The dataset options of a query: the merge as default graph (and ``kgg:inferred``
    with it when ``inferred``); without ``inferred``, ``kgg:inferred`` is hidden from
    ``GRAPH`` patterns too."""
    if inferred:
        return {"default_graph": [DEFAULT_GRAPH, INFERRED_GRAPH]}
    options = {"default_graph": DEFAULT_GRAPH}
    if has_inferences:
        options["named_graphs"] = [g for g in store.named_graphs() if g != INFERRED_GRAPH]
    return options
