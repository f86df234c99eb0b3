"""The pages of ``kg serve`` over HTTP: things dereference by 303 to a page or to data,
pages show every statement with its claims and sources in English or French, the
ontology's terms, the entrants, the search, the questions and their downloads; hostile
labels stay text."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from serving import Server

TA = Namespace("https://w3id.org/techauto/ontology#")
ID = Namespace("https://w3id.org/techauto/id/")
CLAIM = Namespace("https://w3id.org/techauto/claim/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
PLANT = "xiaomi-beijing-plant"
SCMP = "https://scmp.com/tech/big-tech/article/3157609"


@pytest.fixture(scope="module")
def server():
    started = Server()
    yield started
    started.stop()


def html_of(answer) -> str:
    assert answer.status == 200, answer.text
    assert answer.header("content-type") == "text/html; charset=utf-8"
    return answer.text


# -- dereferencing -----------------------------------------------------------------------


@pytest.mark.parametrize("accept, location", [
    (None, f"/page/{PLANT}"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", f"/page/{PLANT}"),
    ("text/turtle", f"/data/{PLANT}.ttl"),
    ("application/ld+json", f"/data/{PLANT}.jsonld"),
    ("application/n-triples;q=1, text/html;q=0.5", f"/data/{PLANT}.nt"),
    ("application/trig", f"/data/{PLANT}.trig"),
])
def test_a_thing_is_303_see_other_to_its_page_or_its_data(server, accept, location):
    answer = server.get(f"/id/{PLANT}", **({"Accept": accept} if accept else {}))
    assert answer.status == 303
    assert answer.header("location") == location
    assert answer.header("vary") == "Accept"


def test_the_language_asked_for_goes_along_and_nothing_acceptable_is_406(server):
    assert server.get(f"/id/{PLANT}?lang=fr").header("location") == f"/page/{PLANT}?lang=fr"
    assert server.get(f"/id/{PLANT}", Accept="image/png").status == 406


def test_data_in_turtle_json_ld_and_n_triples_is_one_graph_with_the_capacity(server):
    graphs = {fmt: Graph().parse(data=server.get(f"/data/{PLANT}.{suffix}").text, format=fmt)
              for suffix, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"))}
    turtle = graphs["turtle"]
    assert (ID[PLANT], TA.plannedAnnualCapacity, Literal(300000)) in turtle
    assert (ID["xiaomi-su7"], TA.isManufacturedAt, ID[PLANT]) in turtle
    assert (CLAIM["xiaomi-e-town-plan"], TA.statedOn, Literal("2021-11-27", datatype=XSD_DATE)) in turtle
    assert isomorphic(turtle, graphs["json-ld"]) and isomorphic(turtle, graphs["nt"])
    assert server.get(f"/data/{PLANT}.ttl").header("content-type") == "text/turtle; charset=utf-8"


def test_data_in_trig_keeps_each_claim_as_its_named_graph(server):
    dataset = Dataset()
    dataset.parse(data=server.get(f"/data/{PLANT}.trig").text, format="trig")
    plan = dataset.graph(CLAIM["xiaomi-e-town-plan"])
    assert (ID[PLANT], TA.plannedAnnualCapacity, Literal(300000)) in plan
    outcome = dataset.graph(CLAIM["xiaomi-su7-first-deliveries"])
    assert (ID["xiaomi-su7"], TA.isManufacturedAt, ID[PLANT]) in outcome
    assert (ID[PLANT], TA.plannedAnnualCapacity, Literal(300000)) not in outcome


def test_the_same_request_gives_the_same_bytes(server):
    assert server.get(f"/data/{PLANT}.ttl").body == server.get(f"/data/{PLANT}.ttl").body


# -- entity pages ------------------------------------------------------------------------


def test_the_plants_page_shows_each_value_with_its_claims_dates_kinds_and_sources(server):
    page = html_of(server.get(f"/page/{PLANT}"))
    assert "<h1>Xiaomi Beijing car plant" in page
    capacity = page[page.index("planned annual capacity</a></span>: "):]
    capacity = capacity[:capacity.index('<li class="statement">')]
    assert '<span class="value">300000</span>' in capacity
    assert "stated <time>2021-11-27</time>" in capacity and "stated <time>2021</time>" in capacity
    assert '<span class="kind">plan</span>' in capacity and '<span class="confidence">high confidence</span>' in capacity
    assert f'<a href="{SCMP}" rel="noreferrer nofollow">SCMP report on the Xiaomi car plant agreement in Beijing</a>' in capacity
    assert "[claim:xiaomi-e-town-plan]" in capacity
    plans, outcomes = page.index("<h2>Plans</h2>"), page.index("<h2>Outcomes</h2>")
    assert page.index('<div class="plans-outcomes">') < plans < outcomes
    assert "stated <time>2024-04-03</time>, <span class=\"kind\">outcome</span>" in page[outcomes:]
    assert '<a href="/page/xiaomi?lang=en">Xiaomi</a>' in page
    assert '<a href="/ontology/ManufacturingPlant?lang=en">manufacturing plant</a>' in page


def test_the_page_draws_the_neighbourhood_with_links_and_loads_nothing_from_elsewhere(server):
    answer = server.get(f"/page/{PLANT}")
    page = html_of(answer)
    svg = page[page.index('<svg class="neighbourhood"'):page.index("</svg>")]
    assert '<a href="/page/xiaomi-su7?lang=en">' in svg and '<a href="/page/beijing?lang=en">' in svg
    assert svg.count("<circle") == svg.count("<a href=") + 1
    csp = answer.header("content-security-policy")
    assert csp.startswith("default-src 'none'") and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert answer.header("x-content-type-options") == "nosniff"
    assert re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", page) == ["/static/kg.css", "/static/kg.js"]
    assert not re.search(r"\sstyle=|\son[a-z]+=|<script>", page)
    external = [h for h in re.findall(r'href="([^"]+)"', page) if not h.startswith("/")]
    assert external and all(h.startswith("https://") for h in external)


@pytest.mark.parametrize("how", [{"path": f"/page/{PLANT}?lang=fr"},
                                 {"path": f"/page/{PLANT}", "Accept_Language": "fr-FR,fr;q=0.9,en;q=0.5"}])
def test_the_page_in_french(server, how):
    headers = {k: v for k, v in how.items() if k != "path"}
    answer = server.get(how["path"], **headers)
    page = html_of(answer)
    assert '<html lang="fr">' in page and answer.header("content-language") == "fr"
    assert "<h1>usine automobile Xiaomi de Pékin" in page
    assert '<a href="/page/beijing?lang=fr">Pékin</a>' in page
    assert "<h2>Projets</h2>" in page and "<h2>Résultats</h2>" in page
    assert "affirmé le <time>2021-11-27</time>" in page
    if headers:
        assert answer.header("vary") == "Accept-Language"


def test_an_unknown_thing_is_404(server):
    assert server.get("/page/no-such-thing").status == 404
    assert server.get("/data/no-such-thing.ttl").status == 404
    assert server.get("/page/%3Cscript%3E").status == 404


# -- ontology ----------------------------------------------------------------------------


def test_an_ontology_term_has_its_labels_definition_and_alignments(server):
    page = html_of(server.get("/ontology/Automaker"))
    assert "<h1>automaker</h1>" in page and "constructeur automobile" in page
    assert '<p class="definition" lang="en">' in page
    assert '<a href="http://www.wikidata.org/entity/Q786820" rel="noreferrer nofollow">wd:Q786820</a>' in page
    assert '<a href="/ontology/Company?lang=en">company (ta:Company)</a>' in page
    french = html_of(server.get("/ontology/ManufacturingPlant?lang=fr"))
    assert "<h1>usine de production</h1>" in french


def test_the_ontology_document_is_html_or_turtle_by_accept(server):
    index = html_of(server.get("/ontology"))
    assert '<li id="ManufacturingPlant"><a href="/ontology/ManufacturingPlant?lang=en">' in index
    answer = server.get("/ontology", Accept="text/turtle")
    assert answer.header("content-type") == "text/turtle; charset=utf-8" and "Accept" in answer.header("vary")
    graph = Graph().parse(data=answer.text, format="turtle")
    assert (TA.ManufacturingPlant, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), TA.Facility) in graph
    assert server.get("/ontology/NoSuchTerm").status == 404


# -- home, search, questions, query page -------------------------------------------------


def test_the_home_page_lists_the_entrants_with_route_status_and_figures(server):
    page = html_of(server.get("/"))
    rows = re.findall(r"<tr><td>(.*?)</tr>", page)
    assert len(rows) == 28
    xiaomi = next(r for r in rows if '<a href="/page/xiaomi?lang=en">Xiaomi</a>' in r)
    assert "own brand and plant" in xiaomi and "active <time>2024-04-03</time>" in xiaomi
    assert "USD 10,000,000,000" in xiaomi and '<td class="number">1</td>' in xiaomi


def test_search_finds_things_by_english_or_french_label_without_accents(server):
    page = html_of(server.get("/search?q=Xiaomi"))
    assert f'<a href="/page/{PLANT}?lang=en">Xiaomi Beijing car plant</a>' in page
    french = html_of(server.get("/search?q=pekin&lang=fr"))
    assert '<a href="/page/beijing?lang=fr">Pékin</a>' in french
    assert "Aucun libellé" in html_of(server.get("/search?q=zzzz-nothing&lang=fr"))


def test_each_question_runs_from_its_page_with_sources_and_downloads(server):
    listing = html_of(server.get("/questions"))
    assert listing.count('<li><a href="/questions/') == 16
    form = html_of(server.get("/questions/xiaomi-beijing-plant"))
    assert '<input name="company" value="id:xiaomi">' in form and 'id="answer"' not in form
    page = html_of(server.get("/questions/xiaomi-beijing-plant?company=id%3Axiaomi&run=1"))
    assert "<p>22 rows" in page and "<th>sources</th>" in page
    assert '<a class="download" href="/questions/xiaomi-beijing-plant.csv?company=id%3Axiaomi"' in page
    answer = server.get("/questions/xiaomi-beijing-plant.csv?company=id%3Axiaomi")
    assert answer.header("content-disposition") == 'attachment; filename="xiaomi-beijing-plant.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    capacity = [r for r in rows if r["aspect"] == "total capacity"]
    assert {r["value"] for r in capacity} == {"300000"} and len(capacity) == 3
    assert any("SCMP report" in r["sources"] and "2021-11-27" in r["sources"] for r in capacity)
    document = json.loads(server.get("/questions/xiaomi-beijing-plant.json").body)
    assert len(document["results"]["bindings"]) == len(rows) == 22


def test_a_bad_parameter_is_a_400_with_one_line(server):
    answer = server.get("/questions/xiaomi-beijing-plant?company=nobody-at-all&run=1")
    assert answer.status == 400
    assert answer.text.startswith("--param company=nobody-at-all: unknown entity") and answer.text.count("\n") == 1


def test_the_query_page_and_kgs_own_script_and_style(server):
    page = html_of(server.get("/query"))
    assert '<form id="sparql-form" action="/sparql" method="post">' in page and "<textarea" in page
    script = server.get("/static/kg.js")
    assert script.header("content-type") == "text/javascript; charset=utf-8"
    assert "fetch('/sparql'" in script.text and "innerHTML" not in script.text
    assert server.get("/static/kg.css").header("content-type") == "text/css; charset=utf-8"
    assert server.get("/static/nothing.js").status == 404


# -- hostile labels ----------------------------------------------------------------------

HOSTILE = """PREFIX id: <https://w3id.org/techauto/id/>
PREFIX ta: <https://w3id.org/techauto/ontology#>
PREFIX src: <https://w3id.org/techauto/source/>
PREFIX claim: <https://w3id.org/techauto/claim/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

