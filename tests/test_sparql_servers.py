"""The graph on two real SPARQL servers nobody here wrote: the Oxigraph server and Virtuoso
Open Source 7, started on 127.0.0.1 by ``tools/sparql_servers.py`` (once per module each).

On each server, first as a user would do it: ``kg export --for-server`` loaded by the
server's own loader (``oxigraph load``; Virtuoso's bulk loader, the file's default graph
into ``kgg:merged``) and every shipped question sent as it is (with its default
parameters bound by a ``VALUES`` block, as kg does), over the plain SPARQL protocol
(Virtuoso: ``default-graph-uri`` naming ``kgg:merged``). Then ``kg push`` (Oxigraph: SPARQL
Update; Virtuoso: the Graph Store Protocol) and every question through
``KnowledgeGraph.remote`` and ``kg query/explain/validate --endpoint``. Each answer must be
the embedded store's: the same rows, numbers compared by value, the rows' order where the
query orders them (on its ORDER BY variables, as far as SPARQL defines the order), GROUP_CONCAT cells as sets (their order is
not defined).

Virtuoso 7.2 differences, and how they are compared (README: "Running the graph on a
SPARQL server"): it keeps an ``xsd:duration`` as a count of months and writes it back so
(``P10Y`` comes back as ``"120"^^xsd:duration``): compared as months; it writes ``true``
as ``"1"^^xsd:boolean`` (the same value). Five shipped questions meet bugs of Virtuoso
7.2.5 (Debian 12's): :data:`VIRTUOSO_BUGS` names each; those tests are strict expected
failures, so they fail the day Virtuoso answers right.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_kg
from kg.answers import answering, questions
from kg.store import KnowledgeGraph
from kg.store.knowledge_graph import with_values
from kg.store.remote import MERGED_GRAPH, Endpoint
from kg.terms import BlankNode, NamedNode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import sparql_servers  # noqa: E402

pytestmark = pytest.mark.slow

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
QUESTIONS = sorted(questions.catalogue())
VIRTUOSO_BUGS = {
    "entrants-by-kind": "Virtuoso 7.2.5's COALESCE does not skip an error: FILTER(COALESCE(?kind = STR(?wanted), "
                        "true)) with ?wanted unbound (no --param kind) drops every row (0 of 44)",
    "joint-ventures": "Virtuoso 7.2.5's SPARQL compiler fails (SP031 sparp_check_field_mapping_spo) on "
                      "IF(EXISTS { ?kindHolder a ... }) where ?kindHolder comes from a BIND",
    "partnerships": "on Virtuoso 7.2.5 the ordered text of links loses its first link for Alibaba-SAIC and "
                    "Tencent-GAC (agreement, joint venture and partner; the count of 3 is right)",
    "robotaxi-programmes": "Virtuoso 7.2.5 loses solutions of FILTER EXISTS { ?partner a ?partnerClass . "
                           "?partnerClass rdfs:subClassOf* ta:Organization } inside an OPTIONAL (4 rows of 14)",
    "who-works-with-whom": "Virtuoso 7.2.5 loses solutions of FILTER EXISTS { ?other a ?otherClass . "
                           "?otherClass rdfs:subClassOf* ta:Organization } after the UNION of ties (6 rows of 159)",
}
"""Shipped questions Virtuoso 7.2.5 answers wrongly, and why: bugs of Virtuoso (each checked
against a smaller query that shows it), not constructs the standard leaves open."""
VIRTUOSO_PLAIN_BUGS: dict[str, str] = {}
"""Those it answers wrongly only when loaded by hand and sent default-graph-uri alone."""


# -- comparing answers ---------------------------------------------------------------------


def _months(duration: str) -> int | str:
    """An ``xsd:duration`` of years and months as months (``P10Y`` -> 120); a bare number
    (Virtuoso's form) as itself; anything else as written."""
    if re.fullmatch(r"\d+", duration):
        return int(duration)
    found = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", duration)
    return int(found.group(1) or 0) * 12 + int(found.group(2) or 0) if found else duration


def cell(term):
    """A term as a comparable value: IRIs as themselves, numbers by value, durations in
    months, other literals by text, language (case folded) and datatype."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("blank",)
    datatype = term.datatype.value
    if datatype in NUMERIC:
        return ("number", Decimal(term.value))
    if datatype == XSD + "duration":
        return ("duration", _months(term.value))
    if datatype == XSD + "boolean":
        return ("boolean", term.value in ("true", "1"))
    if term.language:
        return ("text", term.value, term.language.lower())
    return ("literal", term.value, datatype)


def concat_columns(text: str) -> dict[str, str]:
    """The GROUP_CONCAT columns of a query and their separators; not those joined with
    ``separator=""`` (the shipped questions use it to put the parts in a fixed order)."""
    found = {}
    for match in re.finditer(r"GROUP_CONCAT\s*\((.*?)\)\s*AS\s*\?(\w+)", text, re.S | re.I):
        separator = re.search(r'separator\s*=\s*"([^"]*)"', match.group(1), re.I)
        if separator is None or separator.group(1):
            found[match.group(2)] = separator.group(1) if separator else " "
    return found


def order_variables(text: str) -> list[str]:
    """The variables of the query's last ORDER BY clause (the outer one)."""
    clauses = re.findall(r"ORDER\s+BY\s+(.*?)(?:\n\s*(?:LIMIT|OFFSET)\b|\Z|\n\s*\})", text, re.S | re.I)
    return re.findall(r"\?(\w+)", clauses[-1]) if clauses else []


def comparable(text: str, columns: list[str], rows: list[tuple]) -> list[tuple]:
    concat = concat_columns(text)
    out = []
    for row in rows:
        values = []
        for column, term in zip(columns, row):
            if column in concat and term is not None:
                values.append(("parts", frozenset(term.value.split(concat[column]))))
            else:
                values.append(cell(term))
        out.append(tuple(values))
    return out


def assert_same_answer(text: str, columns: list[str], expected: list[tuple], got_columns: list[str],
                       got: list[tuple]) -> None:
    """The same rows (as multisets), and the same sequence of ORDER BY values."""
    assert got_columns == columns
    want, have = comparable(text, columns, expected), comparable(text, columns, got)
    missing, extra = Counter(want) - Counter(have), Counter(have) - Counter(want)
    assert not missing and not extra, f"missing {list(missing)[:3]}, extra {list(extra)[:3]}"
    ordered = [columns.index(v) for v in order_variables(text) if v in columns]
    if ordered:
        assert [order_key(r, ordered) for r in have] == [order_key(r, ordered) for r in want]


def order_key(row: tuple, ordered: list[int]) -> tuple:
    """The row's ORDER BY values up to the first with a language tag: SPARQL 1.1 (15.1)
    orders literals by the ``<`` operator, which does not compare language-tagged
    literals, so the order of rows that differ there (and after) is the engine's choice."""
    key = []
    for index in ordered:
        if row[index] is not None and row[index][0] == "text":
            break
        key.append(row[index])
    return tuple(key)


# -- the servers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded(shipped_kg):
    """Each question's answer on the embedded store: (text as run, columns, rows)."""
    answers = {}
    for name in QUESTIONS:
        query = questions.find(name)
        text = with_values(query.text, questions.bindings(shipped_kg, query, {}))
        answer = answering.answer(query, {}, kg=shipped_kg)
        answers[name] = (text, answer.columns, answer.rows)
    return answers


@pytest.fixture(scope="module")
def server_export(tmp_path_factory) -> dict[str, Path]:
    """``kg export --for-server`` as a user makes it, in TriG and in N-Quads (what
    ``kg build`` writes): the Oxigraph server loads the one, Virtuoso the other."""
    folder = tmp_path_factory.mktemp("export")
    paths = {"trig": folder / "techauto-kg-server.trig", "nquads": folder / "techauto-kg-server.nq"}
    for fmt, path in paths.items():
        done = run_kg("export", "--format", fmt, "--for-server", "-o", path)
        assert done.returncode == 0, done.stderr
    return paths


def _hand_loaded_answers(endpoint: Endpoint, embedded: dict, dataset: list) -> dict:
    """Each question's text sent as it is, over the plain protocol."""
    from kg.errors import KgError

    found = {}
    for name, (text, _, _) in embedded.items():
        try:
            results = endpoint.select(text, dataset)
        except KgError as exc:  # a server's error: the test of that question reports it
            found[name] = exc
            continue
        found[name] = ([v.value for v in results.variables], [tuple(row) for row in results])
    return found


def _push(server, *how) -> None:
    args = ["push", "--endpoint", server.query, *how]
    if server.user:
        args += ["--user", server.user]
    done = run_kg(*args, env={"KG_ENDPOINT_PASSWORD": server.password or ""})
    assert done.returncode == 0, done.stderr
    assert re.search(r"kg push: 239 graphs, \d+ triples", done.stderr), done.stderr


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request, tmp_path_factory, server_export, embedded):
    """A server loaded by hand from the export (answers recorded), then pushed by kg push."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        sparql_servers.load_oxigraph(folder, server_export["trig"])
        context, dataset = sparql_servers.oxigraph(folder), []
    else:
        context, dataset = sparql_servers.virtuoso(folder, load=server_export["nquads"]), [
            ("default-graph-uri", MERGED_GRAPH.value)]
    with context as running:
        plain = Endpoint(running.query)
        running.hand_loaded = _hand_loaded_answers(plain, embedded, dataset)
        if request.param == "oxigraph":
            _push(running, "--update", running.update)
        else:
            _push(running, "--graph-store", running.graph_store)
        running.endpoint = Endpoint(running.query, running.update, running.graph_store,
                                    running.user, running.password)
        yield running


# -- the tests -----------------------------------------------------------------------------


def _known_virtuoso_bug(request, server, name: str, plain: bool = False) -> None:
    reason = VIRTUOSO_BUGS.get(name) or (VIRTUOSO_PLAIN_BUGS.get(name) if plain else None)
    if server.name == "virtuoso" and reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.mark.parametrize("name", QUESTIONS)
def test_export_loaded_by_hand_answers_each_question_as_kg_does(request, server, embedded, name):
    _known_virtuoso_bug(request, server, name, plain=True)
    text, columns, rows = embedded[name]
    if isinstance(server.hand_loaded[name], Exception):
        raise server.hand_loaded[name]
    got_columns, got = server.hand_loaded[name]
    assert_same_answer(text, columns, rows, got_columns, got)


@pytest.mark.parametrize("name", QUESTIONS)
def test_pushed_graph_answers_each_question_as_the_embedded_store(request, server, embedded, name):
    _known_virtuoso_bug(request, server, name)
    text, columns, rows = embedded[name]
    remote = KnowledgeGraph.remote(server.endpoint)
    answer = answering.answer(questions.find(name), {}, kg=remote)
    assert_same_answer(text, columns, rows, answer.columns, answer.rows)


def test_headline_numbers_come_back_by_value(server):
    """``kg query --endpoint`` prints the plant's 300,000 a year and USD 10 bn as the embedded store does."""
    done = run_kg("query", "xiaomi-beijing-plant", "--endpoint", server.query, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["results"]["bindings"]
    capacities = {Decimal(r["value"]["value"]) for r in rows if r["aspect"]["value"] == "total capacity"}
    funding = {(Decimal(r["value"]["value"]), r["unit"]["value"]) for r in rows
               if r["aspect"]["value"] == "funding amount"}
    assert capacities == {Decimal(300000)}
    assert funding == {(Decimal("10000000000"), "CNY"), (Decimal("10000000000"), "USD")}


def test_explain_through_the_endpoint_shows_the_same_statements_and_sources(server):
    local = run_kg("explain", "xiaomi")
    remote = run_kg("explain", "xiaomi", "--endpoint", server.query)
    assert remote.returncode == 0, remote.stderr
    assert "source: " in remote.stdout and "id:xiaomi-beijing-plant" in remote.stdout
    assert remote.stdout == local.stdout


def _kg_counts(server) -> dict[str, int]:
    from kg.exports.push import quad_counts

    counts = quad_counts(server.endpoint)
    return {g: n for g, n in counts.items() if g.startswith("https://w3id.org/techauto/")}


def test_pushing_twice_leaves_the_same_store(server, shipped_kg):
    from kg.exports import rdf

    before = _kg_counts(server)
    expected = {g or MERGED_GRAPH.value: len(lines) for g, lines in rdf.server_groups(shipped_kg).items()}
    assert {g: n for g, n in before.items() if not g.endswith("/graph/dataset")} == expected
    assert before["https://w3id.org/techauto/graph/dataset"] == 2 + 2 * (len(expected) - 1)
    _push(server, "--graph-store", server.graph_store)
    assert _kg_counts(server) == before
    if server.name == "oxigraph":  # Virtuoso's SPARQL Update cannot make xsd:duration literals
        _push(server, "--update", server.update)
        assert _kg_counts(server) == before


def test_a_push_drops_the_graphs_a_previous_push_left(server):
    """Pushing the Xiaomi file alone drops the other entrants' claims; the full push brings them back."""
    full = _kg_counts(server)
    xiaomi = Path(__file__).resolve().parents[1] / "kg" / "facts" / "xiaomi.trig"
    args = ["push", "--endpoint", server.query, "--graph-store", server.graph_store, "--data", xiaomi]
    done = run_kg(*args, *(["--user", server.user] if server.user else []),
                  env={"KG_ENDPOINT_PASSWORD": server.password or ""})
    assert done.returncode == 0, done.stderr
    assert "stale graphs dropped" in done.stderr
    partial = _kg_counts(server)
    assert "https://w3id.org/techauto/claim/xiaomi-e-town-plan" in partial
    assert not [g for g in partial if "/claim/huawei" in g]
    _push(server, "--graph-store", server.graph_store)
    assert _kg_counts(server) == full


@pytest.fixture(scope="module")
def local_report() -> dict:
    done = run_kg("validate", "--format", "json", timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_validate_through_the_endpoint_gives_the_same_report(server, local_report):
    """The same report on Oxigraph. On Virtuoso, the same but for the two durations it
    gives back as counts of months ("120"^^xsd:duration for P10Y, "60" for P5Y), which the
    shapes rightly find not to be xsd:duration values."""
    local = local_report
    done = run_kg("validate", "--format", "json", "--endpoint", server.query, timeout=300)
    remote = json.loads(done.stdout)
    assert local["conforms"] is True and done.returncode in (0, 1), done.stderr
    if server.name == "virtuoso":
        mangled = [r for r in remote["results"] if r["path"] == "https://w3id.org/techauto/ontology#duration"]
        assert sorted((r["focus_node"].rsplit("/", 1)[1], r["value"], r["severity"]) for r in mangled) == [
            ("baidu-car-funding-commitment", "60", "Violation"), ("xiaomi-car-investment-commitment", "120", "Violation")]
        remote["results"] = [r for r in remote["results"] if r not in mangled]
        remote["violations"] -= len(mangled)
        remote["conforms"] = remote["violations"] == 0
        assert done.returncode == 1
    else:
        assert done.returncode == 0
    assert remote == local


def test_an_unreachable_server_is_one_line_and_exit_2():
    port = sparql_servers.free_port()
    done = run_kg("push", "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert f"http://127.0.0.1:{port}/sparql: cannot reach the server" in done.stderr
    done = run_kg("query", "plants-by-company", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert done.returncode == 2 and "cannot reach the server" in done.stderr
    assert "Traceback" not in done.stderr


def test_endpoint_refuses_inferred_and_local_data_in_one_line():
    done = run_kg("query", "plants-by-company", "--endpoint", "http://127.0.0.1:9/query", "--inferred")
    assert done.returncode == 2
    assert "--endpoint and --inferred" in done.stderr
    done = run_kg("explain", "xiaomi", "--endpoint", "http://127.0.0.1:9/query", "--data", "x.trig")
    assert done.returncode == 2 and "--endpoint and --data" in done.stderr
    done = run_kg("query", "plants-by-company", "--endpoint", "ftp://127.0.0.1/query")
    assert done.returncode == 2 and "expected an http:// or https:// URL" in done.stderr
