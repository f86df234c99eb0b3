"""``kg serve`` as a SPARQL 1.1 Protocol endpoint: the real command started on 127.0.0.1,
queried by GET and POST, every result format parsed back by another library, and each
refusal and limit answered with its status code and one line."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import time

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import run_kg
from serving import Server

TA = "https://w3id.org/techauto/ontology#"
ID = "https://w3id.org/techauto/id/"
PLANT = ID + "xiaomi-beijing-plant"
CAPACITY_QUERY = f"""PREFIX ta: <{TA}>
SELECT ?plant ?capacity WHERE {{
  ?plant ta:plannedAnnualCapacity ?capacity FILTER(STRSTARTS(STR(?plant), "{PLANT}"))
}}
ORDER BY ?plant ?capacity"""
CONSTRUCT_QUERY = f"""PREFIX ta: <{TA}>
CONSTRUCT {{ ?plant ta:plannedAnnualCapacity ?capacity ; ta:isOperatedBy ?company }}
WHERE {{ ?plant ta:isOperatedBy ?company ; ta:plannedAnnualCapacity ?capacity }}"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 3
LIMIT = 2000


@pytest.fixture(scope="module")
def server():
    started = Server("--timeout", TIMEOUT, "--limit", LIMIT, "--max-running", 2, "--queue-seconds", 1)
    yield started
    started.stop()


def one_line(answer) -> str:
    lines = answer.text.splitlines()
    assert len(lines) == 1, answer.text
    return lines[0]


def test_it_says_where_it_listens_and_binds_to_this_machine_only(server):
    assert server.first_line.startswith(f"kg serve: listening on {server.url}/ (SPARQL endpoint {server.url}/sparql)")
    assert "reachable from other machines" not in server.first_line


# -- SELECT and ASK in every result format --------------------------------------------


def capacities(solutions) -> set:
    return {(s["plant"].value, s["capacity"].value) for s in solutions}


