"""The HTML pages of ``kg serve``: entities, ontology terms, home, search, questions and
the query page.

Every text that comes from the graph or the request is escaped (``html.escape``, quotes
too) before it reaches the page; links are made only from the graph's own IRIs, and an
external link only from an ``https`` address. Pages load nothing but kg's own stylesheet
and script (:mod:`kg.serve.static`) and carry no inline style or script, so the
Content-Security-Policy :data:`CSP` can forbid everything else. The graph's IRIs map to
local paths: ``id:x`` to ``/page/x``, ``ta:Term`` to ``/ontology/Term``.
"""

from __future__ import annotations

import html
import math
from urllib.parse import quote, urlencode

from kg.namespaces import ID_IRI, TA_IRI, prefixed

CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""The pages' Content-Security-Policy: kg's own files only, nothing from elsewhere."""

WORDS = {
    "en": {
        "home": "Home", "questions": "Questions", "query": "SPARQL query", "ontology": "Ontology",
        "search": "Search", "search_label": "Search by English or French label",
        "entrants": "Entrants", "company": "company", "programme": "programme", "route": "route",
        "status": "status", "plants": "plants", "investments": "investments (reported sums, per currency and kind)",
        "results_for": "Things whose label contains {q!r}", "no_results": "Nothing has such a label.",
        "types": "types", "statements": "{n} statements in {c} claims",
        "neighbourhood": "Neighbourhood", "data": "This page as data",
        "claim": "claim", "stated": "stated", "undated": "undated", "source": "source", "issued": "issued",
        "this": "(this)", "none": "(none stated)", "run": "Run", "answer": "Answer",
        "rows": "{n} rows", "download": "Download", "parameters": "Parameters", "no_params": "No parameters.",
        "optional": "optional", "default": "default", "term": "term", "label": "label",
        "definition": "definition", "alignments": "alignments and relations", "classes": "Classes",
        "properties": "Properties", "other_terms": "Other terms", "query_help":
            "Runs against /sparql (read-only: SELECT, ASK, CONSTRUCT, DESCRIBE).",
        "true": "yes", "false": "no", "not_found": "Not found", "values": "values",
    },
    "fr": {
        "home": "Accueil", "questions": "Questions", "query": "Requête SPARQL", "ontology": "Ontologie",
        "search": "Chercher", "search_label": "Chercher par libellé anglais ou français",
        "entrants": "Entrants", "company": "entreprise", "programme": "programme", "route": "voie",
        "status": "statut", "plants": "usines", "investments": "investissements (sommes rapportées, par devise et type)",
        "results_for": "Éléments dont le libellé contient {q!r}", "no_results": "Aucun libellé ne correspond.",
        "types": "types", "statements": "{n} affirmations dans {c} déclarations",
        "neighbourhood": "Voisinage", "data": "Cette page en données",
        "claim": "déclaration", "stated": "affirmé le", "undated": "sans date", "source": "source",
        "issued": "publié le", "this": "(celle-ci)", "none": "(aucun)", "run": "Exécuter", "answer": "Réponse",
        "rows": "{n} lignes", "download": "Télécharger", "parameters": "Paramètres",
        "no_params": "Aucun paramètre.", "optional": "facultatif", "default": "par défaut", "term": "terme",
        "label": "libellé", "definition": "définition", "alignments": "alignements et relations",
        "classes": "Classes", "properties": "Propriétés", "other_terms": "Autres termes", "query_help":
            "S'exécute sur /sparql (lecture seule : SELECT, ASK, CONSTRUCT, DESCRIBE).",
        "true": "oui", "false": "non", "not_found": "Introuvable", "values": "valeurs",
    },
}


def e(text) -> str:
    """Text escaped for HTML content and double-quoted attributes."""
    return html.escape("" if text is None else str(text), quote=True)


def word(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


def local_path(iri: str, lang: str) -> str | None:
    """Where the server shows a graph IRI: ``/page/<slug>`` or ``/ontology/<Term>``; None otherwise."""
    if iri.startswith(ID_IRI) and "/" not in iri[len(ID_IRI):] and iri[len(ID_IRI):]:
        return with_lang(f"/page/{quote(iri[len(ID_IRI):])}", lang)
    if iri.startswith(TA_IRI) and iri[len(TA_IRI):]:
        return with_lang(f"/ontology/{quote(iri[len(TA_IRI):])}", lang)
    return None


def with_lang(path: str, lang: str, **params) -> str:
    """``path`` with ``?lang=`` (and other parameters)."""
    query = urlencode({**params, "lang": lang})
    return f"{path}?{query}"


def link(iri: str, label: str, lang: str) -> str:
    """A link to the page of a graph IRI, or the label as text when the server has no page for it."""
    path = local_path(iri, lang)
    if path is None:
        return f'<span title="{e(iri)}">{e(label)}</span>'
    return f'<a href="{e(path)}">{e(label)}</a>'


def external(url: str | None, label: str, schemes: tuple[str, ...] = ("https://",)) -> str:
    """An outside link, only for an address of ``schemes`` (``https`` unless told); else the label as text."""
    if url and url.startswith(schemes) and not any(c in url for c in '<>" \n'):
        return f'<a href="{e(url)}" rel="noreferrer nofollow">{e(label)}</a>'
    return e(label)


CURRENT = ' aria-current="true"'


def layout(title: str, body: str, lang: str, path: str, params: dict | None = None) -> str:
    """A whole page: kg's stylesheet and script, the menu, a language switch kept on ``path``."""
    params = {k: v for k, v in (params or {}).items() if k != "lang"}
    menu = " ".join(f'<a href="{e(with_lang(href, lang))}">{e(word(lang, key))}</a>'
                    for href, key in (("/", "home"), ("/questions", "questions"), ("/query", "query"),
                                      ("/ontology", "ontology")))
    switch = " | ".join(
        f'<a href="{e(with_lang(path, code, **params))}" hreflang="{code}" lang="{code}"'
        f'{CURRENT if code == lang else ""}>{name}</a>'
        for code, name in (("en", "English"), ("fr", "Français")))
    search = (f'<form class="search" action="/search" method="get" role="search">'
              f'<input type="hidden" name="lang" value="{e(lang)}">'
              f'<input type="search" name="q" aria-label="{e(word(lang, "search_label"))}" '
              f'placeholder="{e(word(lang, "search_label"))}">'
              f'<button type="submit">{e(word(lang, "search"))}</button></form>')
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{e(title)} · techauto-kg</title>\n<link rel="stylesheet" href="/static/kg.css">\n'
            f'<script src="/static/kg.js" defer></script>\n</head>\n<body>\n'
            f'<header><nav>{menu}</nav><span class="lang">{switch}</span>{search}</header>\n'
            f'<main>\n{body}\n</main>\n</body>\n</html>\n')


