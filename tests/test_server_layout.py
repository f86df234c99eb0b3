"""What kg sends to a SPARQL server, without a server: ``kg export --for-server`` (the
default graph is the RDF merge of every graph, beside each claim, ``kgg:ontology`` and
``kgg:default``), how ``kg push`` cuts graphs into requests, and the guard that lets
``--endpoint`` reach its server and nothing else. The servers themselves are in
``tests/test_sparql_servers.py``."""

from __future__ import annotations

import socket

import pyoxigraph
import pytest

from conftest import run_kg
from kg.checks import safety
from kg.exports.push import chunks, description
from kg.store.remote import DATASET_GRAPH, MERGED_GRAPH, with_prefixes
from kg.terms import ASSERTED_DEFAULT, CLAIM, DEFAULT_GRAPH, ONTOLOGY_GRAPH, RDFS, TA


def _dataset(path) -> dict:
    graphs: dict = {}
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name, set()).add(quad.triple)
    return graphs


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    for name, extra in (("server.trig", ["--for-server"]), ("plain.trig", [])):
        done = run_kg("export", "--format", "trig", *extra, "-o", folder / name)
        assert done.returncode == 0, done.stderr
    return _dataset(folder / "server.trig"), _dataset(folder / "plain.trig")


def test_server_export_default_graph_is_the_merge_of_every_graph(exports):
    server, _ = exports
    named = [triples for name, triples in server.items() if name != DEFAULT_GRAPH]
    assert server[DEFAULT_GRAPH] == set().union(*named)
    assert pyoxigraph.Triple(TA.NewsArticle, RDFS.subClassOf, TA.SourceDocument) in server[DEFAULT_GRAPH]


def test_server_export_keeps_each_claim_the_ontology_and_the_provenance_apart(exports):
    server, plain = exports
    claims = {name for name in plain if name in CLAIM}
    assert len(claims) == 235
    assert set(server) == claims | {DEFAULT_GRAPH, ONTOLOGY_GRAPH, ASSERTED_DEFAULT}
    assert all(server[name] == plain[name] for name in claims)
    assert server[ASSERTED_DEFAULT] == plain[DEFAULT_GRAPH]
    assert ONTOLOGY_GRAPH not in plain


def test_server_layout_needs_a_dataset_format():
    done = run_kg("export", "--format", "turtle", "--for-server")
    assert done.returncode == 2
    assert done.stderr == "kg export: error: --for-server: turtle holds one graph; use trig, nquads or jsonld\n"


def test_a_graph_is_cut_into_batches_with_its_blank_nodes_together():
    lines = [b"<a> <p> _:b0 .", b"_:b0 <q> <c> ."] + [f"<s{i}> <p> <o> .".encode() for i in range(5)]
    pieces = chunks(lines, 2)
    assert pieces[0] == [b"<a> <p> _:b0 .", b"_:b0 <q> <c> ."]
    assert [len(p) for p in pieces] == [2, 2, 2, 1]
    assert sum(pieces, []) == lines
    assert chunks([], 10) == [[]]


def test_the_dataset_description_names_the_merge_and_every_graph():
    text = b"\n".join(description(["https://w3id.org/techauto/claim/x"])).decode()
    graph = pyoxigraph.Store()
    graph.load(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=DATASET_GRAPH)
    rows = list(graph.query("""PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        SELECT ?default ?name WHERE { GRAPH ?g { ?d a sd:Dataset ; sd:defaultGraph ?default ;
        sd:namedGraph/sd:name ?name } }"""))
    assert [(r[0], r[1].value) for r in rows] == [(MERGED_GRAPH, "https://w3id.org/techauto/claim/x")]


def test_prefixes_are_added_only_where_the_query_does_not_declare_them():
    text = with_prefixes("PREFIX ta: <urn:mine#>\nSELECT * WHERE { ?s ta:p id:x }",
                         {"ta": "https://w3id.org/techauto/ontology#", "id": "https://w3id.org/techauto/id/"})
    assert text.splitlines()[0] == "PREFIX id: <https://w3id.org/techauto/id/>"
    assert "ontology#" not in text


def test_the_guard_lets_through_the_named_endpoint_only():
    with socket.socket() as listener, socket.socket() as other:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        other.bind(("127.0.0.1", 0))
        other.listen()
        trusted, untrusted = listener.getsockname()[1], other.getsockname()[1]
        safety.trust_endpoint(f"http://127.0.0.1:{trusted}/sparql")
        with safety.guard():
            with socket.create_connection(("127.0.0.1", trusted), timeout=5):
                pass
            with pytest.raises(safety.Refused, match="network access refused"):
                socket.create_connection(("127.0.0.1", untrusted), timeout=5)
