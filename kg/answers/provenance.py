"""Where an answer comes from: the claims and sources behind statements."""

from __future__ import annotations

from itertools import product

from kg.terms import Literal, NamedNode, is_entity

SOURCES_OF_PAIRS = """
SELECT DISTINCT ?claim ?source ?stated ?kind WHERE {
  GRAPH ?claim { ?s ?p ?o }
  ?claim prov:wasDerivedFrom ?source .
  OPTIONAL { ?claim ta:statedOn ?stated }
  OPTIONAL { ?claim ta:hasClaimKind ?kind }
}
ORDER BY ?claim ?source
"""


def _values_clause(pairs: list[tuple]) -> str:
    body = " ".join(f"({s} {o})" for s, o in pairs)
    return f"VALUES (?s ?o) {{ {body} }}"


def sources_for_row(kg, row: list) -> list[dict]:
    """The claims (with sources and dates) stating any link between two values of a row.

    A row's entities are paired with every other value of the row; a claim counts when
    its graph holds a triple from one to the other.
    """
    subjects = [v for v in row if is_entity(v)]
    objects = [v for v in row if isinstance(v, (NamedNode, Literal))]
    pairs = [(s, o) for s, o in product(subjects, objects) if s != o]
    if not pairs:
        return []
    text = SOURCES_OF_PAIRS.replace("WHERE {", "WHERE {\n  " + _values_clause(pairs), 1)
    return [
        {"claim": r.claim, "source": r.source, "stated_on": r.stated, "kind": r.kind}
        for r in kg.query(text)
    ]


def describe_sources(kg, found: list[dict]) -> str:
    """Short text for a list of claim/source records: "label (date)"; one per source."""
    seen, parts = set(), []
    for record in found:
        if record["source"] in seen:
            continue
        seen.add(record["source"])
        date = f" ({record['stated_on'].value})" if record["stated_on"] is not None else ""
        parts.append(f"{kg.label(record['source'])}{date}")
    return "; ".join(parts)
