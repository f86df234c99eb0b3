"""The subject-by-subject TriG writer of kg import gives the bytes of canonical.trig."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef

from kg import resources
from kg.sources import canonical, plain_trig


def _parts(dataset: Dataset):
    default = list(dataset.default_context)
    graphs = {g.identifier: list(g) for g in dataset.graphs() if g.identifier != dataset.default_context.identifier}
    return default, graphs


@pytest.mark.parametrize("path", resources.fact_files(), ids=lambda p: p.name)
def test_every_shipped_facts_file_comes_out_byte_for_byte(path):
    dataset = Dataset()
    dataset.parse(path, format="trig")
    default, graphs = _parts(dataset)
    assert plain_trig.supports(default, graphs)
    text = plain_trig.trig(default, graphs)
    assert text == canonical.trig(dataset)
    assert text == path.read_text(encoding="utf-8")  # the shipped files are canonical


def test_references_order_subjects_and_several_objects_are_listed():
    a, b, p = URIRef("http://example.org/a"), URIRef("http://example.org/b"), URIRef("http://example.org/p")
    dataset = Dataset()
    graph = dataset.graph(URIRef("https://w3id.org/techauto/claim/x"))
    for triple in [(b, p, a), (a, p, Literal("z")), (a, p, Literal("y", lang="fr")), (a, p, Literal(3))]:
        graph.add(triple)
    default, graphs = _parts(dataset)
    text = plain_trig.trig(default, graphs)
    assert text == canonical.trig(dataset)
    assert text.index("    ns1:b\n") < text.index("    ns1:a\n")  # a is pointed to: it comes after
    assert '            3 ,\n            "z" ,\n            "y"@fr ;\n' in text  # rdflib's order of terms


def test_blank_nodes_are_left_to_rdflib():
    from rdflib import BNode

    assert not plain_trig.supports([(BNode(), URIRef("http://example.org/p"), Literal(1))], {})


def _store_of(dataset: Dataset):
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(dataset.serialize(format="nquads").encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _written(store, **options) -> str:
    import io

    out = io.BytesIO()
    plain_trig.write_store(store, out, **options)
    return out.getvalue().decode("utf-8")


@pytest.mark.parametrize("path", resources.fact_files(), ids=lambda p: p.name)
def test_the_streamed_writer_gives_the_shipped_files_byte_for_byte(path):
    dataset = Dataset()
    dataset.parse(path, format="trig")
    assert _written(_store_of(dataset)) == path.read_text(encoding="utf-8")


def test_a_graph_name_whose_prefix_nothing_else_uses_is_written_in_full():
    """canonical.trig writes a graph name with a prefix only when a statement used it:
    the streamed writer finds out at the end, and writes the body again."""
    dataset = Dataset()
    graph = dataset.graph(URIRef("https://w3id.org/techauto/claim/only-a-name"))
    graph.add((URIRef("https://w3id.org/techauto/id/xiaomi"), URIRef("https://w3id.org/techauto/ontology#amount"),
               Literal(300000)))
    text = _written(_store_of(dataset))
    assert text == canonical.trig(dataset)
    assert "<https://w3id.org/techauto/claim/only-a-name> {" in text
    assert "id:xiaomi\n        ta:amount 300000 ;" in text


def test_the_streamed_writer_takes_the_default_graph_from_a_named_one():
    """kg import stages the default graph's statements in kgg:default, with the merge of
    everything in the store's own default graph: the file is the same."""
    import pyoxigraph

    from kg.terms import ASSERTED_DEFAULT

    path = resources.facts_dir() / "xiaomi.trig"
    dataset = Dataset()
    dataset.parse(path, format="trig")
    store = pyoxigraph.Store()
    for quad in _store_of(dataset):
        graph = ASSERTED_DEFAULT if quad.graph_name == pyoxigraph.DefaultGraph() else quad.graph_name
        store.add(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, graph))
        store.add(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, pyoxigraph.DefaultGraph()))
    text = _written(store, default=ASSERTED_DEFAULT)
    assert text == path.read_text(encoding="utf-8")
    assert "300000" in text
