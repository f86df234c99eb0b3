"""The HTTP side of ``kg serve``: a Starlette application on uvicorn, and starting it.

Routes (the Linked Data practice is that of "Cool URIs for the Semantic Web", W3C note,
303 redirects):

- ``/sparql``: the SPARQL 1.1 Protocol (query operation: GET ``?query=``, POST of a form
  or of ``application/sparql-query``), read-only, the answer's format chosen by Accept;
- ``/id/<slug>``: the thing ``https://w3id.org/techauto/id/<slug>`` itself, which is not a
  document: ``303 See Other`` to its page ``/page/<slug>`` (HTML) or to its data
  ``/data/<slug>.ttl`` (``.jsonld``, ``.nt``, ``.trig``, ``.nq``) by Accept, with
  ``Vary: Accept``;
- ``/ontology`` (the ontology document: HTML, or Turtle, N-Triples, JSON-LD by Accept;
  its hash IRIs ``ontology#Term`` land on the term's anchor) and ``/ontology/<Term>``;
- ``/`` (the entrants), ``/search?q=``, ``/questions``, ``/questions/<name>`` (``.csv``,
  ``.json``), ``/query`` (an editor for ``/sparql``), ``/static/kg.css`` and ``kg.js``.

The server's process only routes: every answer that needs the graph comes from a worker
of :mod:`kg.serve.pool`. Pages and data are kept once made (the graph does not change
while the server runs); SPARQL answers are not.
"""

from __future__ import annotations

import collections
import re
import socket
import sys
from urllib.parse import parse_qs, urlencode

from kg.checks import sparql as sparql_checks
from kg.errors import InputError
from kg.serve import jobs, negotiation, pages, static
from kg.serve.pool import Busy, Pool, Reply, Timeout, WorkerDied

MAX_QUERY_BYTES = 100_000
"""The longest query text (or POST body) accepted: a longer one is a 413."""
CACHE_ENTRIES, CACHE_BYTES = 4096, 64 * 2**20
PAGE_TYPES = ["text/html", "application/xhtml+xml"]
DATA_SUFFIXES = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
                 "application/trig": "trig", "application/n-quads": "nq"}
