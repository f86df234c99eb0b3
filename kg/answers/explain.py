"""Everything the graph asserts about one entity, each statement with its claims and sources.

A statement is a triple of a claim's named graph in which the entity is the subject
(``out``: its own properties and links) or the object (``in``: other entities that point
to it). Each statement carries the claims that state it: the claim's kind (plan, outcome,
description), ``ta:statedOn``, confidence, locator, and the sources it is derived from.
One SPARQL query, with the entity bound, fetches all of it; with ``inferred``, the
statements OWL RL added (``kgg:inferred``) come too, under their own heading.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field

from kg.store import KnowledgeGraph
from kg.store.timeline import claim_date_end
from kg.terms import INFERRED_GRAPH, RDF, RDFS, TA, Literal, NamedNode, short, text

STATEMENTS_QUERY = """
SELECT ?direction ?s ?p ?o ?claim ?kind ?stated ?confidence ?locator
       ?source ?publisher ?web ?issued
WHERE {
  {
    { GRAPH ?claim { ?entity ?p ?o } BIND(?entity AS ?s) BIND("out" AS ?direction) }
    UNION
    { GRAPH ?claim { ?s ?p ?entity } BIND(?entity AS ?o) BIND("in" AS ?direction) }
  }
  FILTER(STRSTARTS(STR(?claim), STR(claim:)))
  OPTIONAL { ?claim ta:hasClaimKind ?kind }
  OPTIONAL { ?claim ta:statedOn ?stated }
  OPTIONAL { ?claim ta:hasConfidence ?confidence }
  OPTIONAL { ?claim ta:locator ?locator }
  OPTIONAL {
    ?claim prov:wasDerivedFrom ?source .
    OPTIONAL { ?source ta:publisherName ?publisher }
    OPTIONAL { ?source ta:webLocation ?web }
    OPTIONAL { ?source dcterms:issued ?issued }
  }
}
"""
"""The one query behind ``kg explain``; ``?entity`` is bound by a ``VALUES`` block."""

INFERRED_QUERY = """
SELECT ?direction ?s ?p ?o WHERE {
  GRAPH kgg:inferred {
    { ?entity ?p ?o BIND(?entity AS ?s) BIND("out" AS ?direction) }
    UNION
    { ?s ?p ?entity BIND(?entity AS ?o) BIND("in" AS ?direction) }
  }
}
"""
"""What OWL RL added about the entity (``kg explain --inferred``)."""

KIND_ORDER = (TA.Plan, TA.Outcome, TA.Description, INFERRED_GRAPH, None)
WORDS = {
    "en": {
        TA.Plan: "Plans", TA.Outcome: "Outcomes", TA.Description: "Descriptions", None: "Claims of no kind",
        INFERRED_GRAPH: "Inferred by reasoning (OWL RL, no source of its own)",
        "inferred_by": "inferred from the statements above and the ontology [kgg:inferred]",
        RDF.type: "type", RDFS.label: "label", "types": "types", "none": "(none stated)",
        "stated": "stated", "undated": "undated", "source": "source", "this": "(this)", "issued": "issued",
        "summary": "{n} statements in {c} claims (→ its own statements, ← statements of others that point to it)",
        "empty": "No claim states anything about this entity.",
        "source_hint": "It is a source: what it states is listed by `kg query facts-by-source --param source={name}`.",
    },
    "fr": {
        TA.Plan: "Projets", TA.Outcome: "Résultats", TA.Description: "Descriptions", None: "Affirmations sans type",
        INFERRED_GRAPH: "Déduit par raisonnement (OWL RL, sans source propre)",
        "inferred_by": "déduit des affirmations ci-dessus et de l'ontologie [kgg:inferred]",
        RDF.type: "type", RDFS.label: "libellé", "types": "types", "none": "(aucun)",
        "stated": "affirmé le", "undated": "sans date", "source": "source", "this": "(celle-ci)",
        "issued": "publié le",
        "summary": "{n} affirmations dans {c} déclarations (→ les siennes, ← celles d'autres entités qui la visent)",
        "empty": "Aucune déclaration ne porte sur cette entité.",
        "source_hint": "C'est une source : ce qu'elle affirme est listé par `kg query facts-by-source --param source={name}`.",
    },
}
"""The fixed words of the text output, in each language of ``--lang``."""


@dataclass(frozen=True)
class SourceRef:
    """A source document a claim is derived from."""

    source: NamedNode
    label: str
    publisher: str | None
    web_location: str | None
    issued: str | None


@dataclass
class ClaimRef:
    """A claim stating a statement, with its description and sources."""

    claim: NamedNode
    kind: NamedNode | None
    stated_on: Literal | None
    confidence: NamedNode | None
    locator: str | None
    sources: list[SourceRef] = field(default_factory=list)

    def sort_key(self) -> tuple:
        end = claim_date_end(self.stated_on) if self.stated_on is not None else None
        return (end or _dt.date.max, self.claim.value)


@dataclass
class Statement:
    """One triple about the entity and the claims that state it."""

    subject: NamedNode
    property: NamedNode
    value: NamedNode | Literal
    direction: str  # "out": the entity is the subject; "in": it is the object
    claims: list[ClaimRef] = field(default_factory=list)


@dataclass
class Explanation:
    """The statements about an entity, ready to render."""

    kg: KnowledgeGraph
    entity: NamedNode
    lang: str
    statements: list[Statement]

    @property
    def label(self) -> str:
        return self.kg.label(self.entity, self.lang)

    @property
    def types(self) -> list[NamedNode]:
        return self.kg.types(self.entity)

    def word(self, key) -> str:
        """A fixed word of the text output in the explanation's language."""
        return WORDS.get(self.lang, WORDS["en"])[key]

    def property_label(self, prop: NamedNode) -> str:
        return property_label(self.kg, prop, self.lang)

    def name(self, term) -> str:
        """A term as a prefixed name (``id:xiaomi``) where possible."""
        if isinstance(term, NamedNode):
            return short(term)
        return text(term)

    def describe(self, term) -> str:
        """A linked entity as "label (id:name)", a literal as its text."""
        if isinstance(term, NamedNode):
            label, name = self.kg.label(term, self.lang), self.name(term)
            return name if label in (name, name.split(":", 1)[-1]) else f"{label} ({name})"
        if isinstance(term, Literal) and term.language:
            return f"{term.value} ({term.language})"
        return text(term)