# -- entity pages --------------------------------------------------------------------


def _value(explanation, term, lang: str) -> str:
    from kg.terms import Literal, NamedNode

    if isinstance(term, NamedNode):
        return link(term.value, explanation.kg.label(term, lang), lang)
    if isinstance(term, Literal) and term.language:
        return f'<span class="value" lang="{e(term.language)}">{e(term.value)}</span>'
    return f'<span class="value">{e(term.value)}</span>'


def _claim(explanation, claim, lang: str) -> str:
    from kg.terms import INFERRED_GRAPH

    kg = explanation.kg
    if claim.kind == INFERRED_GRAPH:
        return f'<li class="claim">{e(explanation.word("inferred_by"))}</li>'
    when = (f'{e(word(lang, "stated"))} <time>{e(claim.stated_on.value)}</time>' if claim.stated_on is not None
            else e(word(lang, "undated")))
    parts = [when]
    if claim.kind is not None:
        parts.append(f'<span class="kind">{e(kg.label(claim.kind, lang))}</span>')
    if claim.confidence is not None:
        parts.append(f'<span class="confidence">{e(kg.label(claim.confidence, lang))}</span>')
    if claim.locator:
        parts.append(e(claim.locator))
    sources = "".join(_source(s, lang) for s in claim.sources)
    return (f'<li class="claim">{", ".join(parts)} <span class="claim-name">[{e(prefixed(claim.claim.value))}]'
            f'</span><ul class="sources">{sources}</ul></li>')


def _source(source, lang: str) -> str:
    details = [d for d in dict.fromkeys((source.publisher,)) if d and d != source.web_location]
    if source.issued:
        details.append(f'{word(lang, "issued")} {source.issued}')
    extra = f' <span class="details">({e("; ".join(details))})</span>' if details else ""
    return f'<li class="source">{e(word(lang, "source"))}: {external(source.web_location, source.label)}{extra}</li>'


def _statement(explanation, statement, claims, lang: str) -> str:
    prop = statement.property
    prop_html = link(prop.value, explanation.property_label(prop), lang)
    if statement.direction == "out":
        head = f'→ <span class="property">{prop_html}</span>: {_value(explanation, statement.value, lang)}'
    else:
        head = (f'← {_value(explanation, statement.subject, lang)} <span class="property">{prop_html}</span> '
                f'{e(word(lang, "this"))}')
    items = "".join(_claim(explanation, c, lang) for c in claims)
    return f'<li class="statement"><div class="fact">{head}</div><ul class="claims">{items}</ul></li>'


