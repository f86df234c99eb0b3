"""Several exports from one read of the store (``kg build`` writes four from one
:class:`kg.exports.rdf.Snapshot`) give the same bytes as each export reading the store
on its own, blank nodes included (their RDFC-1.0 names depend on what each export holds)."""

from __future__ import annotations

import pytest

from kg import resources
from kg.exports import rdf
from kg.namespaces import INFERRED_GRAPH_IRI, TA_IRI
from kg.store import KnowledgeGraph

BLANK_NODES = """@prefix ex: <http://example.org/> .
ex:a ex:p [ ex:q "x" ; ex:r [ ex:s 1 ] ] .
_:z ex:t ex:b .
ex:g1 { ex:a ex:p _:y . _:y ex:q "y" . ex:b ex:p ex:c . }
ex:g2 { _:y ex:q "y2" . ex:c ex:p "a literal with <x> and _:b in it" . }
"""
CHOICES = [(fmt, inferred, ontology, False) for fmt in rdf.RDF_FORMATS for inferred in (False, True)
           for ontology in (False, True)]
CHOICES += [(fmt, inferred, False, True) for fmt in rdf.DATASET_FORMATS for inferred in (False, True)]


@pytest.fixture(scope="module", params=["shipped", "blank nodes"])
def reasoned(request, tmp_path_factory):
    data = None
    if request.param == "blank nodes":
        path = tmp_path_factory.mktemp("blank") / "blank.trig"
        path.write_text(BLANK_NODES, encoding="utf-8")
        data = [*resources.fact_files(), path]  # the shipped facts and blank nodes
    kg = KnowledgeGraph.load(data=data)
    kg.reason()
    return kg


def test_one_snapshot_gives_the_bytes_of_separate_reads(reasoned):
    snapshot = rdf.Snapshot(reasoned)
    shared = {choice: rdf.serialize(reasoned, choice[0], choice[1], choice[2], server=choice[3], snapshot=snapshot)
              for choice in CHOICES}
    for choice in CHOICES:
        alone = rdf.serialize(reasoned, choice[0], choice[1], choice[2], server=choice[3])
        assert shared[choice] == alone, choice


def test_the_snapshot_merges_facts_ontology_and_inferences(reasoned):
    snapshot = rdf.Snapshot(reasoned)
    facts = snapshot.merged()
    everything = snapshot.merged(inferred=True, ontology=True)
    assert facts == sorted(set(facts))
    named_only = {line for line in facts if b"_:" not in line}  # blank nodes are named per export
    assert named_only < set(everything)
    ontology_line = f"<{TA_IRI}Company> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ".encode()
    assert not any(line.startswith(ontology_line) for line in facts)
    assert any(line.startswith(ontology_line) for line in everything)
    inferred = snapshot.groups(inferred=True)[INFERRED_GRAPH_IRI]
    assert inferred and set(inferred) <= set(everything)