def property_label(kg: KnowledgeGraph, prop: NamedNode, lang: str) -> str:
    """A property's label; ``rdf:type`` and ``rdfs:label``, which the ontology does not label, too."""
    words = WORDS.get(lang, WORDS["en"])
    return words[prop] if prop in (RDF.type, RDFS.label) else kg.label(prop, lang)


# -- finding the entity ------------------------------------------------------------------


# -- collecting --------------------------------------------------------------------------


def explain(kg: KnowledgeGraph, entity: NamedNode, lang: str = "en", inferred: bool = False) -> Explanation:
    """The statements of the claims about ``entity``, in a deterministic order; with
    ``inferred``, also what reasoning added about it."""
    statements: dict[tuple, Statement] = {}
    claims: dict[tuple, ClaimRef] = {}
    if inferred:
        for row in kg.query(INFERRED_QUERY, {"entity": entity}, inferred=True):
            key = (row.direction.value, row.s, row.p, row.o)
            statement = statements[key] = Statement(row.s, row.p, row.o, row.direction.value)
            statement.claims.append(ClaimRef(INFERRED_GRAPH, INFERRED_GRAPH, None, None, None))
    for row in kg.query(STATEMENTS_QUERY, {"entity": entity}):
        key = (row.direction.value, row.s, row.p, row.o)
        statement = statements.get(key)
        if statement is None:
            statement = statements[key] = Statement(row.s, row.p, row.o, row.direction.value)
        claim_key = key + (row.claim,)
        claim = claims.get(claim_key)
        if claim is None:
            claim = claims[claim_key] = ClaimRef(
                row.claim, row.kind, row.stated, row.confidence,
                None if row.locator is None else row.locator.value,
            )
            statement.claims.append(claim)
        if row.source is not None and all(s.source != row.source for s in claim.sources):
            claim.sources.append(
                SourceRef(
                    row.source,
                    kg.label(row.source, lang),
                    None if row.publisher is None else row.publisher.value,
                    None if row.web is None else row.web.value,
                    None if row.issued is None else row.issued.value,
                )
            )
    for statement in statements.values():
        statement.claims.sort(key=ClaimRef.sort_key)
        for claim in statement.claims:
            claim.sources.sort(key=lambda s: s.source.value)
    ordered = sorted(statements.values(), key=lambda st: _statement_key(kg, st, lang))
    return Explanation(kg, entity, lang, ordered)


