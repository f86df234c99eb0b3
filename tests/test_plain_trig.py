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