SECURITY_HEADERS = {"Content-Security-Policy": pages.CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin"}


class Cache:
    """Replies already made, by request, least recently used dropped first."""

    def __init__(self, entries: int = CACHE_ENTRIES, size: int = CACHE_BYTES):
        self.entries, self.size, self.used = entries, size, 0
        self.items: collections.OrderedDict = collections.OrderedDict()

    def get(self, key):
        reply = self.items.get(key)
        if reply is not None:
            self.items.move_to_end(key)
        return reply

    def put(self, key, reply: Reply) -> None:
        if reply.status != 200 or len(reply.body) > self.size // 8 or key in self.items:
            return
        self.items[key] = reply
        self.used += len(reply.body)
        while len(self.items) > self.entries or self.used > self.size:
            _, dropped = self.items.popitem(last=False)
            self.used -= len(dropped.body)


def make_app(pool: Pool, *, allow_network: bool, timeout: float, max_running: int):
    """The Starlette application answering through ``pool``."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import RedirectResponse, Response
    from starlette.routing import Route

    cache = Cache()

    def respond(reply: Reply, extra: dict | None = None) -> Response:
        headers = dict(SECURITY_HEADERS)
        headers.update(reply.headers)
        headers.update(extra or {})
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)

    def text(status: int, message: str, extra: dict | None = None) -> Response:
        return respond(jobs.plain(status, message), extra)

    async def call(kind: str, arguments: dict, *, cached: bool = True) -> Reply:
        key = (kind, tuple(sorted(arguments.items(), key=lambda item: item[0])))
        reply = cache.get(key) if cached else None
        if reply is not None:
            return reply
        try:
            reply = await pool.run((kind, arguments))
        except Busy:
            return jobs.plain(503, f"server busy: {max_running} queries already running (--max-running) and "
                                   f"none finished within {pool.wait:g} s (--queue-seconds); try again")
        except Timeout:
            return jobs.plain(408, f"query timed out after {timeout:g} s (--timeout); it was stopped")
        except WorkerDied as exc:
            return jobs.plain(413 if exc.out_of_memory else 500, str(exc))
        if cached:
            cache.put(key, reply)
        return reply

    def lang_of(request: Request) -> tuple[str, dict]:
        lang = negotiation.language(request.query_params.get("lang"), request.headers.get("accept-language"))
        vary = {} if request.query_params.get("lang") in negotiation.LANGUAGES else {"Vary": "Accept-Language"}
        return lang, {"Content-Language": lang, **vary}

    async def page(request: Request, kind: str, **arguments) -> Response:
        lang, headers = lang_of(request)
        return respond(await call(kind, {**arguments, "lang": lang}), headers)

    # -- SPARQL ------------------------------------------------------------------------

    async def sparql(request: Request) -> Response:
        params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_QUERY_BYTES:
                    return text(413, f"request body longer than {MAX_QUERY_BYTES} bytes")
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return text(400, "request body is not UTF-8")
            if kind == "application/x-www-form-urlencoded":
                for key, values in parse_qs(decoded, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif kind == "application/sparql-query":
                params.setdefault("query", []).append(decoded)
            elif kind == "application/sparql-update":
                return text(400, "SPARQL update refused: this endpoint is read-only")
            else:
                return text(415, f"POST a form (application/x-www-form-urlencoded) or application/sparql-query, "
                                 f"not {kind or 'no content type'}")
        if "update" in params:
            return text(400, "SPARQL update refused: this endpoint is read-only")
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                hint = "not supported; name graphs with FROM in the query" if allow_network else (
                    f"refused: it would load graphs from their IRIs; {sparql_checks.NETWORK_HINT}")
                return text(400, f"{name} {hint}")
        queries = params.get("query", [])
        if len(queries) != 1:
            return text(400, "give exactly one query (the query parameter)" if queries else
                        "no query given: GET /sparql?query=... or POST it")
        query = queries[0]
        if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
            return text(413, f"query longer than {MAX_QUERY_BYTES} bytes")
        try:
            form = sparql_checks.check_query(query, "query", allow_network)
        except InputError as exc:
            return text(400, str(exc))
        offered = list(jobs.RESULT_FORMATS if form in ("SELECT", "ASK") else jobs.GRAPH_FORMATS)
        media = negotiation.choose(request.headers.get("accept"), offered)
        if media is None:
            return text(406, f"none of the accepted media types is offered for {form}: {', '.join(offered)}",
                        {"Vary": "Accept"})
        reply = await call("sparql", {"text": query, "form": form, "media_type": media}, cached=False)
        return respond(reply, {"Vary": "Accept"})

    # -- things, their pages and data --------------------------------------------------

    async def thing(request: Request) -> Response:
        slug = request.path_params["slug"]
        offered = PAGE_TYPES + list(DATA_SUFFIXES)
        media = negotiation.choose(request.headers.get("accept"), offered)
        if media is None:
            return text(406, f"none of the accepted media types is offered: {', '.join(offered)}", {"Vary": "Accept"})
        if media in PAGE_TYPES:
            query = request.url.query
            target = f"/page/{slug}" + (f"?{query}" if query else "")
        else:
            target = f"/data/{slug}.{DATA_SUFFIXES[media]}"
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept", **SECURITY_HEADERS})

    async def entity_page(request: Request) -> Response:
        return await page(request, "page", slug=request.path_params["slug"])

    async def entity_data(request: Request) -> Response:
        return respond(await call("data", {"slug": request.path_params["slug"],
                                           "suffix": request.path_params["suffix"]}))

    # -- the ontology -----------------------------------------------------------------

    async def ontology(request: Request) -> Response:
        offered = PAGE_TYPES + list(jobs.GRAPH_FORMATS)
        media = negotiation.choose(request.headers.get("accept"), offered)
        if media is None:
            return text(406, f"none of the accepted media types is offered: {', '.join(offered)}", {"Vary": "Accept"})
        if media in PAGE_TYPES:
            lang, headers = lang_of(request)
            return respond(await call("ontology", {"lang": lang}), {**headers, "Vary": "Accept, Accept-Language"})
        return respond(await call("ontology_data", {"media_type": media}), {"Vary": "Accept"})

    async def ontology_turtle(request: Request) -> Response:
        return respond(await call("ontology_data", {"media_type": "text/turtle"}))

    async def term(request: Request) -> Response:
        return await page(request, "term", name=request.path_params["name"])

    # -- home, search, questions, query ------------------------------------------------

    async def home(request: Request) -> Response:
        return await page(request, "home")

    async def search(request: Request) -> Response:
        return await page(request, "search", q=request.query_params.get("q", "")[:200])

    async def question_list(request: Request) -> Response:
        return await page(request, "questions")

    async def question(request: Request) -> Response:
        name, fmt = request.path_params["name"], "html"
        match = re.fullmatch(r"(.+)\.(csv|json)", name)
        if match:
            name, fmt = match.groups()
        given = {k: v for k, v in request.query_params.items() if k not in ("lang", "run")}
        lang, headers = lang_of(request)
        arguments = {"name": name, "given": given, "run": "run" in request.query_params, "fmt": fmt, "lang": lang}
        key = dict(arguments, given=urlencode(sorted(given.items())))
        reply = cache.get(("question", tuple(sorted(key.items()))))
        if reply is None:
            reply = await call("question", arguments, cached=False)
            cache.put(("question", tuple(sorted(key.items()))), reply)
        return respond(reply, headers)

    async def query_page(request: Request) -> Response:
        lang, headers = lang_of(request)
        return respond(jobs.html_reply(pages.query_page(lang)), headers)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        files = {"kg.css": (static.CSS, "text/css; charset=utf-8"),
                 "kg.js": (static.JS, "text/javascript; charset=utf-8")}
        if name not in files:
            return text(404, f"no such file: /static/{name}")
        body, media = files[name]
        return respond(Reply(200, media, body.encode("utf-8"), {"Cache-Control": "max-age=3600"}))

    async def favicon(request: Request) -> Response:
        return Response(b"", status_code=204, headers=SECURITY_HEADERS)

    async def not_found(request: Request, exc) -> Response:
        return text(getattr(exc, "status_code", 404), f"no such page: {request.url.path}")

    routes = [
        Route("/", home), Route("/search", search),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/id/{slug}", thing), Route("/page/{slug}", entity_page),
        Route("/data/{slug}.{suffix}", entity_data),
        Route("/ontology", ontology), Route("/ontology.ttl", ontology_turtle), Route("/ontology/{name}", term),
        Route("/questions", question_list), Route("/questions/{name}", question),
        Route("/query", query_page), Route("/static/{name}", asset), Route("/favicon.ico", favicon),
    ]
    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: one the system picks); one line if it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP said outright: asyncio sets TCP_NODELAY only on sockets that say it, and
    # without it a keep-alive response waits 40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"--host {host} --port {port}: cannot listen there: {exc.strerror or exc}") from None
    sock.listen(1024)
    sock.set_inheritable(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run(pool: Pool, sock: socket.socket, *, allow_network: bool, timeout: float, max_running: int,
        note: str = "") -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); the workers are stopped either way."""
    import uvicorn

    try:
        import httptools  # noqa: F401 - uvicorn's faster HTTP parser, when installed

        http = "httptools"
    except ImportError:
        http = "h11"
    app = make_app(pool, allow_network=allow_network, timeout=timeout, max_running=max_running)
    url = url_of(sock)
    print(f"kg serve: listening on {url}/ (SPARQL endpoint {url}/sparql){note}; Ctrl-C stops", flush=True)
    config = uvicorn.Config(app, http=http, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, timeout_graceful_shutdown=2)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        pool.stop()
        sock.close()
        print("kg serve: stopped", file=sys.stderr)