def _statement_key(kg: KnowledgeGraph, statement: Statement, lang: str) -> tuple:
    other = statement.value if statement.direction == "out" else statement.subject
    return (
        0 if statement.direction == "out" else 1,
        property_label(kg, statement.property, lang).casefold(),
        statement.property.value,
        isinstance(other, NamedNode),
        kg.label(other, lang).casefold() if isinstance(other, NamedNode) else text(other),
        str(other),
        getattr(other, "language", None) or "",
    )


# -- rendering ---------------------------------------------------------------------------


def render_json(explanation: Explanation) -> str:
    """The explanation for machines: IRIs and values as strings, in a stable order."""
    kg, lang = explanation.kg, explanation.lang

    def value(term):
        return None if term is None else term.value

    def datatype(term):
        return term.datatype.value if isinstance(term, Literal) and not term.language else None

    document = {
        "entity": explanation.entity.value,
        "label": explanation.label,
        "types": [t.value for t in explanation.types],
        "statements": [
            {
                "subject": st.subject.value,
                "property": st.property.value,
                "property_label": property_label(kg, st.property, lang),
                "value": st.value.value,
                "value_label": kg.label(st.value, lang) if isinstance(st.value, NamedNode) else None,
                "datatype": datatype(st.value),
                "language": getattr(st.value, "language", None) if isinstance(st.value, Literal) else None,
                "direction": st.direction,
                "claims": [
                    {
                        "claim": c.claim.value,
                        "kind": value(c.kind),
                        "stated_on": value(c.stated_on),
                        "confidence": value(c.confidence),
                        "locator": c.locator,
                        "sources": [
                            {
                                "source": s.source.value,
                                "label": s.label,
                                "publisher": s.publisher,
                                "web_location": s.web_location,
                                "issued": s.issued,
                            }
                            for s in c.sources
                        ],
                    }
                    for c in st.claims
                ],
            }
            for st in explanation.statements
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(explanation: Explanation) -> str:
    """The explanation for people: plans, outcomes and descriptions in separate sections.

    ``→`` marks the entity's own statements, ``←`` statements of other entities that
    point to it. Under each statement, one line per claim (date, kind, confidence,
    locator, claim name) and one line per source (label, publisher, address, issued).
    """
    ex = explanation
    lines = [f"{ex.label} ({ex.name(ex.entity)})"]
    types = ", ".join(ex.describe(t) for t in ex.types)
    lines.append(f"{ex.word('types')}: {types or ex.word('none')}")
    claims = {c.claim for st in ex.statements for c in st.claims}
    lines.append(ex.word("summary").format(n=len(ex.statements), c=len(claims)))
    for kind in KIND_ORDER:
        section = []
        for st in ex.statements:
            chosen = [c for c in st.claims if (c.kind if c.kind in KIND_ORDER else None) == kind]
            if not chosen:
                continue
            prop = ex.property_label(st.property)
            if st.direction == "out":
                section.append(f"  → {prop}: {ex.describe(st.value)}")
            else:
                section.append(f"  ← {ex.describe(st.subject)} {prop} {ex.word('this')}")
            for claim in chosen:
                section.append("      " + _claim_line(ex, claim))
                for source in claim.sources:
                    section.append(f"          {ex.word('source')}: " + _source_line(ex, source))
        if section:
            lines += ["", ex.word(kind)] + section
    if not ex.statements:
        lines += ["", ex.word("empty")]
        if any(kg_type == TA.SourceDocument or kg_type == TA.NewsArticle for kg_type in ex.types):
            lines.append(ex.word("source_hint").format(name=ex.name(ex.entity)))
    return "\n".join(lines) + "\n"


def _claim_line(explanation: Explanation, claim: ClaimRef) -> str:
    kg, lang = explanation.kg, explanation.lang
    if claim.kind == INFERRED_GRAPH:
        return explanation.word("inferred_by")
    parts = [f"{explanation.word('stated')} {claim.stated_on.value}" if claim.stated_on is not None
             else explanation.word("undated")]
    if claim.kind is not None:
        parts.append(kg.label(claim.kind, lang))
    if claim.confidence is not None:
        parts.append(kg.label(claim.confidence, lang))
    if claim.locator:
        parts.append(claim.locator)
    return f"{', '.join(parts)} [{explanation.name(claim.claim)}]"


def _source_line(explanation: Explanation, source: SourceRef) -> str:
    details = [d for d in (source.publisher, source.web_location) if d]
    details = list(dict.fromkeys(details))  # publisher and address are often the same host
    if source.issued:
        details.append(f"{explanation.word('issued')} {source.issued}")
    return source.label + (f" ({'; '.join(details)})" if details else "")
