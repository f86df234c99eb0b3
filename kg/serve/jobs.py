"""What a worker of ``kg serve`` does with a request: run a SPARQL query, render a page,
give an entity's data. It runs inside a worker process (:mod:`kg.serve.pool`), under
the guard of :mod:`kg.checks.safety` (no network unless allowed, no files beyond kg's
own), and answers with a :class:`kg.serve.pool.Reply`.

The data of the pages come from what the commands use: ``kg explain``
(:mod:`kg.answers.explain`) for an entity, the shipped questions
(:mod:`kg.answers.questions`, :mod:`kg.answers.answering`) for the home page and the
questions' pages, the ontology graph's quads for its terms.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from kg.errors import InputError, KgError
from kg.serve import pages
from kg.serve.pool import Reply

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
RESULT_FORMATS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
"""SELECT and ASK answers: media type -> :mod:`kg.answers.results` format, the first the default."""
GRAPH_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "jsonld"}
"""CONSTRUCT and DESCRIBE answers: media type -> format, the first the default."""
DATA_FORMATS = {"Turtle": ("ttl", "text/turtle"), "JSON-LD": ("jsonld", "application/ld+json"),
                "N-Triples": ("nt", "application/n-triples"), "TriG": ("trig", "application/trig"),
                "N-Quads": ("nq", "application/n-quads")}
"""An entity's data (``/data/<slug>.<ext>``): name -> (suffix, media type)."""
SUFFIX_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "jsonld", "trig": "trig", "nq": "nquads"}
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
TERM = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
SEARCH_LIMIT = 60


def plain(status: int, message: str) -> Reply:
    """An error: its status and one line of text."""
    return Reply(status, TEXT, (message.splitlines()[0] if message else str(status)).encode("utf-8") + b"\n")


def html_reply(text: str, status: int = 200) -> Reply:
    return Reply(status, HTML, text.encode("utf-8"))


