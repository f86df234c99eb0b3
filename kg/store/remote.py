"""The graph on a SPARQL 1.1 server: ``--endpoint URL`` of ``kg query``, ``explain``,
``validate``, and the HTTP side of ``kg push``.

:class:`RemoteStore` answers the part of ``pyoxigraph.Store``'s interface that
:class:`kg.store.KnowledgeGraph` reads through (``query``, ``quads_for_pattern``,
``named_graphs`` ...), over the SPARQL 1.1 Protocol, so every access still passes through
``KnowledgeGraph`` and answers come back as the same pyoxigraph terms (results are
read from the standard JSON results format by pyoxigraph's own parser).

The dataset. ``kg push`` leaves on the server kg's store layout (:mod:`kg.store.layout`)
with the merge of every graph in the named graph ``kgg:merged`` (a server need not have a
default graph of its own, and Virtuoso's, the union of all graphs, repeats a triple once
per graph that holds it), and a description of the dataset in ``kgg:dataset`` (SPARQL 1.1
Service Description: ``sd:defaultGraph kgg:merged``, one ``sd:namedGraph`` per claim,
``kgg:ontology`` and ``kgg:default``). Each query then names that dataset in the protocol
(``default-graph-uri``, and ``named-graph-uri`` when it has a ``GRAPH`` pattern), so it
sees what the embedded store shows, whatever the server's own default graph is. A server
without ``kgg:dataset`` (loaded by hand from ``kg export --for-server``) is queried with
``kgg:merged`` as default graph if it has that graph (Virtuoso's bulk loader told to put
the file's default graph there), else with its own default graph, which must then be the
file's (the Oxigraph server's, by default).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph

from kg import namespaces
from kg.errors import InputError, KgError
from kg.sparql_text import keywords
from kg.terms import DEFAULT_GRAPH, BlankNode, NamedNode, Quad

MERGED_GRAPH = NamedNode(namespaces.GRAPH_IRI + "merged")
"""Where ``kg push`` puts the merge of every graph: the default graph of kg's queries."""
DATASET_GRAPH = NamedNode(namespaces.GRAPH_IRI + "dataset")
"""Where ``kg push`` describes the dataset it pushed (SPARQL 1.1 Service Description)."""
SD = "http://www.w3.org/ns/sparql-service-description#"
USER_VARIABLE, PASSWORD_VARIABLE = "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"
RESULTS_JSON = "application/sparql-results+json"
_DATASET_QUERY = f"""SELECT ?default ?named WHERE {{ GRAPH <{DATASET_GRAPH.value}> {{
  ?dataset a <{SD}Dataset> ; <{SD}defaultGraph> ?default .
  OPTIONAL {{ ?dataset <{SD}namedGraph>/<{SD}name> ?named }} }} }}"""
_DECLARED_PREFIX = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*|):")


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL service: where queries go, updates go (``update``), the Graph Store
    Protocol (``graph_store``), the credentials (HTTP basic or digest) and a time limit
    per request in seconds."""

    url: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

    def __post_init__(self):
        for name in ("url", "update", "graph_store"):
            value = getattr(self, name)
            if value is not None and urllib.parse.urlsplit(value).scheme not in ("http", "https"):
                option = "--" + name.replace("_", "-") if name != "url" else "--endpoint"
                raise InputError(f"{option} {value!r}: expected an http:// or https:// URL")

    @classmethod
    def from_options(cls, url: str, *, update=None, graph_store=None, user=None, password=None,
                     timeout: float = 60.0) -> "Endpoint":
        """An endpoint from command-line options; credentials default to the environment
        (``KG_ENDPOINT_USER``, ``KG_ENDPOINT_PASSWORD``)."""
        return cls(url, update, graph_store, user or os.environ.get(USER_VARIABLE) or None,
                   password or os.environ.get(PASSWORD_VARIABLE) or None, timeout)

    # -- HTTP ------------------------------------------------------------------------

    def _opener(self, url: str):
        from kg.checks import safety

        safety.trust_endpoint(url)
        handlers = []
        if self.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, self.user, self.password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                         urllib.request.HTTPBasicAuthHandler(passwords)]
        return urllib.request.build_opener(*handlers)

    def send(self, url: str, method: str, body: bytes | None, content_type: str | None,
             accept: str | None = None) -> tuple[str, bytes]:
        """One HTTP request; (content type, body) of a 2xx answer, else a :class:`KgError`
        of one line naming the URL and what the server said."""
        headers = {"User-Agent": "techauto-kg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        _allow_many_headers()
        try:
            with self._opener(url).open(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read().decode("utf-8", "replace")) or exc.reason
            raise KgError(f"{_where(url)}: HTTP {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise KgError(f"{_where(url)}: cannot reach the server: {exc.reason}") from None
        except (TimeoutError, OSError) as exc:
            raise KgError(f"{_where(url)}: cannot reach the server: {exc}") from None

    def post_form(self, url: str, fields: list[tuple[str, str]], accept: str | None = None) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(fields).encode("utf-8")
        return self.send(url, "POST", body, "application/x-www-form-urlencoded", accept)

    def select(self, text: str, dataset: list[tuple[str, str]] = ()) -> pyoxigraph.QuerySolutions:
        """The solutions of a SELECT query (no prefixes added)."""
        _, body = self.post_form(self.url, [("query", text), *dataset], RESULTS_JSON)
        return _parse_results(body)

    def update_request(self, text: str) -> None:
        """Run a SPARQL update at the update endpoint (the query endpoint when not given)."""
        self.post_form(self.update or self.url, [("update", text)])


def _allow_many_headers() -> None:
    """Virtuoso 7 echoes each ``named-graph-uri`` of a query as a response header
    (``X-SPARQL-named-graph``), one per claim: more than the 100 headers Python's
    ``http.client`` reads by default, so its limit is raised for kg's requests."""
    import http.client

    http.client._MAXHEADERS = max(getattr(http.client, "_MAXHEADERS", 100), 100_000)