def test_select_by_get_in_json_xml_and_tsv_parsed_by_pyoxigraph(server):
    formats = {"application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
               "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
               "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV}
    found = {}
    for media, fmt in formats.items():
        answer = server.sparql_get(CAPACITY_QUERY, accept=media)
        assert answer.status == 200, answer.text
        assert answer.header("content-type").split(";")[0] == media
        assert "accept" in answer.header("vary").lower()
        solutions = pyoxigraph.parse_query_results(answer.body, fmt)
        found[media] = capacities(solutions)
    first = found["application/sparql-results+json"]
    assert first == {(PLANT, "300000"), (PLANT + "-phase-1", "150000"), (PLANT + "-phase-2", "150000")}
    assert all(rows == first for rows in found.values())


def test_select_in_csv_parsed_by_rdflib_and_json_by_rdflib(server):
    csv_answer = server.sparql_get(CAPACITY_QUERY, accept="text/csv")
    assert csv_answer.header("content-type").startswith("text/csv")
    assert csv_answer.body.startswith(b"plant,capacity\r\n")
    rows = {(str(r.plant), str(r.capacity)) for r in Result.parse(io.StringIO(csv_answer.text), format="csv")}
    json_answer = server.sparql_get(CAPACITY_QUERY, accept="application/sparql-results+json")
    typed = {(str(r.plant), r.capacity) for r in Result.parse(io.BytesIO(json_answer.body), format="json")}
    assert (PLANT, "300000") in rows and (PLANT, Literal(300000)) in typed
    assert rows == {(p, str(c)) for p, c in typed}


def test_post_of_a_form_and_of_a_query_answer_as_get_does(server):
    by_get = server.sparql_get(CAPACITY_QUERY)
    by_form = server.sparql_post(CAPACITY_QUERY)
    by_body = server.sparql_post(CAPACITY_QUERY, form=False)
    assert by_get.status == by_form.status == by_body.status == 200
    assert by_get.body == by_form.body == by_body.body
    assert json.loads(by_get.body)["head"]["vars"] == ["plant", "capacity"]


def test_ask_is_a_boolean_in_json_and_xml(server):
    yes = f"ASK {{ <{PLANT}> <{TA}plannedAnnualCapacity> 300000 }}"
    no = f"ASK {{ <{PLANT}> <{TA}plannedAnnualCapacity> 300001 }}"
    assert json.loads(server.sparql_get(yes).body) == {"head": {}, "boolean": True}
    answer = server.sparql_post(no, accept="application/sparql-results+xml")
    assert bool(pyoxigraph.parse_query_results(answer.body, pyoxigraph.QueryResultsFormat.XML)) is False


def test_accept_with_q_values_picks_the_preferred_format_and_nothing_acceptable_is_406(server):
    answer = server.sparql_get(CAPACITY_QUERY, accept="text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1")
    assert answer.header("content-type").startswith("application/sparql-results+xml")
    answer = server.sparql_get(CAPACITY_QUERY, accept="text/*;q=0.8, text/csv;q=0")
    assert answer.header("content-type").startswith("text/tab-separated-values")
    refused = server.sparql_get(CAPACITY_QUERY, accept="image/png")
    assert refused.status == 406
    assert "application/sparql-results+json" in one_line(refused)
    assert server.sparql_get(CONSTRUCT_QUERY, accept="application/sparql-results+json").status == 406


# -- CONSTRUCT and DESCRIBE ----------------------------------------------------------------


def test_construct_in_turtle_n_triples_and_json_ld_gives_the_same_graph(server):
    graphs = {}
    for media, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        answer = server.sparql_post(CONSTRUCT_QUERY, accept=media)
        assert answer.status == 200, answer.text
        assert answer.header("content-type").split(";")[0] == media
        graphs[fmt] = Graph().parse(data=answer.text, format=fmt)
    turtle = graphs["turtle"]
    assert (URIRef(PLANT), URIRef(TA + "plannedAnnualCapacity"), Literal(300000)) in turtle
    assert (URIRef(PLANT), URIRef(TA + "isOperatedBy"), URIRef(ID + "xiaomi")) in turtle
    assert isomorphic(turtle, graphs["nt"]) and isomorphic(turtle, graphs["json-ld"])


def test_describe_answers_the_things_statements(server):
    answer = server.sparql_get(f"DESCRIBE <{PLANT}>")
    assert answer.status == 200 and answer.header("content-type").startswith("text/turtle")
    graph = Graph().parse(data=answer.text, format="turtle")
    assert (URIRef(PLANT), URIRef(TA + "plannedAnnualCapacity"), Literal(300000)) in graph


# -- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize("query, expected", [
    ("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }", "query: INSERT DATA refused"),
    ("DROP ALL", "query: DROP refused"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
     "query:1: SERVICE <http://127.0.0.1:9/sparql> refused"),
    ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "query:1: FROM <http://127.0.0.1:9/data.ttl> refused"),
    ("SELECT * WHERE { ?s ?p }", "query:1:"),
    ("SELECT * WHERE { ?s nope:x ?o }", "query:1:27: SPARQL syntax error: unknown prefix nope:"),
    ("hello", "query: not a SPARQL query"),
])
def test_what_kg_query_refuses_is_a_400_with_one_line(server, query, expected):
    for answer in (server.sparql_get(query), server.sparql_post(query)):
        assert answer.status == 400
        assert one_line(answer).startswith(expected), answer.text


def test_updates_by_the_protocol_and_graph_parameters_are_refused(server):
    update = server.request("POST", "/sparql", "update=DROP+ALL",
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert update.status == 400 and "read-only" in one_line(update)
    update = server.request("POST", "/sparql", "DROP ALL", {"Content-Type": "application/sparql-update"})
    assert update.status == 400 and "read-only" in one_line(update)
    graphs = server.sparql_get("SELECT * WHERE { ?s ?p ?o } LIMIT 1", **{"default-graph-uri": "http://127.0.0.1:9/"})
    assert graphs.status == 400 and "--allow-network" in one_line(graphs)
    assert server.get("/sparql").status == 400
    assert "exactly one query" in one_line(server.request("GET", "/sparql?query=ASK{}&query=ASK{}"))
    strange = server.request("POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"})
    assert strange.status == 415 and "application/sparql-query" in one_line(strange)


