"""`kg analyze` through the installed command: paths, centrality, partnerships,
communities, neighbourhoods, statistics, and the one-line error for unknown entities."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from conftest import run_kg
from kg.namespaces import ID
from kg.network.convert import to_networkx

XIAOMI, BEIJING, PLANT = str(ID["xiaomi"]), str(ID["beijing"]), str(ID["xiaomi-beijing-plant"])


def analyze_json(*args: str):
    result = run_kg("analyze", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def network(shipped_kg):
    return to_networkx(shipped_kg)


def test_path_prints_chains_from_xiaomi_to_beijing_with_property_labels():
    result = run_kg("analyze", "path", "xiaomi", "beijing")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert 1 <= len(lines) <= 10
    assert all(line.startswith("Xiaomi ") and line.endswith(" Beijing") for line in lines)
    assert any("—located in→" in line for line in lines)


def test_path_as_json_ends_at_beijing_and_follows_real_edges(network):
    result = analyze_json("path", "Xiaomi", "Pékin")
    assert (result["source"], result["target"]) == (XIAOMI, BEIJING)
    assert result["paths"] and all(len(chain) == result["length"] for chain in result["paths"])
    assert result["length"] == nx.shortest_path_length(network.to_undirected(), XIAOMI, BEIJING)
    for chain in result["paths"]:
        assert chain[0]["from"] == XIAOMI and chain[-1]["to"] == BEIJING
        for step in chain:
            u, v = (step["from"], step["to"]) if step["direction"] == "forward" else (step["to"], step["from"])
            assert step["property"] in {d["property"] for d in network.get_edge_data(u, v).values()}


def test_central_lists_xiaomi_among_the_top_entities_and_companies():
    result = run_kg("analyze", "central", "--top", "5")
    assert result.returncode == 0, result.stderr
    assert "By degree, all entities:" in result.stdout and "Xiaomi" in result.stdout
    data = analyze_json("central", "--top", "5")
    assert "Xiaomi" in [row["label"] for row in data["degree"]["all"]]
    assert "Xiaomi" in [row["label"] for row in data["degree"]["companies"]]
    # Mercedes-Benz, which Nvidia, Qualcomm and Google all work with, is the broker among companies.
    assert data["betweenness"]["companies"][0]["label"] == "Mercedes-Benz"
    assert len(data["degree"]["companies"]) == 5


def test_central_finds_tech_company_automaker_partnerships():
    data = analyze_json("central")
    pairs = {(p["technology_company"], p["automaker"]) for p in data["partnerships"]}
    assert ("Huawei", "Seres") in pairs
    makers = data["sought_after_automakers"]
    counts = [len(row["partners"]) for row in makers]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 1


def test_stats_equal_what_the_network_gives(network):
    data = analyze_json("stats")
    assert data["nodes"] == network.number_of_nodes()
    assert data["edges"] == network.number_of_edges()
    assert data["components"] == nx.number_weakly_connected_components(network)
    assert sum(row["nodes"] for row in data["degree_by_kind"]) == network.number_of_nodes()
    text = run_kg("analyze", "stats").stdout
    assert f"nodes: {network.number_of_nodes()}\nedges: {network.number_of_edges()}\n" in text


def test_communities_partition_the_network(network):
    groups = analyze_json("communities")
    members = [m["iri"] for group in groups for m in group["members"]]
    assert sorted(members) == sorted(network)
    assert [g["size"] for g in groups] == sorted((g["size"] for g in groups), reverse=True)


def test_ego_of_xiaomi_holds_its_plant_and_the_operates_statement():
    data = analyze_json("ego", "xiaomi", "--radius", "1")
    assert PLANT in {n["iri"] for n in data["nodes"]}
    assert {"from": XIAOMI, "property": "operates", "to": PLANT} in [
        {k: e[k] for k in ("from", "property", "to")} for e in data["edges"]]
    assert BEIJING not in {n["iri"] for n in data["nodes"]}
    assert BEIJING in {n["iri"] for n in analyze_json("ego", "xiaomi", "--radius", "2")["nodes"]}


def test_unknown_entity_is_one_line_with_exit_code_2():
    result = run_kg("analyze", "path", "xiaomi", "Atlantis")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "unknown entity 'Atlantis'" in result.stderr


def test_data_option_analyses_the_given_files_instead(tmp_path):
    facts = tmp_path / "two.trig"
    facts.write_text("""PREFIX id: <https://w3id.org/techauto/id/>
PREFIX ta: <https://w3id.org/techauto/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
<https://w3id.org/techauto/claim/t> {
  id:acme a ta:TechnologyCompany ; rdfs:label "Acme"@en ; ta:isPartnerOf id:carco .
  id:carco a ta:Automaker ; rdfs:label "CarCo"@en .
}
""", encoding="utf-8")
    data = analyze_json("stats", "--data", str(facts))
    assert (data["nodes"], data["edges"], data["components"]) == (2, 1, 1)
    central = analyze_json("central", "--data", str(facts))
    assert central["sought_after_automakers"][0]["partners"] == ["Acme"]


@pytest.mark.parametrize("name", ["claim:xiaomi-seed-s5", "src:iso-3166-2", "ta:Company", "ta:Plan"])
def test_claims_sources_and_ontology_terms_are_said_to_be_left_out_of_the_network(name):
    result = run_kg("analyze", "path", "xiaomi", name)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "claims, sources and ontology terms are left out of it by design" in result.stderr
    assert "has no ontology class" not in result.stderr


def test_communities_text_is_a_block_per_community_wrapped_at_100_columns(network):
    groups = analyze_json("communities")
    result = run_kg("analyze", "communities")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    headers = [line for line in lines if line.startswith("Community ")]
    assert headers == [f"Community {i} ({g['size']} {'entity' if g['size'] == 1 else 'entities'}):"
                       for i, g in enumerate(groups, 1)]
    blocks = result.stdout.strip().split("\n\n")
    assert len(blocks) == len(groups)
    for block, group in zip(blocks, groups):
        members = " ".join(line.strip() for line in block.splitlines()[1:])
        assert members == "; ".join(m["label"] for m in group["members"])


def test_analyze_tables_come_from_the_shared_renderer_with_numbers_right_aligned(network):
    from kg.answers.results import table

    data = analyze_json("stats")
    rows = [(r["kind"], r["nodes"], r["min"], r["mean"], r["median"], r["max"]) for r in data["degree_by_kind"]]
    expected = table(["kind", "nodes", "min", "mean", "median", "max"], rows, max_cell=None, numbers_right=True)
    text = run_kg("analyze", "stats").stdout
    assert text.endswith("Degree by kind:\n" + expected)
    header, _, *body = expected.splitlines()
    end = header.index("nodes") + len("nodes")  # the count of nodes ends under the header's end
    assert body and all(line[end - 1].isdigit() and line[end] == " " for line in body)


def test_draw_takes_its_shared_options_from_outside_the_commands_package():
    import kg.cli.commands.draw
    from kg.cli import command_names
    from kg.cli.options import add_graph_options, load_graph

    assert (kg.cli.commands.draw.add_graph_options, kg.cli.commands.draw.load_graph) == (add_graph_options, load_graph)
    assert "options" not in command_names()