def _where(url: str) -> str:
    """A URL without its query string and credentials, for messages."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def _first_line(text: str) -> str:
    lines = [line.strip() for line in re.sub(r"<[^>]+>", " ", text).splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


def with_prefixes(text: str, prefixes: dict[str, str] | None) -> str:
    """``text`` with a ``PREFIX`` line for each of ``prefixes`` it does not declare itself."""
    if not prefixes:
        return text
    declared = set(_DECLARED_PREFIX.findall(text))
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in declared]
    return "\n".join(lines + [text])


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the query's first form keyword."""
    found = [k.word for k in keywords(text)]
    return next((w for w in found if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "SELECT")


def _term(term) -> str:
    """A term in a query's text (N-Triples syntax)."""
    return str(term)


class RemoteStore:
    """A SPARQL server seen as a read-only ``pyoxigraph.Store`` (the part kg uses)."""

    def __init__(self, endpoint: Endpoint):
        self.endpoint = endpoint
        self._cache: dict[tuple, list[Quad]] = {}
        default, named = self._pushed_dataset()
        self.default_graph = default
        """``kgg:merged`` on a server ``kg push`` filled, else None: the server's default graph."""
        self._named = named

    def _pushed_dataset(self) -> tuple[NamedNode | None, list[NamedNode]]:
        """The dataset ``kgg:dataset`` describes; without it (a server loaded by hand),
        ``kgg:merged`` as default graph when the server has it, else the server's own, and
        every other graph as named graphs."""
        rows = list(self.endpoint.select(_DATASET_QUERY))
        if rows:
            named = {r[1] for r in rows if isinstance(r[1], NamedNode)}
            return rows[0][0], sorted(named, key=lambda g: g.value)
        # GROUP BY, not DISTINCT: Virtuoso 7 takes minutes over SELECT DISTINCT ?g.
        found = self.endpoint.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        graphs = {r[0] for r in found if isinstance(r[0], NamedNode)}
        default = MERGED_GRAPH if MERGED_GRAPH in graphs else None
        return default, sorted(graphs - {MERGED_GRAPH}, key=lambda g: g.value)

    def _dataset(self, text: str) -> list[tuple[str, str]]:
        """The protocol's dataset parameters for a query (none on a server kg did not fill)."""
        if self.default_graph is None:
            return []
        fields = [("default-graph-uri", self.default_graph.value)]
        if any(k.word == "GRAPH" for k in keywords(text)):
            fields += [("named-graph-uri", g.value) for g in self._named]
        return fields

    # -- what KnowledgeGraph calls -----------------------------------------------------

    def query(self, text: str, prefixes: dict[str, str] | None = None, **_dataset_options):
        """Run a SELECT or ASK query on the server's kg dataset (the dataset options of
        ``pyoxigraph.Store.query`` are kg's default dataset, which this is); the results
        as pyoxigraph's. A syntax error is a ``SyntaxError``, as from Oxigraph."""
        form = query_form(text)
        if form not in ("SELECT", "ASK"):
            raise InputError(f"{form} queries are not run on a SPARQL endpoint here: only SELECT and ASK")
        full = with_prefixes(text, prefixes)
        try:
            _, body = self.endpoint.post_form(self.endpoint.url, [("query", full), *self._dataset(text)],
                                              RESULTS_JSON)
        except KgError as exc:
            if ": HTTP 400:" in str(exc):
                _local_syntax_check(text, prefixes)
            raise
        results = _parse_results(body)
        if form == "ASK" and isinstance(results, pyoxigraph.QuerySolutions):
            return _virtuoso_ask(body)
        return results

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterator[Quad]:
        """The quads matching a pattern; ``DEFAULT_GRAPH`` is the dataset's default graph
        (the merge), None any graph (the default graph's quads too, as in Oxigraph)."""
        key = (_key(subject), _key(predicate), _key(obj), _key(graph))
        if key not in self._cache:
            self._cache[key] = self._fetch(subject, predicate, obj, graph)
        return iter(self._cache[key])

    def _fetch(self, subject, predicate, obj, graph) -> list[Quad]:
        if any(isinstance(t, BlankNode) for t in (subject, predicate, obj, graph)):
            return []  # a server's blank nodes cannot be named in a query
        names = ("s", "p", "o")
        terms = (subject, predicate, obj)
        pattern = " ".join(_term(t) if t is not None else f"?{n}" for n, t in zip(names, terms))
        wanted = [n for n, t in zip(names, terms) if t is None]
        found: list[Quad] = []
        if graph is None or graph == DEFAULT_GRAPH:
            found += self._rows(f"{{ {pattern} }}", wanted, terms, DEFAULT_GRAPH)
        if graph is None:
            found += self._rows(f"{{ GRAPH ?g {{ {pattern} }} }}", wanted + ["g"], terms, None)
        elif graph != DEFAULT_GRAPH:
            found += self._rows(f"{{ GRAPH {_term(graph)} {{ {pattern} }} }}", wanted, terms, graph)
        return found

    def _rows(self, where: str, wanted: list[str], terms, graph) -> list[Quad]:
        projection = " ".join(f"?{n}" for n in wanted) or "*"
        text = f"SELECT {projection} WHERE {where}" if wanted else f"SELECT * WHERE {where} LIMIT 1"
        found = []
        for row in self.query(text):
            values = dict(zip(wanted, row)) if wanted else {}
            s, p, o = (values.get(n, t) for n, t in zip(("s", "p", "o"), terms))
            g = values.get("g", graph)
            if g is None or (self.default_graph is not None and g == self.default_graph):
                continue
            found.append(Quad(s, p, o, g))
        return found

    def named_graphs(self) -> Iterator[NamedNode]:
        return iter(self._named)

    def contains_named_graph(self, graph) -> bool:
        return graph in self._named

    def __iter__(self) -> Iterator[Quad]:
        return self.quads_for_pattern()

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def dump(self, format=None, from_graph=None) -> bytes:
        """One graph as N-Triples (what the exports read)."""
        lines = sorted({f"{q.triple} ." for q in self.quads_for_pattern(None, None, None, from_graph)})
        return "".join(line + "\n" for line in lines).encode("utf-8")

    def bulk_extend(self, quads) -> None:
        raise InputError(f"the graph on {_where(self.endpoint.url)} is only read here: reasoning and "
                         "--inferred need a local graph (leave out --endpoint)")

    extend = update = remove_graph = bulk_extend


def _parse_results(body: bytes):
    """SPARQL 1.1 JSON results as pyoxigraph's; blank node labels that are not valid in
    RDF syntax (Virtuoso's ``nodeID://b10006``) are renamed first, the same label to the
    same name."""
    if b'"bnode"' in body:
        body = _valid_blank_labels(body)
    return pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)