def test_a_query_too_long_and_an_answer_too_big_are_413(server):
    long_query = "ASK { " + "?s ?p ?o . " * 12000 + "}"
    answer = server.sparql_post(long_query, form=False)
    assert answer.status == 413 and "longer than" in one_line(answer)
    too_many = server.sparql_get("SELECT * WHERE { ?s ?p ?o }")
    assert too_many.status == 413
    assert one_line(too_many) == f"the answer has more than {LIMIT} rows (the server's --limit); add LIMIT to the query"
    assert server.sparql_get(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {LIMIT}").status == 200
    triples = server.sparql_get("CONSTRUCT WHERE { ?s ?p ?o }")
    assert triples.status == 413 and "triples" in one_line(triples)


def test_a_runaway_query_gets_408_while_other_requests_are_answered(server):
    before = server.workers()
    outcome = {}

    def runaway():
        start = time.monotonic()
        outcome["answer"] = server.sparql_post(RUNAWAY)
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    answered = []
    while thread.is_alive():
        start = time.monotonic()
        answer = server.sparql_get(CAPACITY_QUERY)
        answered.append((answer.status, time.monotonic() - start))
        time.sleep(0.2)
    thread.join()
    assert outcome["answer"].status == 408
    assert one_line(outcome["answer"]) == f"query timed out after {TIMEOUT} s (--timeout); it was stopped"
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 2
    assert len(answered) >= 5 and all(status == 200 for status, _ in answered)
    assert max(seconds for _, seconds in answered) < 1.5
    after = server.workers()
    assert len(after) == len(before) == 2 and set(after) != set(before)  # the runaway's worker was replaced


def test_when_every_worker_is_busy_the_next_query_is_503(server):
    threads = [threading.Thread(target=server.sparql_post, args=(RUNAWAY,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    busy = server.sparql_get(CAPACITY_QUERY)
    for thread in threads:
        thread.join()
    assert busy.status == 503
    assert one_line(busy) == ("server busy: 2 queries already running (--max-running) and none finished within 1 s "
                              "(--queue-seconds); try again")
    assert server.sparql_get(CAPACITY_QUERY).status == 200


def test_a_query_that_outgrows_the_memory_limit_is_413_and_the_server_goes_on():
    hungry = Server("--max-running", 1, "--timeout", 30, env={"KG_MAX_MEMORY_MB": "150"})
    try:
        start = time.monotonic()
        answer = hungry.sparql_post("SELECT ?a ?c ?o ?e WHERE { ?a ?b ?o . ?c ?d ?e } ORDER BY ?o ?e LIMIT 1")
        took = time.monotonic() - start
        after = hungry.sparql_get(CAPACITY_QUERY)
    finally:
        hungry.stop()
    assert answer.status == 413 and took < 25
    assert one_line(answer) == "the answer needs more memory than the limit (KG_MAX_MEMORY_MB)"
    assert after.status == 200 and (PLANT, "300000") in capacities(
        pyoxigraph.parse_query_results(after.body, pyoxigraph.QueryResultsFormat.JSON))


# -- the command -----------------------------------------------------------------------


def test_other_commands_import_nothing_of_the_server():
    code = ("import sys; from kg.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'kg.serve.app', 'kg.serve.pool') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_without_the_serve_extra_it_says_so_in_one_line():
    code = ("import sys; sys.modules['starlette'] = None; sys.argv = ['kg', 'serve']; "
            "from kg.cli import main; sys.exit(main())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "kg serve: error: kg serve needs starlette: pip install 'techauto-kg[serve]'\n"


def test_a_port_in_use_and_a_bad_port_are_one_line(server):
    result = run_kg("serve", "--port", server.port, timeout=60)
    assert result.returncode == 2
    assert re.fullmatch(rf"kg serve: error: --host 127\.0\.0\.1 --port {server.port}: cannot listen there: .+\n",
                        result.stderr), result.stderr
    result = run_kg("serve", "--port", "70000", timeout=60)
    assert (result.returncode, result.stderr) == (2, "kg serve: error: --port 70000: expected 0 to 65535\n")