def entity_page(explanation, slug: str, lang: str, formats: dict[str, str]) -> str:
    """The page of one entity: every statement with its claims and sources, plans beside
    outcomes, the neighbourhood drawn, links to the same data in RDF formats."""
    from kg.answers.explain import KIND_ORDER
    from kg.terms import TA

    ex, kg = explanation, explanation.kg
    sections = {}
    for kind in KIND_ORDER:
        items = []
        for st in ex.statements:
            chosen = [c for c in st.claims if (c.kind if c.kind in KIND_ORDER else None) == kind]
            if chosen:
                items.append(_statement(ex, st, chosen, lang))
        if items:
            sections[kind] = (f'<section class="kind-section"><h2>{e(ex.word(kind))}</h2>'
                              f'<ul class="statements">{"".join(items)}</ul></section>')
    side = "".join(sections.pop(k) for k in (TA.Plan, TA.Outcome) if k in sections)
    rest = "".join(sections.values())
    claims = {c.claim for st in ex.statements for c in st.claims}
    types = ", ".join(link(t.value, kg.label(t, lang), lang) for t in ex.types) or e(word(lang, "none"))
    other = "fr" if lang == "en" else "en"
    other_label = kg.label(ex.entity, other)
    also = f' <span class="other-label" lang="{other}">({e(other_label)})</span>' if other_label != ex.label else ""
    data = " · ".join(f'<a href="/data/{e(quote(slug))}.{ext}" type="{e(media)}">{e(name)}</a>'
                      for name, (ext, media) in formats.items())
    body = (f'<h1>{e(ex.label)}{also}</h1>\n<p class="iri">{e(prefixed(ex.entity.value))} · '
            f'<code>{e(ex.entity.value)}</code></p>\n'
            f'<p>{e(word(lang, "types"))}: {types}</p>\n'
            f'<p>{e(word(lang, "statements").format(n=len(ex.statements), c=len(claims)))}</p>\n'
            f'<div class="plans-outcomes">{side}</div>\n{rest}\n'
            f'<section><h2>{e(word(lang, "neighbourhood"))}</h2>{neighbourhood_svg(ex, lang)}</section>\n'
            f'<p class="data">{e(word(lang, "data"))}: {data}</p>')
    return layout(ex.label, body, lang, f"/page/{quote(slug)}")


def neighbourhood_svg(explanation, lang: str, limit: int = 24) -> str:
    """The entity in the middle, the things its statements name around it, each a link to
    its page (inline SVG, laid out on a circle in label order: no script, the same every time)."""
    from kg.terms import NamedNode

    kg = explanation.kg
    neighbours: dict[str, list[str]] = {}
    for st in explanation.statements:
        other = st.value if st.direction == "out" else st.subject
        if isinstance(other, NamedNode) and other.value.startswith(ID_IRI) and other != explanation.entity:
            names = neighbours.setdefault(other.value, [])
            prop = explanation.property_label(st.property)
            names.append(prop if st.direction == "out" else f"← {prop}")
    from kg.terms import NamedNode as Node

    ordered = sorted(neighbours, key=lambda iri: (kg.label(Node(iri), lang).casefold(), iri))[:limit]
    width, height, radius = 840, 520, 200
    centre, middle = width // 2, height // 2
    parts = [f'<svg class="neighbourhood" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{e(word(lang, "neighbourhood"))}">']
    points = []
    for i, iri in enumerate(ordered):
        angle = 2 * math.pi * i / max(len(ordered), 1) - math.pi / 2
        x, y = centre + radius * math.cos(angle), middle + radius * math.sin(angle)
        points.append((iri, x, y))
        label = "; ".join(dict.fromkeys(neighbours[iri]))
        parts.append(f'<line x1="{centre}" y1="{middle}" x2="{x:.1f}" y2="{y:.1f}" stroke="#9aa5b1">'
                     f'<title>{e(label)}</title></line>')
    for iri, x, y in points:
        label = kg.label(Node(iri), lang)
        short = label if len(label) <= 22 else label[:21] + "…"
        anchor = "middle" if abs(x - centre) < 40 else ("start" if x > centre else "end")
        dx = 0 if anchor == "middle" else (9 if anchor == "start" else -9)
        dy = -10 if y < middle and anchor == "middle" else (18 if anchor == "middle" else 4)
        parts.append(f'<a href="{e(local_path(iri, lang))}"><circle cx="{x:.1f}" cy="{y:.1f}" r="6" '
                     f'fill="#3b82f6"><title>{e(label)}</title></circle><text x="{x + dx:.1f}" y="{y + dy:.1f}" '
                     f'text-anchor="{anchor}" font-size="11">{e(short)}</text></a>')
    label = explanation.label
    parts.append(f'<circle cx="{centre}" cy="{middle}" r="10" fill="#dc2626"><title>{e(label)}</title></circle>'
                 f'<text x="{centre}" y="{middle + 26}" text-anchor="middle" font-size="13" font-weight="bold">'
                 f'{e(label if len(label) <= 30 else label[:29] + "…")}</text></svg>')
    return "".join(parts)