src:note a ta:SourceDocument ; rdfs:label "A note </li><script>alert(1)</script>"@en ;
  ta:webLocation <javascript:alert(1)> ; ta:publisherName "\\" onmouseover=\\"alert(2)" .
claim:t a ta:Claim ; prov:wasDerivedFrom src:note ; ta:statedOn "2024-01-02"^^xsd:date ;
  ta:locator "<img src=x onerror=alert(3)>" .
claim:t {
  id:acme a ta:TechnologyCompany ; rdfs:label "Acme <b>bold</b> & co"@en ; ta:isPartnerOf id:carco .
  id:carco a ta:Automaker ; rdfs:label "CarCo </svg><script>alert(4)</script>"@en .
}
"""


def test_hostile_labels_sources_and_addresses_stay_text(tmp_path):
    data = tmp_path / "hostile.trig"
    data.write_text(HOSTILE, encoding="utf-8")
    hostile = Server("--data", data)
    try:
        pages = [html_of(hostile.get(path)) for path in ("/page/acme", "/page/carco", "/search?q=co")]
    finally:
        hostile.stop()
    everything = "".join(pages)
    assert "<script>alert" not in everything and "<img src=x" not in everything and "<b>bold" not in everything
    assert "source: A note &lt;/li&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "javascript:" not in everything  # an address that is not https is never a link
    assert "&lt;img src=x onerror=alert(3)&gt;" in pages[0]
    assert "Acme &lt;b&gt;bold&lt;/b&gt; &amp; co" in pages[0]
    assert "CarCo &lt;/svg&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in pages[1]
    assert "&quot; onmouseover=&quot;alert(2)" in pages[0]
    assert 'onmouseover="' not in everything


def test_a_store_on_disk_is_loaded_once_then_opened_read_only_by_each_worker(tmp_path):
    data = tmp_path / "hostile.trig"
    data.write_text(HOSTILE, encoding="utf-8")
    folder = tmp_path / "store"
    first = Server("--store", folder, "--data", data)
    try:
        assert "Acme &lt;b&gt;bold" in html_of(first.get("/page/acme"))
    finally:
        first.stop()
    manifest = json.loads((folder / "kg-store.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == ["shipped ontology", str(data)]
    again = Server("--store", folder, "--max-running", 2)
    try:
        assert f"{manifest['quads']:,} quads" in again.first_line
        ask = again.sparql_get("ASK { <https://w3id.org/techauto/id/acme> ?p <https://w3id.org/techauto/id/carco> }")
        assert json.loads(ask.body)["boolean"] is True
        assert again.get("/page/xiaomi").status == 404  # only what the store holds
    finally:
        again.stop()