def _valid_blank_labels(body: bytes) -> bytes:
    document = json.loads(body)
    for solution in document.get("results", {}).get("bindings", []):
        for value in solution.values():
            if value.get("type") == "bnode" and not re.fullmatch(r"[A-Za-z0-9_]+", value.get("value", "")):
                value["value"] = "b" + value["value"].encode("utf-8").hex()
    return json.dumps(document).encode("utf-8")


def _key(term):
    return None if term is None else (type(term).__name__, str(term))


def _local_syntax_check(text: str, prefixes) -> None:
    """Raise Oxigraph's ``SyntaxError`` (with its line and column) when ``text`` does not parse."""
    pyoxigraph.Store().query(text, prefixes=prefixes or {})


def _virtuoso_ask(body: bytes) -> pyoxigraph.QueryBoolean:
    """Virtuoso 7 answers ASK as one solution of ``?__ASK_RETVAL`` (1 or 0), not as the
    standard ``{"boolean": ...}``: read it as the boolean it means."""
    document = json.loads(body)
    bindings = document.get("results", {}).get("bindings", [])
    value = bindings[0].get("__ASK_RETVAL", {}).get("value") if bindings else "0"
    standard = json.dumps({"head": {}, "boolean": value in ("1", "true")}).encode()
    return pyoxigraph.parse_query_results(standard, format=pyoxigraph.QueryResultsFormat.JSON)