# -- ontology ------------------------------------------------------------------------


def term_page(kg, term, lang: str, rows: list[tuple[str, list[str]]], definition: list[tuple[str, str]]) -> str:
    """An ontology term: its labels, definitions and what it is aligned or related to
    (``rows``: a property's label and the values already made into HTML)."""
    name = term.value[len(TA_IRI):]
    other = "fr" if lang == "en" else "en"
    labels = f'<p>{e(word(lang, "label"))}: {e(kg.label(term, lang))} · <span lang="{other}">{e(kg.label(term, other))}</span></p>'
    defs = "".join(f'<p class="definition" lang="{e(code)}">{e(text)}</p>' for code, text in definition)
    table = "".join(f'<tr><th>{e(prop)}</th><td>{", ".join(values)}</td></tr>' for prop, values in rows)
    body = (f'<h1>{e(kg.label(term, lang))}</h1>\n<p class="iri">ta:{e(name)} · <code>{e(term.value)}</code></p>\n'
            f'{labels}\n<h2>{e(word(lang, "definition"))}</h2>{defs or e(word(lang, "none"))}\n'
            f'<h2>{e(word(lang, "alignments"))}</h2><table class="term">{table}</table>')
    return layout(kg.label(term, lang), body, lang, f"/ontology/{quote(name)}")


def ontology_page(groups: dict[str, list[tuple[str, str, str]]], lang: str) -> str:
    """Every term of the ontology, grouped, each with an anchor of its name (so that the
    ontology's hash IRIs, ``/ontology#Term``, land on it) and a link to its page."""
    body = [f'<h1>{e(word(lang, "ontology"))}</h1>',
            '<p class="data"><a href="/ontology.ttl" type="text/turtle">Turtle</a></p>']
    for key, terms in groups.items():
        if not terms:
            continue
        items = "".join(f'<li id="{e(name)}"><a href="{e(with_lang("/ontology/" + quote(name), lang))}">'
                        f'{e(label)}</a> <code>ta:{e(name)}</code> {e(definition)}</li>'
                        for name, label, definition in terms)
        body.append(f'<h2>{e(word(lang, key))}</h2><ul class="terms">{items}</ul>')
    return layout(word(lang, "ontology"), "\n".join(body), lang, "/ontology")


# -- home, search --------------------------------------------------------------------


