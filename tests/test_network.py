"""The network view of the graph (kg.network): what becomes a node or an edge, and exports
that load back into NetworkX unchanged."""

from __future__ import annotations

import json
from io import BytesIO

import networkx as nx
import pytest

from kg.namespaces import ID, TA
from kg.exports.network import EXPORT_FORMATS, network_export
from kg.network.convert import to_networkx

XIAOMI, PLANT, BEIJING = str(ID["xiaomi"]), str(ID["xiaomi-beijing-plant"]), str(ID["beijing"])


@pytest.fixture(scope="module")
def network(shipped_kg):
    return to_networkx(shipped_kg)


def _edges(graph) -> set[tuple[str, str, str]]:
    return {(u, v, data["property"]) for u, v, data in graph.edges(data=True)}


def test_nodes_are_the_id_entities_that_have_an_ontology_class(shipped_kg, network):
    query = """SELECT DISTINCT ?e WHERE {
      ?e a ?class . GRAPH kgg:ontology { ?class a owl:Class }
      FILTER(STRSTARTS(STR(?e), STR(id:))) }"""
    entities = {row.e.value for row in shipped_kg.query(query)}
    assert len(entities) > 30
    assert set(network) == entities
    assert network.number_of_nodes() == len(entities)


def test_no_class_concept_source_claim_or_literal_is_a_node(network):
    assert all(node.startswith(str(ID)) for node in network)
    assert not any(node.startswith(str(TA)) for node in network)
    assert str(TA.OwnBrandRoute) not in network and "300000" not in network


def test_nodes_carry_labels_kind_and_literal_values(network):
    assert network.nodes[XIAOMI]["label"] == "Xiaomi"
    assert network.nodes[XIAOMI]["kind"] == "technology company"
    assert str(TA.Company) in network.nodes[XIAOMI]["classes"].split()
    assert network.nodes[PLANT]["kind"] == "manufacturing plant"
    assert network.nodes[PLANT]["plannedAnnualCapacity"] == 300000
    assert network.nodes[BEIJING]["label_fr"] == "Pékin"


def test_named_edges_carry_the_property_label_and_iri(network):
    operates = network.get_edge_data(XIAOMI, PLANT)["operates"]
    assert operates == {"property": "operates", "iri": str(TA.operates)}
    assert network.get_edge_data(PLANT, BEIJING)["locatedIn"]["property"] == "located in"
    assert network.has_edge(PLANT, str(ID["beijing-e-town"]), "locatedIn")
    for phase in ("xiaomi-beijing-plant-phase-1", "xiaomi-beijing-plant-phase-2"):
        assert network.get_edge_data(PLANT, str(ID[phase]))["hasPhase"]["property"] == "has phase"
    commitment = str(ID["xiaomi-car-investment-commitment"])
    assert network.get_edge_data(commitment, XIAOMI)["hasInvestor"]["property"] == "has investor"


def test_each_inverse_pair_keeps_one_direction_and_symmetric_edges_one_per_pair(shipped_kg, network):
    used = {data["iri"] for _, _, data in network.edges(data=True)}
    pairs = {tuple(sorted((str(p), str(q)))) for p, q in shipped_kg.query(
        "SELECT ?p ?q WHERE { GRAPH kgg:ontology { ?p owl:inverseOf ?q } }")}
    assert len(pairs) >= 10
    assert all(not (p in used and q in used) for p, q in pairs)
    assert str(TA.isOperatedBy) not in used and str(TA.operates) in used
    partners = [(u, v) for u, v, key in network.edges(keys=True) if key == "isPartnerOf"]
    assert partners and all(u < v for u, v in partners)


def test_inferred_triples_count_only_when_asked(reasoned_kg):
    china = str(ID["china"])
    assert not to_networkx(reasoned_kg).has_edge(PLANT, china, "locatedIn")
    assert to_networkx(reasoned_kg, inferred=True).has_edge(PLANT, china, "locatedIn")


def _load(fmt: str, data: bytes):
    if fmt == "graphml":
        return nx.read_graphml(BytesIO(data), force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(BytesIO(data))
    return nx.node_link_graph(json.loads(data), edges="edges")


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_loads_back_with_the_same_nodes_and_edges(shipped_kg, network, fmt):
    loaded = _load(fmt, network_export(shipped_kg, fmt))
    assert set(loaded) == set(network)
    assert _edges(loaded) == _edges(network)
    assert loaded.nodes[XIAOMI]["label"] == "Xiaomi"


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_gives_the_same_bytes_twice(shipped_kg, fmt):
    assert network_export(shipped_kg, fmt) == network_export(shipped_kg, fmt)


def test_unknown_export_format_is_an_input_error(shipped_kg):
    from kg.errors import InputError

    with pytest.raises(InputError, match="graphml, gexf, node-link-json"):
        network_export(shipped_kg, "dot")


def test_network_export_counts_inferred_triples_only_when_asked(reasoned_kg):
    china = str(ID["china"])
    plain = _load("graphml", network_export(reasoned_kg, "graphml"))
    inferred = _load("graphml", network_export(reasoned_kg, "graphml", inferred=True))
    assert not plain.has_edge(PLANT, china) and inferred.has_edge(PLANT, china)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_kg_export_network_with_inferred_adds_the_inferred_edges(fmt, tmp_path):
    from conftest import run_kg

    china = str(ID["china"])
    loaded = {}
    for name, extra in (("plain", []), ("inferred", ["--inferred"])):
        out = tmp_path / f"{name}.{fmt}"
        result = run_kg("export", "--format", fmt, *extra, "-o", out)
        assert result.returncode == 0, result.stderr
        loaded[name] = _load(fmt, out.read_bytes())
    assert loaded["inferred"].number_of_edges() > loaded["plain"].number_of_edges()
    assert set(loaded["inferred"]) == set(loaded["plain"])
    assert not loaded["plain"].has_edge(PLANT, china)
    assert (PLANT, china, "located in") in _edges(loaded["inferred"])


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_kg_export_network_with_ontology_exits_2_with_one_line(fmt, tmp_path):
    from conftest import run_kg

    out = tmp_path / "net.out"
    result = run_kg("export", "--format", fmt, "--ontology", "-o", out)
    assert result.returncode == 2
    assert result.stdout == "" and not out.exists()
    assert result.stderr == ("kg export: error: --ontology: network formats have no ontology nodes; "
                             "leave it out\n")