def fold(text: str) -> str:
    """Text compared without case or accents: "Pékin" and "pekin" are the same."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()


class Service:
    """A worker's graph and what it has worked out once (the question catalogue, the
    search index, the home page's rows: the graph never changes while the server runs)."""

    def __init__(self, kg, *, allow_network: bool, limit: int):
        from kg.answers import questions

        self.kg, self.allow_network, self.limit = kg, allow_network, limit
        # The graph never changes while the server runs: a page names the same labels
        # again and again (each a look-up in the store), so this graph remembers them.
        kg.label = functools.lru_cache(maxsize=200_000)(kg.label)
        self.catalogue = questions.catalogue()
        self._index: list[tuple[str, str]] | None = None
        self._entrants: list[dict] | None = None

    def handle(self, request: tuple) -> Reply:
        """Answer ``(kind, arguments)`` under the guard; a stranger's failing query is a 400."""
        from kg.checks import safety

        kind, arguments = request
        try:
            with safety.guard(network=self.allow_network):
                return getattr(self, f"do_{kind}")(**arguments)
        except InputError as exc:
            return plain(400, str(exc))
        except KgError as exc:
            return plain(400, str(exc))
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - evaluating a stranger's query may fail in many ways
            reason = safety.refusal(exc) or safety.first_line(exc)
            return plain(400, f"query failed: {reason}")

    # -- the SPARQL endpoint ---------------------------------------------------------

    def do_sparql(self, text: str, form: str, media_type: str) -> Reply:
        from kg.answers import answering, questions

        query = questions.parse_query("query", "query", text, require_header=False)
        if form in ("SELECT", "ASK"):
            try:
                answer = answering.answer(query, {}, kg=self.kg, limit=self.limit)
            except KgError as exc:
                raise InputError(_where(exc)) from None
            if "capped_at" in answer.meta:
                return plain(413, f"the answer has more than {self.limit} rows (the server's --limit); "
                                  "add LIMIT to the query")
            return Reply(200, _with_charset(media_type), answer.render(RESULT_FORMATS[media_type]).encode("utf-8"))
        try:
            result = self.kg.query(text)
        except KgError as exc:
            raise InputError(_where(exc)) from None
        triples = []
        for triple in result:
            if len(triples) == self.limit:
                return plain(413, f"the answer has more than {self.limit} triples (the server's --limit); "
                                  "add LIMIT to the query")
            triples.append(triple)
        return Reply(200, _with_charset(media_type), rdf_bytes(triples, GRAPH_FORMATS[media_type], quads=False))

    # -- entities --------------------------------------------------------------------

    def entity(self, slug: str):
        from kg.terms import ID

        if not SLUG.fullmatch(slug):
            return None
        entity = ID[slug]
        return entity if self.kg.mentions(entity) else None

    def do_page(self, slug: str, lang: str) -> Reply:
        from kg.answers import explain

        entity = self.entity(slug)
        if entity is None:
            return html_reply(pages.error_page(404, f"no such thing: id:{slug}", lang), 404)
        explanation = explain.explain(self.kg, entity, lang)
        return html_reply(pages.entity_page(explanation, slug, lang, DATA_FORMATS))

    def do_data(self, slug: str, suffix: str) -> Reply:
        from kg.answers import explain
        from kg.terms import DCTERMS, PROV, RDFS, TA, DefaultGraph, Literal, Quad

        entity = self.entity(slug)
        if entity is None or suffix not in SUFFIX_FORMATS:
            return plain(404, f"no such data: /data/{slug}.{suffix}")
        explanation = explain.explain(self.kg, entity)
        default = DefaultGraph()
        quads = []
        for label in self._labels(entity):
            quads.append(Quad(entity, RDFS.label, label, default))
        for st in explanation.statements:
            for claim in st.claims:
                quads.append(Quad(st.subject, st.property, st.value, claim.claim))
                described = [(TA.hasClaimKind, claim.kind), (TA.statedOn, claim.stated_on),
                             (TA.hasConfidence, claim.confidence),
                             (TA.locator, Literal(claim.locator) if claim.locator else None)]
                quads += [Quad(claim.claim, p, o, default) for p, o in described if o is not None]
                for source in claim.sources:
                    quads.append(Quad(claim.claim, PROV.wasDerivedFrom, source.source, default))
                    quads += [Quad(source.source, p, o, default)
                              for p in (RDFS.label, TA.publisherName, TA.webLocation, DCTERMS.issued)
                              for o in self._values(source.source, p)]
        fmt = SUFFIX_FORMATS[suffix]
        media = next(m for _, (s, m) in DATA_FORMATS.items() if s == suffix)
        merged = fmt in ("turtle", "nt", "jsonld")
        return Reply(200, _with_charset(media), rdf_bytes(quads, fmt, quads=not merged))

    def _labels(self, term) -> list:
        from kg.terms import RDFS, Literal

        return sorted({q.object for q in self.kg.quads(term, RDFS.label, None) if isinstance(q.object, Literal)},
                      key=str)

    def _values(self, term, prop) -> list:
        return sorted({q.object for q in self.kg.quads(term, prop, None)}, key=str)

    # -- the ontology ----------------------------------------------------------------

    def do_term(self, name: str, lang: str) -> Reply:
        from kg.terms import ONTOLOGY_GRAPH, RDFS, SKOS, TA, Literal, NamedNode

        if not TERM.fullmatch(name):
            return html_reply(pages.error_page(404, f"no such term: ta:{name}", lang), 404)
        term = TA[name]
        quads = list(self.kg.quads(term, None, None, ONTOLOGY_GRAPH))
        if not quads:
            return html_reply(pages.error_page(404, f"no such term: ta:{name}", lang), 404)
        definitions = sorted(((q.object.language or "", q.object.value) for q in quads
                              if q.predicate == SKOS.definition and isinstance(q.object, Literal)),
                             key=lambda d: (d[0] != lang, d))
        rows: dict[str, list[str]] = {}
        for quad in sorted(quads, key=lambda q: (q.predicate.value, str(q.object))):
            if quad.predicate in (RDFS.label, SKOS.definition, SKOS.prefLabel):
                continue
            rows.setdefault(self._term_name(quad.predicate, lang), []).append(self._term_value(quad.object, lang))
        narrower = sorted({q.subject for q in self.kg.quads(None, RDFS.subClassOf, term, ONTOLOGY_GRAPH)
                           if isinstance(q.subject, NamedNode)}, key=lambda t: t.value)
        if narrower:
            rows["← rdfs:subClassOf"] = [self._term_value(t, lang) for t in narrower]
        return html_reply(pages.term_page(self.kg, term, lang, list(rows.items()), definitions))

    def _term_name(self, prop, lang: str) -> str:
        from kg.namespaces import prefixed

        return prefixed(prop.value) or prop.value

    def _term_value(self, term, lang: str) -> str:
        from kg.namespaces import TA_IRI, prefixed
        from kg.terms import Literal, NamedNode

        if isinstance(term, NamedNode):
            if term.value.startswith(TA_IRI):
                return pages.link(term.value, f"{self.kg.label(term, lang)} (ta:{term.value[len(TA_IRI):]})", lang)
            return pages.external(term.value, prefixed(term.value) or term.value, ("https://", "http://"))
        if isinstance(term, Literal):
            return pages.e(term.value) + (f" <small>@{pages.e(term.language)}</small>" if term.language else "")
        return pages.e(str(term))

    def do_ontology(self, lang: str) -> Reply:
        from kg.namespaces import TA_IRI
        from kg.terms import ONTOLOGY_GRAPH, OWL, RDF, SKOS, Literal

        kinds = {OWL.Class: "classes", OWL.ObjectProperty: "properties", OWL.DatatypeProperty: "properties",
                 OWL.AnnotationProperty: "properties", OWL.TransitiveProperty: "properties",
                 OWL.SymmetricProperty: "properties", OWL.FunctionalProperty: "properties"}
        groups: dict[str, dict[str, tuple]] = {"classes": {}, "properties": {}, "other_terms": {}}
        for quad in self.kg.quads(None, RDF.type, None, ONTOLOGY_GRAPH):
            iri = quad.subject.value
            if not iri.startswith(TA_IRI) or not iri[len(TA_IRI):]:
                continue
            name = iri[len(TA_IRI):]
            group = kinds.get(quad.object, "other_terms")
            for other in groups.values():
                if name in other and group == "other_terms":
                    break
            else:
                for other in groups.values():
                    other.pop(name, None)
                definition = next((q.object.value for q in self.kg.quads(quad.subject, SKOS.definition, None,
                                                                        ONTOLOGY_GRAPH)
                                   if isinstance(q.object, Literal) and q.object.language in (lang, "en")), "")
                groups[group][name] = (name, self.kg.label(quad.subject, lang), definition)
        ordered = {k: sorted(v.values(), key=lambda t: t[1].casefold()) for k, v in groups.items()}
        return html_reply(pages.ontology_page(ordered, lang))

    def do_ontology_data(self, media_type: str) -> Reply:
        from kg.terms import ONTOLOGY_GRAPH

        triples = [q.triple for q in self.kg.quads(None, None, None, ONTOLOGY_GRAPH)]
        return Reply(200, _with_charset(media_type), rdf_bytes(triples, GRAPH_FORMATS[media_type], quads=False))

    # -- home and search -------------------------------------------------------------

    def do_home(self, lang: str) -> Reply:
        return html_reply(pages.home_page(self.entrants(lang), lang))

    def entrants(self, lang: str) -> list[dict]:
        """One row per entrant and programme: route, latest status, plants and reported
        investment sums, from the shipped questions entrants-by-route, plants-by-company
        and investments-per-currency."""
        from kg.answers import answering

        def rows(name):
            if name not in self.catalogue:
                return []
            return answering.answer(self.catalogue[name], {}, kg=self.kg).rows

        plants: dict = {}
        for company, plant, *_ in rows("plants-by-company"):
            plants.setdefault(company, set()).add(plant)
        money: dict = {}
        for investor, currency, kind, scope, _count, total in rows("investments-per-currency"):
            if currency is not None and total is not None:  # each sum as the question gives it, never added up
                what = ", ".join(t.value for t in (kind, scope) if t is not None)
                money.setdefault(investor, []).append(f"{currency.value} {_amount(total.value)}"
                                                      + (f" ({what})" if what else ""))
        found = []
        for company, programme, routes, status, date in rows("entrants-by-route"):
            found.append({
                "company": company.value, "company_label": self.kg.label(company, lang),
                "programme": programme.value if programme is not None else None,
                "programme_label": self.kg.label(programme, lang) if programme is not None else "",
                "routes": routes.value if routes is not None else "",
                "status": status.value if status is not None else "",
                "status_date": date.value if date is not None else "",
                "plants": len(plants.get(company, ())),
                "investments": money.get(company, []),
            })
        found.sort(key=lambda r: (r["company_label"].casefold(), r["programme"] or ""))
        return found

    def do_search(self, q: str, lang: str) -> Reply:
        from kg.terms import NamedNode

        wanted = fold(q.strip())
        if self._index is None:
            self._index = sorted({(fold(label), s.value) for s, label in self.kg.labels()})
        hits = sorted({iri for label, iri in self._index if wanted and wanted in label})
        found = []
        for iri in hits:
            term = NamedNode(iri)
            types = ", ".join(self.kg.label(t, lang) for t in self.kg.types(term))
            found.append((iri, self.kg.label(term, lang), types))
        found.sort(key=lambda f: (not fold(f[1]).startswith(wanted), f[1].casefold(), f[0]))
        return html_reply(pages.search_page(q, found[:SEARCH_LIMIT], lang))

    # -- questions -------------------------------------------------------------------

    def do_questions(self, lang: str) -> Reply:
        return html_reply(pages.questions_page(self.catalogue, lang))

    def do_question(self, name: str, given: dict, run: bool, fmt: str, lang: str) -> Reply:
        from kg.answers import answering

        query = self.catalogue.get(name)
        if query is None:
            return plain(404, f"no such question: {name}")
        given = {k: v for k, v in given.items() if v != ""}
        if fmt == "html" and not run:
            return html_reply(pages.question_page(query, given, lang, None, None))
        answer = answering.answer(query, given, kg=self.kg, with_sources=True, limit=self.limit)
        if fmt in ("csv", "json"):
            media = {"csv": "text/csv; charset=utf-8", "json": "application/sparql-results+json"}[fmt]
            return Reply(200, media, answer.render(fmt).encode("utf-8"),
                         {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
        if answer.boolean is not None:
            table = f"<p><strong>{pages.e(pages.word(lang, 'true' if answer.boolean else 'false'))}</strong></p>"
            count = 1
        else:
            columns, rows = list(answer.columns), answer.rows
            if answer.sources is not None:
                from kg.terms import Literal

                columns.append("sources")
                rows = [tuple(r) + (Literal(s),) for r, s in zip(rows, answer.sources)]
            table, count = pages.answer_table(self.kg, columns, rows, lang), len(rows)
        return html_reply(pages.question_page(query, given, lang, table, count))


def _amount(text: str) -> str:
    """A reported sum with thousands separators, its digits as the graph has them."""
    whole, dot, fraction = text.partition(".")
    if not whole.lstrip("-").isdigit():
        return text
    return f"{int(whole):,}" + (dot + fraction if fraction.strip("0") else "")


def _where(exc: KgError) -> str:
    message = str(exc)
    return f"query:{message}" if message[:1].isdigit() else message


def _with_charset(media_type: str) -> str:
    return media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type


def rdf_bytes(statements: list, fmt: str, *, quads: bool) -> bytes:
    """Triples or quads (pyoxigraph) in ``fmt``, sorted so that the same statements give the
    same bytes (the way :mod:`kg.exports.rdf` writes the whole graph)."""
    import pyoxigraph

    from kg.exports import rdf

    lines_format = pyoxigraph.RdfFormat.N_QUADS if quads else pyoxigraph.RdfFormat.N_TRIPLES
    if not quads:
        statements = [s.triple if isinstance(s, pyoxigraph.Quad) else s for s in statements]
    text = pyoxigraph.serialize(statements, format=lines_format) or b""
    lines = sorted(set(text.splitlines()))
    canonical = b"".join(line + b"\n" for line in lines)
    if fmt in ("nt", "nquads"):
        return canonical
    writers = {"turtle": pyoxigraph.RdfFormat.TURTLE, "trig": pyoxigraph.RdfFormat.TRIG,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD}
    parsed = pyoxigraph.parse(canonical, format=lines_format)
    data = pyoxigraph.serialize(parsed, format=writers[fmt], prefixes=dict(sorted(rdf.namespaces.PREFIXES.items())))
    if fmt == "jsonld":
        return rdf.with_context(data or b"[]")
    return rdf._sorted_prologue(data or b"")