def home_page(entrants: list[dict], lang: str) -> str:
    """The entrants with their programme, route, status and key figures."""
    head = "".join(f"<th>{e(word(lang, k))}</th>" for k in ("company", "programme", "route", "status", "plants",
                                                            "investments"))
    rows = []
    for entrant in entrants:
        status = e(entrant["status"]) + (f' <time>{e(entrant["status_date"])}</time>' if entrant["status_date"]
                                         else "")
        money = "<br>".join(e(m) for m in entrant["investments"])
        rows.append(f'<tr><td>{link(entrant["company"], entrant["company_label"], lang)}</td>'
                    f'<td>{link(entrant["programme"], entrant["programme_label"], lang) if entrant["programme"] else ""}'
                    f'</td><td>{e(entrant["routes"])}</td><td>{status}</td><td class="number">{entrant["plants"]}</td>'
                    f'<td class="number">{money}</td></tr>')
    body = (f'<h1>techauto-kg</h1>\n<h2>{e(word(lang, "entrants"))}</h2>\n'
            f'<table class="entrants"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return layout("techauto-kg", body, lang, "/")


def search_page(q: str, found: list[tuple[str, str, str]], lang: str) -> str:
    """What a search found: (IRI, label, types) of each thing."""
    items = "".join(f'<li>{link(iri, label, lang)} <span class="types">{e(types)}</span></li>'
                    for iri, label, types in found)
    body = (f'<h1>{e(word(lang, "results_for").format(q=q))}</h1>\n'
            + (f'<ul class="results">{items}</ul>' if found else f'<p>{e(word(lang, "no_results"))}</p>'))
    return layout(word(lang, "search"), body, lang, "/search", {"q": q})


# -- questions and the query page ----------------------------------------------------


def questions_page(catalogue, lang: str) -> str:
    items = "".join(f'<li><a href="{e(with_lang("/questions/" + quote(name), lang))}">{e(q.title)}</a>'
                    f'<p>{e(q.question)}</p></li>' for name, q in catalogue.items())
    body = f'<h1>{e(word(lang, "questions"))}</h1><ul class="questions">{items}</ul>'
    return layout(word(lang, "questions"), body, lang, "/questions")


def question_page(query, given: dict[str, str], lang: str, table: str | None, count: int | None) -> str:
    """A question: its header, a form with its parameters, and (once run) its answer
    with sources and the links to download it."""
    fields = []
    for p in query.params:
        value = given.get(p.name, "" if p.default in (None, "-") else p.default)
        hint = word(lang, "optional") if p.default == "-" else (
            f'{word(lang, "default")} {p.default}' if p.default else "")
        fields.append(f'<label>{e(p.name)} <small>({e(p.type)}{"; " + e(hint) if hint else ""})</small> '
                      f'<input name="{e(p.name)}" value="{e(value)}"> <small>{e(p.description)}</small></label>')
    form = (f'<form class="question" action="/questions/{e(quote(query.name))}" method="get">'
            f'<input type="hidden" name="lang" value="{e(lang)}"><input type="hidden" name="run" value="1">'
            f'<h2>{e(word(lang, "parameters"))}</h2>{"".join(fields) or "<p>" + e(word(lang, "no_params")) + "</p>"}'
            f'<button type="submit" id="run">{e(word(lang, "run"))}</button></form>')
    answer = ""
    if table is not None:
        params = {k: v for k, v in given.items() if v != ""}
        downloads = " · ".join(
            f'<a class="download" href="{e("/questions/" + quote(query.name) + "." + ext + ("?" + urlencode(params) if params else ""))}" '
            f'download="{e(query.name)}.{ext}">{name}</a>' for ext, name in (("csv", "CSV"), ("json", "JSON")))
        answer = (f'<section id="answer"><h2>{e(word(lang, "answer"))}</h2>'
                  f'<p>{e(word(lang, "rows").format(n=count))} · {e(word(lang, "download"))}: {downloads}</p>'
                  f'{table}</section>')
    body = (f'<h1>{e(query.title)}</h1><p class="iri">{e(query.name)}</p><p>{e(query.question)}</p>'
            f'<p class="answer-text">{e(query.answer)}</p>{form}{answer}')
    params = {k: v for k, v in given.items() if v != ""}
    if table is not None:
        params["run"] = "1"
    return layout(query.title, body, lang, f"/questions/{quote(query.name)}", params)


def answer_table(kg, columns: list[str], rows: list, lang: str) -> str:
    """An answer's rows as an HTML table: the graph's IRIs as links with labels."""
    from kg.terms import NamedNode

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, NamedNode):
            return link(term.value, kg.label(term, lang), lang)
        return e(term.value)

    head = "".join(f"<th>{e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="answer"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


EXAMPLE_QUERY = """PREFIX ta: <https://w3id.org/techauto/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?plant ?label ?capacity WHERE {
  ?plant a ta:ManufacturingPlant ; rdfs:label ?label .
  OPTIONAL { ?plant ta:plannedAnnualCapacity ?capacity }
  FILTER(lang(?label) = "en")
}
ORDER BY ?label
"""


def query_page(lang: str) -> str:
    """A plain editor whose query runs against ``/sparql`` (kg.js shows the answer)."""
    body = (f'<h1>{e(word(lang, "query"))}</h1><p>{e(word(lang, "query_help"))}</p>'
            f'<form id="sparql-form" action="/sparql" method="post">'
            f'<textarea id="sparql" name="query" rows="14" cols="100" spellcheck="false">{e(EXAMPLE_QUERY)}</textarea>'
            f'<br><button type="submit">{e(word(lang, "run"))}</button></form>'
            f'<p id="sparql-status" role="status"></p><div id="sparql-result"></div>')
    return layout(word(lang, "query"), body, lang, "/query")


def error_page(status: int, message: str, lang: str) -> str:
    return layout(str(status), f"<h1>{status}</h1><p class=\"error\">{e(message)}</p>", lang, "/")
